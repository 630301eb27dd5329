import type { Task } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import {
  createListCommands,
  KEY_WAIT_MS,
  type ListCommand,
  type ListView,
  type Press,
} from './list-commands';

/** A list holding `ids`, rows read for those in `rows`; a clock the test moves. */
function setup() {
  let t = 1_000;
  const ids = new Set<string>();
  const rows = new Map<string, Task>();
  const view: ListView = { has: (id) => ids.has(id), row: (id) => rows.get(id) };
  const commands = createListCommands(() => t);
  const ran: ListCommand[] = [];
  let busy = false;
  let ready = (_: ListCommand) => true;
  const drain = () =>
    commands.drain(
      view,
      () => busy,
      (c) => {
        if (!ready(c)) return false;
        ran.push(c);
        return true;
      },
    );
  return {
    commands,
    ids,
    rows,
    ran,
    drain,
    advance: (ms: number) => (t += ms),
    setBusy: (b: boolean) => (busy = b),
    setReady: (fn: (c: ListCommand) => boolean) => (ready = fn),
  };
}

describe('list commands', () => {
  it('run at once, in order, when nothing is awaited', () => {
    const s = setup();
    s.commands.push('next');
    s.commands.push('toggle');
    s.drain();
    expect(s.ran).toEqual(['next', 'toggle']);
    s.drain();
    expect(s.ran).toEqual(['next', 'toggle']);
  });

  it("a screen's own key takes its turn after the list's keys pressed before it", () => {
    const s = setup();
    const listed = s.commands.adding();
    const order: string[] = [];
    s.commands.push('next');
    s.commands.act(() => order.push(`search after ${s.ran.length} key(s)`));
    s.drain();
    expect(order).toEqual([]);
    expect(s.commands.waiting()).toBe(true);
    listed('t1');
    s.ids.add('t1');
    s.drain();
    expect(s.ran).toEqual(['next']);
    expect(order).toEqual(['search after 1 key(s)']);
    expect(s.commands.waiting()).toBe(false);
  });

  it('keys pressed during a quick add wait until its row is listed, then run in order', () => {
    const s = setup();
    const listed = s.commands.adding();
    s.commands.push('next');
    s.commands.push('next');
    s.commands.push('toggle');
    s.drain();
    expect(s.ran).toEqual([]);
    // Written, but the list has not shown it yet: still waiting.
    listed('t1');
    s.drain();
    expect(s.ran).toEqual([]);
    s.ids.add('t1');
    s.drain();
    expect(s.ran).toEqual(['next', 'next', 'toggle']);
  });

  it('a refused add lets the keys go', () => {
    const s = setup();
    const listed = s.commands.adding();
    s.commands.push('next');
    listed(null);
    s.drain();
    expect(s.ran).toEqual(['next']);
  });

  it('a focus request still waiting for its row holds the keys', () => {
    const s = setup();
    s.setBusy(true);
    s.commands.push('previous');
    s.drain();
    expect(s.ran).toEqual([]);
    s.setBusy(false);
    s.drain();
    expect(s.ran).toEqual(['previous']);
  });

  it('a key that cannot run yet stays first; the keys after it wait behind it', () => {
    const s = setup();
    s.setReady((c) => c !== 'toggle');
    s.commands.push('toggle');
    s.commands.push('next');
    s.drain();
    expect(s.ran).toEqual([]);
    s.setReady(() => true);
    s.drain();
    expect(s.ran).toEqual(['toggle', 'next']);
  });

  it('a write started by a key (x) holds the next key until the list shows it', () => {
    const s = setup();
    let shown = false;
    s.setReady((c) => {
      if (c === 'toggle') s.commands.waitFor(() => shown);
      return true;
    });
    s.commands.push('toggle');
    s.commands.push('next');
    s.drain();
    expect(s.ran).toEqual(['toggle']);
    shown = true;
    s.drain();
    expect(s.ran).toEqual(['toggle', 'next']);
  });

  it('a failed write ends its wait at once', () => {
    const s = setup();
    const end = s.commands.waitFor(() => false);
    s.commands.push('open');
    s.drain();
    expect(s.ran).toEqual([]);
    end();
    s.drain();
    expect(s.ran).toEqual(['open']);
  });

  it('drops keys and waits older than KEY_WAIT_MS: a key never acts seconds later', () => {
    const s = setup();
    s.commands.adding();
    s.commands.push('next');
    s.advance(KEY_WAIT_MS / 2);
    s.commands.push('toggle');
    s.advance(KEY_WAIT_MS / 2);
    s.drain();
    // The add and the first key expired; the second key runs.
    expect(s.ran).toEqual(['toggle']);
  });

  it('clear forgets keys and waits (the screen left)', () => {
    const s = setup();
    s.commands.adding();
    s.commands.push('next');
    s.commands.clear();
    s.drain();
    expect(s.ran).toEqual([]);
    s.commands.push('previous');
    s.drain();
    expect(s.ran).toEqual(['previous']);
  });

  it('notifies its subscribers when a key comes or a wait settles', () => {
    const s = setup();
    let calls = 0;
    const off = s.commands.subscribe(() => calls++);
    const before = s.commands.getSnapshot();
    const listed = s.commands.adding();
    s.commands.push('next');
    listed('t1');
    expect(calls).toBe(2);
    expect(s.commands.getSnapshot()).not.toBe(before);
    off();
  });

  it('a new wait is not told to the list: it only holds keys back (the list renders for it otherwise)', () => {
    const s = setup();
    let calls = 0;
    const off = s.commands.subscribe(() => calls++);
    const before = s.commands.getSnapshot();
    const end = s.commands.waitFor(() => false);
    s.commands.adding();
    expect(calls).toBe(0);
    expect(s.commands.getSnapshot()).toBe(before);
    // Ending one may let keys run: that is told.
    end();
    expect(calls).toBe(1);
    off();
  });

  it('a key is untouched while only list keys follow it; another key or a click since touches it', () => {
    const commands = createListCommands(() => 0);
    const presses: Press[] = [];
    const run = () =>
      commands.drain(
        { has: () => false, row: () => undefined },
        () => false,
        (_, press) => {
          presses.push(press);
          return true;
        },
      );
    // A click on the page, then j (pressed with focus on the heading), then j again.
    commands.input();
    commands.input();
    commands.push('next', 'heading');
    commands.input();
    commands.push('next', 'heading');
    run();
    const [first, second] = presses;
    expect(first!.from).toBe('heading');
    expect(commands.untouched(first!)).toBe(true);
    expect(commands.untouched(second!)).toBe(true);
    // Pressed before anything counted now: before the list that runs it was shown.
    expect(second!.input).toBeLessThanOrEqual(commands.inputs());
    // Another key (Tab, a letter typed in a field): neither may act any more.
    commands.input();
    expect(commands.untouched(first!)).toBe(false);
    expect(commands.untouched(second!)).toBe(false);
    // A key after that is untouched again; a click then touches it.
    commands.input();
    commands.push('previous', 'heading');
    run();
    expect(commands.untouched(presses[2]!)).toBe(true);
    commands.input();
    expect(commands.untouched(presses[2]!)).toBe(false);
  });
});

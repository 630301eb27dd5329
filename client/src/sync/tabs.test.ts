import { describe, expect, it } from 'vitest';
import { initialNotices, noticesReducer } from './notices';
import type { BroadcastLike } from './platform';
import { initialStatus, statusReducer } from './status';
import { createStore } from './store';
import { connectTabs, type TabMessage } from './tabs';

/** Two tabs' ends of one channel: what one posts, the other receives (not itself). */
function channelPair(): [
  BroadcastLike & { sent: TabMessage[] },
  BroadcastLike & { sent: TabMessage[] },
] {
  const make = () => {
    const listeners = new Set<(ev: { data: unknown }) => void>();
    return {
      sent: [] as TabMessage[],
      listeners,
      peer: null as null | { listeners: Set<(ev: { data: unknown }) => void> },
      postMessage(msg: TabMessage) {
        // As a real BroadcastChannel does.
        if (this.closed) throw new DOMException('Channel is closed', 'InvalidStateError');
        this.sent.push(msg);
        for (const l of this.peer!.listeners) l({ data: structuredClone(msg) });
      },
      addEventListener: (_: 'message', fn: (ev: { data: unknown }) => void) =>
        void listeners.add(fn),
      removeEventListener: (_: 'message', fn: (ev: { data: unknown }) => void) =>
        void listeners.delete(fn),
      closed: false,
      close() {
        this.closed = true;
      },
    };
  };
  const a = make();
  const b = make();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

function tab(broadcast: BroadcastLike) {
  const status = createStore(initialStatus(true), statusReducer);
  const notices = createStore(initialNotices, noticesReducer);
  const wakes: [boolean, boolean][] = [];
  const ctl = new AbortController();
  const tabs = connectTabs({
    broadcast,
    status,
    notices,
    onWake: (u, now) => wakes.push([u, now]),
    signal: ctl.signal,
  });
  return { status, notices, wakes, tabs, ctl };
}

describe('tabs channel', () => {
  it('posts nothing once closed: a notice or wake-up after the stop has no one to tell', () => {
    const [a] = channelPair();
    const follower = tab(a);
    follower.tabs.close();
    expect(() => follower.tabs.wake(true)).not.toThrow();
    expect(() =>
      follower.tabs.shareNotice({ id: 'n1', kind: 'resynced', detail: {}, at: 1 }),
    ).not.toThrow();
    expect(a.sent).toEqual([]);
  });

  it('the leader shares its network-side status when it changes, once; the follower adopts it', () => {
    const [a, b] = channelPair();
    const leader = tab(a);
    const follower = tab(b);
    leader.status.dispatch({ type: 'leader', isLeader: true });
    leader.status.dispatch({ type: 'syncStarted' });
    leader.status.dispatch({ type: 'pending', pending: 4 }); // Not a shared field: not posted.
    expect(a.sent.filter((m) => m.type === 'status')).toHaveLength(2);
    expect(follower.status.getSnapshot().syncing).toBe(true);
    expect(follower.status.getSnapshot().pending).toBe(0);
  });

  it('followers forward wake-ups to the leader', () => {
    const [a, b] = channelPair();
    const leader = tab(a);
    const follower = tab(b);
    leader.status.dispatch({ type: 'leader', isLeader: true });
    follower.tabs.wake(true);
    follower.tabs.wake(true, true); // Sync now pressed in the follower.
    leader.tabs.wake(false);
    expect(leader.wakes).toEqual([
      [true, false],
      [true, true],
      [false, false],
    ]);
    expect(follower.wakes).toEqual([]);
  });

  it('ignores what does not parse (another app version), and shares notices', () => {
    const [a, b] = channelPair();
    const leader = tab(a);
    tab(b);
    for (const data of [
      null,
      'wake',
      { type: 'wake' },
      { type: 'status', status: { syncing: 'yes' } },
      { type: 'new-kind' },
    ])
      for (const l of (a as unknown as { listeners: Set<(ev: { data: unknown }) => void> })
        .listeners)
        l({ data });
    expect(leader.status.getSnapshot()).toEqual(initialStatus(true));
    expect(leader.notices.getSnapshot().notices).toEqual([]);

    const [c, d] = channelPair();
    const one = tab(c);
    const two = tab(d);
    one.tabs.shareNotice({ id: 'n1', kind: 'quota', detail: { x: 1 }, at: 3 });
    expect(two.notices.getSnapshot().notices.map((n) => n.id)).toEqual(['n1']);
  });

  it('a notice dismissed in one tab goes in the other, and a refusal stays dismissed there', () => {
    const [a, b] = channelPair();
    const leader = tab(a);
    const follower = tab(b);
    const refusal = { id: 'rejected:c1:7', kind: 'rejected' as const, detail: {}, at: 3 };
    leader.notices.dispatch({ type: 'raise', notice: refusal });
    leader.tabs.shareNotice(refusal);
    expect(follower.notices.getSnapshot().notices).toHaveLength(1);
    follower.notices.dispatch({ type: 'dismiss', id: refusal.id });
    follower.tabs.shareDismiss(refusal.id);
    expect(leader.notices.getSnapshot().notices).toEqual([]);
    // The leader pulls the refusal's audit entry: not shown again.
    leader.notices.dispatch({ type: 'raise', notice: refusal });
    expect(leader.notices.getSnapshot().notices).toEqual([]);
  });
});

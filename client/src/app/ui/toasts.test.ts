import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOAST_RESUME_MIN_MS, toasts } from './toasts';

describe('toasts.undoLatest (Ctrl/⌘+Z)', () => {
  afterEach(() => {
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
  });

  it('runs the newest toast that offers Undo, once, and dismisses it', () => {
    const first = vi.fn();
    const second = vi.fn();
    const show = vi.fn();
    toasts.show({
      message: 'Completed “A”',
      action: { label: 'Undo', run: first },
      durationMs: 5000,
    });
    toasts.show({ message: 'Moved “B”', action: { label: 'Undo', run: second }, durationMs: 5000 });
    // Newer, but not an undo offer: Ctrl+Z passes it by.
    toasts.show({ message: 'Added “C”', action: { label: 'Show', run: show }, durationMs: 5000 });
    expect(toasts.undoLatest()).toMatchObject({ message: 'Moved “B”' });
    expect(second).toHaveBeenCalledTimes(1);
    expect(first).not.toHaveBeenCalled();
    expect(show).not.toHaveBeenCalled();
    expect(toasts.getSnapshot().map((t) => t.message)).toEqual(['Completed “A”', 'Added “C”']);
    expect(toasts.undoLatest()).toMatchObject({ message: 'Completed “A”' });
    expect(first).toHaveBeenCalledTimes(1);
    expect(toasts.undoLatest()).toBeUndefined();
  });

  it('does nothing once the toast is gone (its undo window over)', () => {
    vi.useFakeTimers();
    try {
      const run = vi.fn();
      toasts.show({ message: 'Deleted “D”', action: { label: 'Undo', run }, durationMs: 5000 });
      vi.advanceTimersByTime(5001);
      expect(toasts.undoLatest()).toBeUndefined();
      expect(run).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('toasts.refused (the server refused a write a toast builds on)', () => {
  afterEach(() => {
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
  });
  const undo = { label: 'Undo', run: () => {} };
  const messages = () => toasts.getSnapshot().map((t) => t.message);

  it('takes away the toasts whose write it was, by row and field, and no others', () => {
    const write = (rows: string[], fields: string[]) => ({ rows, fields });
    toasts.show({
      message: 'Moved “A”',
      action: undo,
      durationMs: 5000,
      write: write(['a'], ['projectId']),
    });
    toasts.show({
      message: 'Completed “A”',
      action: undo,
      durationMs: 5000,
      write: write(['a'], ['status']),
    });
    toasts.show({ message: 'Invited Ben', durationMs: 5000 });
    toasts.refused({ row: 'a', fields: ['projectId'] });
    expect(messages()).toEqual(['Completed “A”', 'Invited Ben']);
    toasts.refused({ row: 'b', fields: null });
    expect(messages()).toEqual(['Completed “A”', 'Invited Ben']);
    // Fields not known (a pulled audit entry without them): any write to the row.
    toasts.refused({ row: 'a', fields: null });
    expect(messages()).toEqual(['Invited Ben']);
    expect(toasts.undoLatest()).toBeUndefined();
  });

  it('takes away a selection’s one Undo when one of its tasks is refused', () => {
    toasts.show({
      message: 'Completed 2 tasks',
      action: undo,
      durationMs: 5000,
      write: { rows: ['b', 'c'], fields: ['status'] },
    });
    toasts.refused({ row: 'c', fields: ['status', 'title'] });
    expect(messages()).toEqual([]);
  });

  it('keeps a selection’s toast for the tasks still applied, its Undo for those only, until none are', () => {
    const undone: string[][] = [];
    const rest = (applied: readonly string[]) => ({
      message: `Moved ${applied.length} tasks`,
      action: { label: 'Undo', run: () => undone.push([...applied]) },
    });
    toasts.show({
      ...rest(['a', 'b', 'c']),
      durationMs: 5000,
      write: { rows: ['a', 'b', 'c'], fields: ['projectId'], rest },
    });
    const id = toasts.getSnapshot()[0]!.id;
    toasts.refused({ row: 'b', fields: ['projectId'] });
    expect(messages()).toEqual(['Moved 2 tasks']);
    // The same toast (its place and time left), over the rows left.
    expect(toasts.getSnapshot()[0]).toMatchObject({ id, write: { rows: ['a', 'c'] } });
    // Another field of a row, or a row refused twice: nothing more to take back.
    toasts.refused({ row: 'a', fields: ['status'] });
    toasts.refused({ row: 'b', fields: null });
    expect(messages()).toEqual(['Moved 2 tasks']);
    expect(toasts.undoLatest()).toBeDefined();
    expect(undone).toEqual([['a', 'c']]);

    toasts.show({
      ...rest(['a', 'b']),
      durationMs: 5000,
      write: { rows: ['a', 'b'], fields: ['projectId'], rest },
    });
    toasts.refused({ row: 'a', fields: ['projectId'] });
    toasts.refused({ row: 'b', fields: null });
    expect(messages()).toEqual([]);
  });
});

describe('toasts pause while hovered, focused or the page is hidden', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const reason of ['pointer', 'focus', 'hidden'] as const) toasts.resume(reason);
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
    vi.useRealTimers();
  });
  const messages = () => toasts.getSnapshot().map((t) => t.message);

  it('stands still while paused, then runs out the time it had left, not a fresh window', () => {
    const id = toasts.show({ message: 'Deleted “A”', durationMs: 5000 });
    vi.advanceTimersByTime(3000);
    toasts.pause('pointer');
    vi.advanceTimersByTime(60_000);
    expect(messages()).toEqual(['Deleted “A”']);
    expect(toasts.left(id)).toBe(2000);
    toasts.resume('pointer');
    vi.advanceTimersByTime(1999);
    expect(messages()).toEqual(['Deleted “A”']);
    vi.advanceTimersByTime(1);
    expect(messages()).toEqual([]);
    expect(toasts.left(id)).toBeNull();
  });

  it('waits for every reason to end, and leaves at least a second to read it again', () => {
    toasts.show({ message: 'Deleted “A”', durationMs: 5000 });
    vi.advanceTimersByTime(4900);
    toasts.pause('pointer');
    toasts.pause('focus');
    toasts.resume('pointer');
    vi.advanceTimersByTime(10_000);
    expect(messages()).toEqual(['Deleted “A”']);
    toasts.resume('focus');
    vi.advanceTimersByTime(TOAST_RESUME_MIN_MS - 1);
    expect(messages()).toEqual(['Deleted “A”']);
    vi.advanceTimersByTime(1);
    expect(messages()).toEqual([]);
  });

  it('a toast shown while they are paused waits with them; its hold is paused at once', () => {
    const hold = { pause: vi.fn(), resume: vi.fn() };
    toasts.pause('hidden');
    toasts.show({ message: 'Deleted “B”', durationMs: 5000, hold });
    expect(hold.pause).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(messages()).toEqual(['Deleted “B”']);
    toasts.resume('hidden');
    expect(hold.resume).toHaveBeenCalledWith(5000);
    vi.advanceTimersByTime(5000);
    expect(messages()).toEqual([]);
  });

  it('its hold pauses and resumes with it, with the time it has left; closed while paused, the hold runs on', () => {
    const hold = { pause: vi.fn(), resume: vi.fn() };
    const id = toasts.show({ message: 'Deleted “C”', durationMs: 5000, hold });
    vi.advanceTimersByTime(1500);
    toasts.pause('focus');
    toasts.pause('pointer');
    expect(hold.pause).toHaveBeenCalledTimes(1);
    toasts.resume('focus');
    toasts.resume('pointer');
    expect(hold.resume).toHaveBeenCalledWith(3500);
    vi.advanceTimersByTime(500);
    toasts.pause('pointer');
    toasts.dismiss(id); // its ✕
    expect(hold.resume).toHaveBeenLastCalledWith(3000);
    expect(hold.resume).toHaveBeenCalledTimes(2);
  });
});

describe('toasts.opened (a task opened, whichever way)', () => {
  afterEach(() => {
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
  });

  it('takes away the toasts that led to that task, and only those', () => {
    const show = { label: 'Show', run: vi.fn() };
    toasts.show({ message: 'Added “A”', action: show, durationMs: 5000, leadsTo: 'task-a' });
    toasts.show({ message: 'Added “B”', action: show, durationMs: 5000, leadsTo: 'task-b' });
    toasts.show({
      message: 'Completed “A”',
      action: { label: 'Undo', run: vi.fn() },
      durationMs: 5000,
    });
    toasts.opened('task-a');
    expect(toasts.getSnapshot().map((t) => t.message)).toEqual(['Added “B”', 'Completed “A”']);
    toasts.opened('task-c');
    expect(toasts.getSnapshot()).toHaveLength(2);
    expect(show.run).not.toHaveBeenCalled();
  });
});

describe('toasts.update (news that keeps coming, in one toast)', () => {
  afterEach(() => {
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
    vi.useRealTimers();
  });

  it('says the new words in the same place, with a fresh window; gone, it shows anew', () => {
    vi.useFakeTimers();
    const first = toasts.show({ message: 'Ana assigned “A” to you', durationMs: 8000 });
    toasts.show({ message: 'Completed “B”', durationMs: 8000 });
    vi.advanceTimersByTime(6000);
    expect(toasts.update(first, { message: 'Ana assigned you 2 tasks', durationMs: 8000 })).toBe(
      first,
    );
    expect(toasts.getSnapshot().map((t) => t.message)).toEqual([
      'Ana assigned you 2 tasks',
      'Completed “B”',
    ]);
    expect(toasts.left(first)).toBe(8000);
    // Its old window (2 s left) no longer ends it; the new one does.
    vi.advanceTimersByTime(7000);
    expect(toasts.getSnapshot().map((t) => t.message)).toEqual(['Ana assigned you 2 tasks']);
    vi.advanceTimersByTime(1001);
    expect(toasts.getSnapshot()).toEqual([]);
    const again = toasts.update(first, { message: 'Ana assigned you 3 tasks', durationMs: 8000 });
    expect(again).not.toBe(first);
    expect(toasts.getSnapshot().map((t) => t.message)).toEqual(['Ana assigned you 3 tasks']);
  });

  it('waits with the others while they are paused', () => {
    vi.useFakeTimers();
    const id = toasts.show({ message: 'Ana assigned “A” to you', durationMs: 8000 });
    toasts.pause('pointer');
    toasts.update(id, { message: 'Ana assigned you 2 tasks', durationMs: 8000 });
    vi.advanceTimersByTime(20_000);
    expect(toasts.left(id)).toBe(8000);
    toasts.resume('pointer');
    vi.advanceTimersByTime(8001);
    expect(toasts.getSnapshot()).toEqual([]);
  });
});

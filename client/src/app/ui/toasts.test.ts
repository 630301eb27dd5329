import { afterEach, describe, expect, it, vi } from 'vitest';
import { toasts } from './toasts';

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
    expect(toasts.undoLatest()).toBe(true);
    expect(second).toHaveBeenCalledTimes(1);
    expect(first).not.toHaveBeenCalled();
    expect(show).not.toHaveBeenCalled();
    expect(toasts.getSnapshot().map((t) => t.message)).toEqual(['Completed “A”', 'Added “C”']);
    expect(toasts.undoLatest()).toBe(true);
    expect(first).toHaveBeenCalledTimes(1);
    expect(toasts.undoLatest()).toBe(false);
  });

  it('does nothing once the toast is gone (its undo window over)', () => {
    vi.useFakeTimers();
    try {
      const run = vi.fn();
      toasts.show({ message: 'Deleted “D”', action: { label: 'Undo', run }, durationMs: 5000 });
      vi.advanceTimersByTime(5001);
      expect(toasts.undoLatest()).toBe(false);
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
    expect(toasts.undoLatest()).toBe(false);
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
    expect(toasts.undoLatest()).toBe(true);
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

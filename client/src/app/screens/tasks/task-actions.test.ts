// @vitest-environment happy-dom
// A window, for the storage events another tab sends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createPendingDeletes,
  pendingDeletesKey,
  UNDO_WINDOW_MS,
} from '../../../data/pending-deletes';
import { toasts } from '../../ui/toasts';
import { dayLabel, weekdayName } from '../../ui/format';
import { setDueMessage, showDeleted } from './task-actions';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

const book = { id: 't1', projectId: 'p1', status: 'todo' as const, title: 'Pack books' };

describe('a delete’s toast and its held delete keep one window', () => {
  const stops: (() => void)[] = [];
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    for (const reason of ['pointer', 'focus', 'hidden'] as const) toasts.resume(reason);
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
    vi.useRealTimers();
  });

  function deleteWithToast(storage = memoryStorage()) {
    const commit = vi.fn(async (_id: string) => undefined);
    const pending = createPendingDeletes({ userId: 'u', storage, commit });
    stops.push(pending.start());
    pending.schedule(book);
    showDeleted(pending, ['t1'], 'Deleted “Pack books”', () => pending.undo('t1'));
    return { commit, pending };
  }

  it('is not sent while its toast is hovered past the window, and Undo still takes it back', async () => {
    const { commit, pending } = deleteWithToast();
    await vi.advanceTimersByTimeAsync(4000);
    toasts.pause('pointer');
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS * 4);
    expect(commit).not.toHaveBeenCalled();
    expect(toasts.undoLatest()).toBeDefined();
    expect(pending.getSnapshot().size).toBe(0);
    toasts.resume('pointer');
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS * 4);
    expect(commit).not.toHaveBeenCalled();
  });

  it('is sent when the toast goes, the time it had left after the pointer leaves', async () => {
    const { commit } = deleteWithToast();
    await vi.advanceTimersByTimeAsync(3000);
    toasts.pause('pointer');
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS * 4);
    toasts.resume('pointer');
    await vi.advanceTimersByTimeAsync(1999);
    expect(commit).not.toHaveBeenCalled();
    expect(toasts.getSnapshot()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(commit).toHaveBeenCalledWith('t1');
    expect(toasts.getSnapshot()).toHaveLength(0);
    expect(toasts.undoLatest()).toBeUndefined();
  });

  it('goes when another tab, starting while it is held, sends the delete: no Undo for a sent delete', async () => {
    const storage = memoryStorage();
    const { pending } = deleteWithToast(storage);
    toasts.pause('focus');
    // Another tab opens: to it the paused intent is one a page left behind, so it sends it.
    const other = createPendingDeletes({ userId: 'u', storage, commit: async () => undefined });
    stops.push(other.start());
    await vi.advanceTimersByTimeAsync(0);
    window.dispatchEvent(new StorageEvent('storage', { key: pendingDeletesKey('u') }));
    expect(pending.getSnapshot().size).toBe(0);
    expect(toasts.getSnapshot()).toHaveLength(0);
    expect(toasts.undoLatest()).toBeUndefined();
  });
});

describe('the toast for a due date set', () => {
  // Thursday, December 3, 2026. The rows say "Today", "Tomorrow", "Saturday": so does the toast.
  const today = '2026-12-03';
  const swag = [{ title: 'Order swag' }];

  it('says the day as the row does, not a date the list does not show', () => {
    expect(setDueMessage(swag, '2026-12-03', today)).toBe('Set “Order swag” due today');
    expect(setDueMessage(swag, '2026-12-04', today)).toBe('Set “Order swag” due tomorrow');
    expect(setDueMessage([...swag, { title: 'Book room' }], '2026-12-05', today)).toBe(
      `Set 2 tasks due ${weekdayName(new Date(2026, 11, 5))}`,
    );
    // From a week on, and for a day gone by, the date, as on the row.
    const date = (d: number) => dayLabel(new Date(2026, 11, d), { weekday: false, year: false });
    expect(setDueMessage(swag, '2026-12-10', today)).toBe(`Set “Order swag” due ${date(10)}`);
    expect(setDueMessage(swag, '2026-12-01', today)).toBe(`Set “Order swag” due ${date(1)}`);
  });
});

// @vitest-environment happy-dom
// A window, for the storage events other tabs send.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPendingDeletes, pendingDeletesKey, UNDO_WINDOW_MS } from './pending-deletes';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

const intent = { id: 't1', projectId: 'p1', status: 'todo' as const, title: 'Pack books' };

describe('deletes with an undo window', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hides at once and deletes only when the window ends', async () => {
    const commit = vi.fn(async () => undefined);
    const pending = createPendingDeletes({ userId: 'u', storage: memoryStorage(), commit });
    pending.start();
    pending.schedule(intent);
    expect(pending.getSnapshot().has('t1')).toBe(true);
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS - 1);
    expect(commit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(commit).toHaveBeenCalledWith('t1');
    expect(pending.getSnapshot().size).toBe(0);
  });

  it('an undone delete is never committed', async () => {
    const commit = vi.fn(async () => undefined);
    const storage = memoryStorage();
    const pending = createPendingDeletes({ userId: 'u', storage, commit });
    pending.start();
    pending.schedule(intent);
    pending.undo('t1');
    expect(pending.getSnapshot().has('t1')).toBe(false);
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS * 3);
    expect(commit).not.toHaveBeenCalled();
    expect(storage.map.has(pendingDeletesKey('u'))).toBe(false);
  });

  it('a bulk delete hides many with one notice, and one undo brings them all back', async () => {
    const commit = vi.fn(async () => undefined);
    const storage = memoryStorage();
    const pending = createPendingDeletes({ userId: 'u', storage, commit });
    pending.start();
    const notices = vi.fn();
    pending.subscribe(notices);
    const many = ['t1', 't2', 't3'].map((id) => ({ ...intent, id }));
    pending.scheduleMany(many);
    expect(notices).toHaveBeenCalledTimes(1);
    expect([...pending.getSnapshot()]).toEqual(['t1', 't2', 't3']);
    pending.undoMany(['t1', 't2', 't3']);
    expect(pending.getSnapshot().size).toBe(0);
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS * 3);
    expect(commit).not.toHaveBeenCalled();
    expect(storage.map.has(pendingDeletesKey('u'))).toBe(false);
  });

  it('survives a reload inside the window: the next start keeps it hidden and commits it', async () => {
    const storage = memoryStorage();
    const first = createPendingDeletes({
      userId: 'u',
      storage,
      commit: vi.fn(async () => undefined),
    });
    const stop = first.start();
    first.schedule(intent);
    stop(); // the page goes away before the window ends
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS * 2);

    const commit = vi.fn(async () => undefined);
    const second = createPendingDeletes({ userId: 'u', storage, commit });
    expect(second.getSnapshot().has('t1')).toBe(true);
    second.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(commit).toHaveBeenCalledWith('t1');
    expect(second.getSnapshot().size).toBe(0);
  });

  it('a task already gone counts as deleted; stored garbage is ignored', async () => {
    const storage = memoryStorage();
    storage.setItem(pendingDeletesKey('u'), '{"not":"a list"}');
    const notFound = Object.assign(new Error('gone'), { name: 'NotFoundError' });
    const onError = vi.fn();
    const pending = createPendingDeletes({
      userId: 'u',
      storage,
      commit: vi.fn(async () => Promise.reject(notFound)),
      onError,
    });
    expect(pending.getSnapshot().size).toBe(0);
    pending.start();
    pending.schedule(intent);
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS);
    expect(onError).not.toHaveBeenCalled();
    expect(pending.getSnapshot().size).toBe(0);
  });

  it('a database closed under it (another tab upgraded it) keeps the delete, sent at the next start', async () => {
    const storage = memoryStorage();
    const closed = Object.assign(new Error('closed'), { name: 'DatabaseClosedError' });
    const onError = vi.fn();
    const pending = createPendingDeletes({
      userId: 'u',
      storage,
      commit: vi.fn(async () => Promise.reject(closed)),
      onError,
    });
    pending.start();
    pending.schedule(intent);
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS);
    // Nothing could be done, and nothing is lost: still held, still hidden, not an error.
    expect(onError).not.toHaveBeenCalled();
    expect(pending.getSnapshot().has('t1')).toBe(true);
    expect(storage.map.get(pendingDeletesKey('u'))).toContain('"t1"');
    // The page reloaded into the newer version: its start sends it.
    const commit = vi.fn(async () => undefined);
    createPendingDeletes({ userId: 'u', storage, commit }).start();
    await vi.advanceTimersByTimeAsync(0);
    expect(commit).toHaveBeenCalledWith('t1');
  });

  it('a paused window stands still; resumed, the delete is sent when the time given runs out', async () => {
    const commit = vi.fn(async () => undefined);
    const storage = memoryStorage();
    const pending = createPendingDeletes({ userId: 'u', storage, commit });
    pending.start();
    pending.scheduleMany([intent, { ...intent, id: 't2' }]);
    await vi.advanceTimersByTimeAsync(3000);
    pending.pause(['t1', 't2']);
    // Paused in storage: another tab holds it too, and a reload finds it so.
    expect(JSON.parse(storage.map.get(pendingDeletesKey('u'))!)[0]).toHaveProperty('pausedAt');
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS * 4);
    expect(commit).not.toHaveBeenCalled();
    expect([...pending.getSnapshot()]).toEqual(['t1', 't2']);
    pending.resume(['t1', 't2'], 2000);
    await vi.advanceTimersByTimeAsync(1999);
    expect(commit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(commit.mock.calls).toEqual([['t1'], ['t2']]);
    expect(pending.getSnapshot().size).toBe(0);
  });

  it('another tab does not send a delete paused here, and sends it on this tab’s deadline once resumed', async () => {
    const storage = memoryStorage();
    // One server: whichever tab's timer fires first sends it, the other finds it gone.
    const commit = vi.fn(async () => undefined);
    const here = createPendingDeletes({ userId: 'u', storage, commit });
    const there = createPendingDeletes({ userId: 'u', storage, commit });
    here.start();
    there.start();
    const key = pendingDeletesKey('u');
    const tell = () => window.dispatchEvent(new StorageEvent('storage', { key }));
    here.schedule(intent);
    tell();
    await vi.advanceTimersByTimeAsync(1000);
    here.pause(['t1']);
    tell();
    await vi.advanceTimersByTimeAsync(UNDO_WINDOW_MS * 4);
    expect(commit).not.toHaveBeenCalled();
    here.resume(['t1'], 3000);
    tell();
    await vi.advanceTimersByTimeAsync(2999);
    expect(commit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(commit.mock.calls).toEqual([['t1']]);
    expect(there.getSnapshot().size).toBe(0);
  });

  it('left paused by a page that went away (a crash), the delete is sent at the next start', async () => {
    const storage = memoryStorage();
    const first = createPendingDeletes({
      userId: 'u',
      storage,
      commit: vi.fn(async () => undefined),
    });
    const stop = first.start();
    first.schedule(intent);
    first.pause(['t1']);
    stop();

    const commit = vi.fn(async () => undefined);
    const second = createPendingDeletes({ userId: 'u', storage, commit });
    expect(second.getSnapshot().has('t1')).toBe(true);
    second.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(commit).toHaveBeenCalledWith('t1');
    expect(second.getSnapshot().size).toBe(0);
    expect(storage.map.has(pendingDeletesKey('u'))).toBe(false);
  });
});

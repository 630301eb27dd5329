// @vitest-environment happy-dom
import { act } from 'react';
import { QueryClient } from '@tanstack/react-query';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { describe, expect, it, vi } from 'vitest';
import { testRoot } from '../app/testing/test-root';
import { usePersistAsPageGoes } from './persist-as-page-goes';
import { createPersistOptions, persistNow, queryCacheKey, type CacheStorage } from './queryClient';
import { createCacheFreshness, type CacheFreshness } from './cache-freshness';

const t = testRoot();
const input = { userId: 'u1', appVersion: 'v1' };
const KEY = ['projects', 'detail', 'p1'];

/** A cache persisted by an earlier page, holding the project's description before the save. */
function storageWithOld(): Storage {
  const before = new QueryClient();
  before.setQueryData(KEY, { description: 'Old' });
  const storage = window.localStorage;
  storage.clear();
  persistNow(before, { ...input, storage });
  return storage;
}

const stored = (storage: CacheStorage) => storage.getItem(queryCacheKey(input.userId)) ?? '';

async function mount(storage: CacheStorage, db: { isOpen(): boolean }, freshness?: CacheFreshness) {
  const queryClient = new QueryClient();
  const restoredOnce = new Promise<void>((resolve) => {
    // As OutpostDataProvider wires them.
    function Provider() {
      const goes = usePersistAsPageGoes(
        queryClient,
        { ...input, storage, ...(freshness ? { freshness } : {}) },
        db,
      );
      return (
        <PersistQueryClientProvider
          client={queryClient}
          persistOptions={createPersistOptions({ ...input, storage: goes.storage })}
          onSuccess={() => (goes.restored(), resolve())}
        />
      );
    }
    act(() => t.root.render(<Provider />));
  });
  await act(() => restoredOnce);
  return queryClient;
}

/** Freshness whose tasks the test runs by hand (`runTasks`). */
function handFreshness() {
  const queue: (() => void)[] = [];
  const freshness = createCacheFreshness(
    () => window.localStorage.removeItem(queryCacheKey(input.userId)),
    (run) => void queue.push(run),
  );
  const runTasks = () => {
    while (queue.length > 0) queue.shift()!();
  };
  return { freshness, runTasks };
}

/** `storage`, counting the writes of the stored cache. */
function counting(storage: Storage) {
  let writes = 0;
  const counted: CacheStorage = {
    getItem: (key) => storage.getItem(key),
    removeItem: (key) => storage.removeItem(key),
    setItem(key, value) {
      if (key === queryCacheKey(input.userId)) writes++;
      storage.setItem(key, value);
    },
  };
  return { storage: counted, writes: () => writes };
}

describe('usePersistAsPageGoes', () => {
  it('writes the cache as the page goes: the next start restores the value saved just before', async () => {
    const storage = storageWithOld();
    const queryClient = await mount(storage, { isOpen: () => true });
    expect(queryClient.getQueryData(KEY)).toEqual({ description: 'Old' });
    // Saved, and the page reloaded within the persister's second (its write still waiting).
    queryClient.setQueryData(KEY, { description: 'New' });
    window.dispatchEvent(new Event('pagehide'));
    expect(stored(storage)).toContain('"New"');
    expect(stored(storage)).not.toContain('"Old"');
  });

  it('writes nothing once the database is closed (signed out: the copy is gone)', async () => {
    const storage = storageWithOld();
    let open = true;
    const queryClient = await mount(storage, { isOpen: () => open });
    queryClient.setQueryData(KEY, { description: 'New' });
    open = false;
    storage.removeItem(queryCacheKey(input.userId));
    window.dispatchEvent(new Event('pagehide'));
    expect(stored(storage)).toBe('');
  });

  it('leaves no stored cache when the page goes inside a write: the next start paints the database', async () => {
    const storage = storageWithOld();
    const { freshness, runTasks } = handFreshness();
    const queryClient = await mount(storage, { isOpen: () => true }, freshness);
    // The save is in flight (its commit may land as the page goes); the cache still shows Old.
    void freshness.write(() => new Promise(() => undefined));
    window.dispatchEvent(new Event('pagehide'));
    expect(stored(storage)).toBe('');
    runTasks();
    expect(queryClient.getQueryData(KEY)).toEqual({ description: 'Old' });
  });

  it("makes the persister's write it skipped while not fresh once the cache is fresh", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const storage = storageWithOld();
      const { freshness, runTasks } = handFreshness();
      const queryClient = await mount(storage, { isOpen: () => true }, freshness);
      let commit!: () => void;
      const written = freshness.write(() => new Promise<void>((resolve) => (commit = resolve)));
      queryClient.setQueryData(['other'], 1);
      // The persister's second passes with the write in flight: nothing stored.
      vi.advanceTimersByTime(1000);
      expect(stored(storage)).toBe('');
      // Committed, and the live read it set off put the new value in the cache.
      commit();
      await written;
      queryClient.setQueryData(KEY, { description: 'New' });
      runTasks();
      expect(stored(storage)).toContain('"New"');
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes nothing as the page is hidden again with nothing changed since the last write', async () => {
    const { storage, writes } = counting(storageWithOld());
    const { freshness } = handFreshness();
    const queryClient = await mount(storage, { isOpen: () => true }, freshness);
    const hide = () => window.dispatchEvent(new Event('pagehide'));
    hide();
    expect(writes()).toBe(1);
    hide();
    expect(writes()).toBe(1);
    queryClient.setQueryData(KEY, { description: 'New' });
    hide();
    expect(writes()).toBe(2);
  });
});

// @vitest-environment happy-dom
import { act } from 'react';
import { QueryClient } from '@tanstack/react-query';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { describe, expect, it } from 'vitest';
import { testRoot } from '../app/testing/test-root';
import { usePersistAsPageGoes } from './persist-as-page-goes';
import { createPersistOptions, persistNow, queryCacheKey } from './queryClient';

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

const stored = (storage: Storage) => storage.getItem(queryCacheKey(input.userId)) ?? '';

async function mount(storage: Storage, db: { isOpen(): boolean }) {
  const queryClient = new QueryClient();
  const restoredOnce = new Promise<void>((resolve) => {
    function Probe({ onRestored }: { onRestored: (done: () => void) => void }) {
      onRestored(usePersistAsPageGoes(queryClient, { ...input, storage }, db));
      return null;
    }
    let restored: () => void = () => undefined;
    act(() =>
      t.root.render(
        <PersistQueryClientProvider
          client={queryClient}
          persistOptions={createPersistOptions({ ...input, storage })}
          onSuccess={() => (restored(), resolve())}
        >
          <Probe onRestored={(done) => (restored = done)} />
        </PersistQueryClientProvider>,
      ),
    );
  });
  await act(() => restoredOnce);
  return queryClient;
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
});

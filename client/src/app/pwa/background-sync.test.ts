import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '@outpost/sync';
import { initialStatus } from '@outpost/sync/testing';
import { createStore } from '../ui/store';
import { registerBackgroundSyncOnFailure } from './background-sync';

function setup() {
  const status = createStore<SyncStatus>(initialStatus(true));
  const registered: string[] = [];
  const registration = {
    sync: {
      register: async (tag: string) => void registered.push(tag),
      getTags: async () => registered,
    },
  } as unknown as ServiceWorkerRegistration;
  const abort = new AbortController();
  registerBackgroundSyncOnFailure({
    userId: 'u1',
    status,
    registration: async () => registration,
    signal: abort.signal,
  });
  const flush = () => new Promise((r) => setTimeout(r, 0));
  return { status, registered, abort, flush };
}

describe('Background Sync registration', () => {
  it('registers the user tag when a write is pending and the network is down', async () => {
    const { status, registered, flush } = setup();
    status.set({ ...status.getSnapshot(), pending: 1 });
    await flush();
    expect(registered).toEqual([]);
    status.set({ ...status.getSnapshot(), online: false });
    await flush();
    expect(registered).toEqual(['outpost-push:u1']);
  });

  it('registers when a push fails with a network error while the browser claims to be online', async () => {
    const { status, registered, flush } = setup();
    status.set({
      ...status.getSnapshot(),
      pending: 2,
      lastError: { name: 'NetworkError', message: 'Failed to fetch', code: null, at: 1 },
    });
    await flush();
    expect(registered).toEqual(['outpost-push:u1']);
  });

  it('does not register for other failures (a rejected or refused push is not a network problem)', async () => {
    const { status, registered, flush } = setup();
    status.set({
      ...status.getSnapshot(),
      pending: 2,
      lastError: { name: 'HttpError', message: 'HTTP 400', code: 'BAD_REQUEST', at: 1 },
    });
    await flush();
    expect(registered).toEqual([]);
  });

  it('stops listening once the workspace closes', async () => {
    const { status, registered, abort, flush } = setup();
    abort.abort();
    status.set({ ...status.getSnapshot(), pending: 1, online: false });
    await flush();
    expect(registered).toEqual([]);
  });
});

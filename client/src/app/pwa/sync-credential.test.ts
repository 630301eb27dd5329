import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { orgIdSchema, type SyncCredential } from '@outpost/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { openReplica, type Replica, type StatusAction, type SyncStatus } from '@outpost/sync';
import { setStored } from '@outpost/sync/stored';
import {
  CHECK_EVERY_MS,
  credentialRequests,
  keepSyncCredential,
  revokeCredential,
} from './sync-credential';
import { initialStatus, statusReducer } from '@outpost/sync/testing';

const userId = '0190a0b0-0000-7000-8000-0000000000aa';
const DAY = 86_400_000;
const open: Replica[] = [];
afterEach(() => open.splice(0).forEach((r) => r.close()));

/** The engine's status, driven by hand: leadership and successful syncs. */
function statusStore() {
  let state: SyncStatus = initialStatus(true);
  const listeners = new Set<() => void>();
  return {
    subscribe: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)),
    getSnapshot: () => state,
    dispatch(action: StatusAction) {
      state = statusReducer(state, action);
      for (const l of listeners) l();
    },
  };
}

async function openTestReplica(): Promise<Replica> {
  const replica = await openReplica({
    userId,
    orgId: orgIdSchema.parse('acme'),
    indexedDB: new IDBFactory(),
    IDBKeyRange,
    sentinel: null,
  });
  open.push(replica);
  return replica;
}

async function setup() {
  const replica = await openTestReplica();
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const created: number[] = [];
  const requests = {
    create: async (clientId: string): Promise<SyncCredential> => {
      created.push(clock);
      return {
        id: `cred${created.length}`,
        credential: 'osc_abc.def',
        clientId,
        expiresAt: new Date(clock + 30 * DAY).toISOString(),
      } as SyncCredential;
    },
  };
  const status = statusStore();
  const stop = new AbortController();
  const upkeep = keepSyncCredential({
    replica,
    requests,
    status,
    signal: stop.signal,
    now: () => clock,
  });
  const stored = async () => (await replica.db.meta.get('credential'))?.value as SyncCredential;
  const settled = () => upkeep.settled();
  const sync = async (advance = 1) => {
    clock += advance;
    status.dispatch({ type: 'syncSucceeded', at: clock });
    await settled();
  };
  return { replica, status, stop, created, stored, sync, settled };
}

describe('the device sync credential for the service worker', () => {
  it('the leading tab obtains one after a successful sync, then looks at most hourly and renews it before it expires', async () => {
    const t = await setup();
    t.status.dispatch({ type: 'leader', isLeader: true });
    await t.settled();
    expect(t.created).toHaveLength(0); // Not before a sync succeeded.
    await t.sync();
    expect(t.created).toHaveLength(1);
    expect((await t.stored()).clientId).toBe(t.replica.clientId);
    await t.sync(CHECK_EVERY_MS / 2);
    await t.sync(CHECK_EVERY_MS);
    expect(t.created).toHaveLength(1); // Fresh: kept.
    await t.sync(29 * DAY + 1);
    expect(t.created).toHaveLength(2); // Within a day of expiring: renewed.
    expect((await t.stored()).id).toBe('cred2');
    t.stop.abort();
    await t.sync(30 * DAY);
    expect(t.created).toHaveLength(2);
  });

  it('a follower tab leaves it to the leader', async () => {
    const t = await setup();
    await t.sync();
    t.status.dispatch({
      type: 'fromLeader',
      status: { ...t.status.getSnapshot(), lastSyncedAt: 5 },
    });
    await t.settled();
    expect(t.created).toHaveLength(0);
    expect(await t.stored()).toBeUndefined();
  });
});

describe('the credential endpoints', () => {
  const credential = {
    id: 'cred1',
    credential: 'osc_abc.def',
    clientId: '0190a0b0-0000-7000-8000-0000000000bb',
    expiresAt: '2026-12-31T00:00:00.000Z',
  };

  function fakeFetch(answer: (req: { method: string; url: string }) => Response) {
    const calls: { method: string; url: string; auth: string | null; body: unknown }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      calls.push({
        method,
        url,
        auth: new Headers(init.headers).get('authorization'),
        body: init.body === undefined ? undefined : JSON.parse(init.body as string),
      });
      return answer({ method, url });
    }) as typeof fetch;
    return { calls, fetchFn };
  }

  it('creates one for this device with the session token, its answer checked', async () => {
    const f = fakeFetch(() => Response.json(credential, { status: 201 }));
    const requests = credentialRequests(async () => 'tok', f.fetchFn);
    expect(await requests.create(credential.clientId as never)).toEqual(credential);
    expect(f.calls).toEqual([
      {
        method: 'POST',
        url: '/api/v1/sync/credentials',
        auth: 'Bearer tok',
        body: { clientId: credential.clientId },
      },
    ]);
    const odd = fakeFetch(() => Response.json({ ...credential, credential: 'nope' }));
    await expect(
      credentialRequests(async () => 'tok', odd.fetchFn).create(credential.clientId as never),
    ).rejects.toThrow();
  });

  it('signing out revokes the stored one; a refusal or none stored is not an error, no answer is', async () => {
    const replica = await openTestReplica();
    const f = fakeFetch(() => new Response(null, { status: 204 }));
    const requests = credentialRequests(async () => 'tok', f.fetchFn);
    await revokeCredential(replica, requests);
    expect(f.calls).toEqual([]);
    await setStored(replica.db, 'credential', credential as SyncCredential);
    await revokeCredential(replica, requests);
    expect(f.calls).toEqual([
      {
        method: 'DELETE',
        url: '/api/v1/sync/credentials/cred1',
        auth: 'Bearer tok',
        body: undefined,
      },
    ]);
    const refused = fakeFetch(() => new Response(null, { status: 401 }));
    await revokeCredential(
      replica,
      credentialRequests(async () => 'tok', refused.fetchFn),
    );
    expect(refused.calls).toHaveLength(1);
    // No answer, or the server failing, is an error: sign-out asks before going on without it.
    const down = fakeFetch(() => new Response(null, { status: 503 }));
    await expect(
      revokeCredential(
        replica,
        credentialRequests(async () => 'tok', down.fetchFn),
      ),
    ).rejects.toThrow(/HTTP 503/);
    const unreachable = credentialRequests(
      async () => 'tok',
      () => Promise.reject(new TypeError('Failed to fetch')),
    );
    await expect(revokeCredential(replica, unreachable)).rejects.toThrow('Failed to fetch');
  });
});

import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  newClientId,
  orgIdSchema,
  PROTOCOL_VERSION,
  pushRequestSchema,
  userSchema,
  type EntityId,
  type PushResponse,
} from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import {
  createSyncClient,
  databaseName,
  openReplica,
  type SyncTransport,
  readOutboxEntries,
} from '@outpost/sync';
import { backgroundPush, syncTagFor, userIdFromTag } from './background-push';

const orgId = orgIdSchema.parse('acme');
const userId = '0190a0b0-0000-7000-8000-0000000000aa';
const user = userSchema.parse({
  id: userId,
  orgId: 'acme',
  email: 'ana@example.com',
  name: 'Ana',
  role: 'admin',
  externalId: 'dev|ana',
  createdAt: '2026-11-23T00:00:00.000Z',
  updatedAt: '2026-11-23T00:00:00.000Z',
  version: 1,
});

async function replicaWithWrites(idb: IDBFactory, opts: { credential: boolean }) {
  const replica = await openReplica({
    userId,
    orgId,
    user,
    indexedDB: idb,
    IDBKeyRange,
    sentinel: null,
  });
  if (opts.credential) {
    await replica.db.meta.put({
      key: 'credential',
      value: {
        id: 'cred-1',
        credential: 'osc_abc.def',
        clientId: replica.clientId,
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
    });
  }
  // Writes only (never started): the network is the service worker's here.
  const client = createSyncClient({
    replica,
    transport: {} as SyncTransport,
    broadcast: null,
    environment: null,
    lock: null,
  });
  const projectId = await client.createProject({ name: 'Offline', ownerId: userId as EntityId });
  await client.createTask({ projectId, title: 'Written with the tab closed' });
  replica.close();
  return replica;
}

/** A fake server: records requests, answers every mutation `applied`. */
function fakeServer(
  answer: (ids: number[]) => PushResponse | Error = (ids) => ({
    protocolVersion: PROTOCOL_VERSION,
    lastMutationId: ids.at(-1)!,
    cursor: 7,
    results: ids.map((id) => ({ id: id as never, status: 'applied' as const })),
  }),
) {
  const requests: { url: string; auth: string | null; body: unknown }[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const body: unknown = JSON.parse(String(init?.body));
    requests.push({
      url: String(url),
      auth: new Headers(init?.headers).get('authorization'),
      body,
    });
    const ids = pushRequestSchema.parse(body).mutations.map((m) => m.id as number);
    const res = answer(ids);
    if (res instanceof Error) throw res;
    return new Response(JSON.stringify(res), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { requests, fetch: fetch as typeof globalThis.fetch };
}

describe('service-worker background push', () => {
  it('pushes the queued outbox with the device credential and records the acknowledgement', async () => {
    const idb = new IDBFactory();
    const replica = await replicaWithWrites(idb, { credential: true });
    const server = fakeServer();

    const result = await backgroundPush({
      userId,
      baseUrl: 'http://outpost.test',
      indexedDB: idb,
      IDBKeyRange,
      fetch: server.fetch,
    });

    expect(result).toEqual({ status: 'pushed', sent: 2, rejected: 0 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.url).toBe('http://outpost.test/api/v1/sync/push');
    expect(server.requests[0]!.auth).toBe('Bearer osc_abc.def');
    const body = pushRequestSchema.parse(server.requests[0]!.body);
    expect(body.clientId).toBe(replica.clientId);
    expect(body.mutations.map((m) => m.type)).toEqual(['project.create', 'task.create']);

    // Acknowledged entries are no longer "unsent": a second replay sends nothing.
    const again = await backgroundPush({
      userId,
      baseUrl: 'http://outpost.test',
      indexedDB: idb,
      IDBKeyRange,
      fetch: server.fetch,
    });
    expect(again).toEqual({ status: 'nothing-to-send' });
    expect(server.requests).toHaveLength(1);
  });

  it('throws while the network is still down, so the browser retries the sync later', async () => {
    const idb = new IDBFactory();
    await replicaWithWrites(idb, { credential: true });
    const server = fakeServer(() => new TypeError('Failed to fetch'));
    await expect(
      backgroundPush({
        userId,
        baseUrl: 'http://outpost.test',
        indexedDB: idb,
        IDBKeyRange,
        fetch: server.fetch,
      }),
    ).rejects.toThrow(/Failed to fetch/);
  });

  it('rolls back rejected mutations like the page does', async () => {
    const idb = new IDBFactory();
    await replicaWithWrites(idb, { credential: true });
    const server = fakeServer((ids) => ({
      protocolVersion: PROTOCOL_VERSION,
      lastMutationId: ids.at(-1)!,
      cursor: 9,
      results: [
        { id: ids[0]! as never, status: 'applied' },
        {
          id: ids[1]! as never,
          status: 'rejected',
          code: 'forbidden',
          reason: 'members cannot do that',
        },
      ],
    }));
    const result = await backgroundPush({
      userId,
      baseUrl: 'http://outpost.test',
      indexedDB: idb,
      IDBKeyRange,
      fetch: server.fetch,
    });
    expect(result).toEqual({ status: 'pushed', sent: 2, rejected: 1 });
    const replica = await openReplica({
      userId,
      orgId,
      indexedDB: idb,
      IDBKeyRange,
      sentinel: null,
    });
    expect(await replica.db.tasks.count()).toBe(0);
    expect(await replica.db.projects.count()).toBe(1);
    replica.close();
  });

  it('replaying from a database restored from an older copy acks nothing the server only knows from a later copy', async () => {
    const idb = new IDBFactory();
    await replicaWithWrites(idb, { credential: true });
    // The server already processed ids 1..5 of this client (from the copy the restore replaced):
    // it answers the old ids 1 and 2 as duplicates.
    const server = fakeServer((ids) => ({
      protocolVersion: PROTOCOL_VERSION,
      lastMutationId: 5,
      cursor: 12,
      results: ids.map((id) => ({ id: id as never, status: 'duplicate' as const })),
    }));
    const result = await backgroundPush({
      userId,
      baseUrl: 'http://outpost.test',
      indexedDB: idb,
      IDBKeyRange,
      fetch: server.fetch,
    });
    const replica = await openReplica({
      userId,
      orgId,
      indexedDB: idb,
      IDBKeyRange,
      sentinel: null,
    });
    // Both writes are still unsent (the page's loop renumbers and sends them), and still shown.
    const outbox = await readOutboxEntries(replica.db);
    expect(outbox.map((e) => [e.mutationId, e.acked])).toEqual([
      [1, 0],
      [2, 0],
    ]);
    expect(await replica.db.tasks.count()).toBe(1);
    expect(result).toEqual({ status: 'server-ahead', sent: 0, rejected: 0 });
    replica.close();
  });

  it('sends nothing without a device credential (never a stale session token)', async () => {
    const idb = new IDBFactory();
    await replicaWithWrites(idb, { credential: false });
    const server = fakeServer();
    const result = await backgroundPush({
      userId,
      baseUrl: 'http://outpost.test',
      indexedDB: idb,
      IDBKeyRange,
      fetch: server.fetch,
    });
    expect(result.status).toBe('skipped');
    expect(server.requests).toHaveLength(0);
  });

  it('does not create a database for a user who signed out', async () => {
    const idb = new IDBFactory();
    const server = fakeServer();
    const result = await backgroundPush({
      userId,
      baseUrl: 'http://outpost.test',
      indexedDB: idb,
      IDBKeyRange,
      fetch: server.fetch,
    });
    expect(result.status).toBe('skipped');
    expect((await idb.databases()).map((d) => d.name)).not.toContain(databaseName(userId));
  });

  it('maps sync tags to users and back', () => {
    const id = newClientId();
    expect(userIdFromTag(syncTagFor(id))).toBe(id);
    expect(userIdFromTag('something-else')).toBeNull();
  });
});

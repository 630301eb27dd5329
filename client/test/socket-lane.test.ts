import { readOutboxEntries } from '@outpost/sync';
// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type EntityId, type PushRequest } from '@outpost/shared';
import type { WebSocketLike } from '@outpost/sync';
import { MemoryServer, memoryTransport } from './helpers/memory-server';
import { newDevice, openTab, synced, until, type Tab } from './helpers/harness';

const open: Tab[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

/**
 * The poke socket of one user against a MemoryServer (protocol 6): answers each push and
 * pokes with the push's changes — the poke first, as the real server sends them (its commit
 * listeners poke before the writer is answered), or the answer first.
 */
function socketTo(
  server: MemoryServer,
  userId: string,
  log: string[],
  order: 'poke first' | 'answer first' = 'poke first',
) {
  return class FakeSocket implements WebSocketLike {
    readyState = 0;
    onopen: ((ev: unknown) => void) | null = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onclose: ((ev: { code: number; reason: string }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    constructor() {
      queueMicrotask(() => {
        this.readyState = 1;
        this.onopen?.({});
      });
    }
    /** Each message in a task of its own, as a socket delivers them. */
    #down(msg: unknown) {
      setTimeout(() => this.onmessage?.({ data: JSON.stringify(msg) }), 0);
    }
    send(data: string) {
      const msg = JSON.parse(data) as { type: string; n?: number; request?: PushRequest };
      if (msg.type === 'hello')
        this.#down({ type: 'welcome', cursor: server.head, heartbeatMs: 60_000 });
      if (msg.type !== 'push') return;
      log.push('push sent');
      const from = server.head;
      const response = server.push(userId, msg.request!);
      const page = server.pull({
        protocolVersion: PROTOCOL_VERSION,
        clientId: msg.request!.clientId,
        cursor: from,
        limit: 500,
      });
      const answer = { type: 'pushed', n: msg.n, response };
      const poke = {
        type: 'poke',
        cursor: response.cursor,
        carried: { from, changes: page.changes, activityFloor: page.activityFloor },
      };
      for (const m of order === 'poke first' ? [poke, answer] : [answer, poke]) this.#down(m);
    }
    close(code = 1000, reason = '') {
      if (this.readyState === 3) return;
      this.readyState = 3;
      queueMicrotask(() => this.onclose?.({ code, reason }));
    }
  };
}

describe('a write pushed over the socket', () => {
  it.each([
    ['poke first', 0],
    ['answer first', 1],
  ] as const)(
    'goes out without reading the outbox back, and its echo settles it in its own transaction (%s)',
    async (order, answerTransactions) => {
      const server = new MemoryServer();
      const user = server.addUser('admin');
      const log: string[] = [];
      const tab = await openTab(
        newDevice(),
        { userId: user.id, orgId: server.orgId },
        memoryTransport(server, user.id),
        {
          pokes: {
            url: 'ws://test/api/v1/sync/ws',
            getToken: async () => 'token',
            WebSocket: socketTo(server, user.id, log, order),
          },
        },
      );
      open.push(tab);
      const { db } = tab.replica;
      // Reads of the unsent entries (not the pending count's `count()`, whose recount timer
      // may fire anywhere), and the stores of each read-write transaction, in order.
      const where = db.writes.where.bind(db.writes);
      db.writes.where = ((index: string) => {
        const clause = where(index);
        if (index !== 'open') return clause;
        const equals = clause.equals.bind(clause);
        clause.equals = (value) => {
          const unsent = equals(value);
          const toArray = unsent.toArray.bind(unsent);
          unsent.toArray = ((...args: Parameters<typeof toArray>) => {
            log.push('outbox read');
            return toArray(...args);
          }) as typeof unsent.toArray;
          return unsent;
        };
        return clause;
      }) as typeof db.writes.where;
      const transaction = db.transaction.bind(db) as (...args: unknown[]) => unknown;
      (db as unknown as { transaction: unknown }).transaction = (...args: unknown[]) => {
        const tables = args.find(Array.isArray) as { name: string }[] | undefined;
        if (args[0] === 'rw' && tables)
          log.push(
            tables
              .map((t) => t.name)
              .sort()
              .join(','),
          );
        return transaction(...args);
      };
      const projectId = await tab.client.createProject({
        name: 'P',
        ownerId: user.id as EntityId,
      });
      await until(
        async () => (await readOutboxEntries(db)).length === 0,
        5_000,
        'the project acked',
      );
      await synced(tab);
      log.length = 0;

      await tab.client.createTask({ projectId, title: 'T' });
      // Acked and its echo applied: whichever comes second (the answer or the poke) may still
      // be in flight once the outbox is empty, and the status counts it once the transaction
      // that emptied it has committed (later than the outbox reads empty, on a loaded machine).
      await until(
        async () =>
          (await readOutboxEntries(db)).length === 0 &&
          (await db.meta.get('cursor'))?.value === server.head &&
          tab.client.status.getSnapshot().pending === 0,
        5_000,
        'the task acked, its echo applied and counted',
      );
      // The write itself (pushed from memory), the answer recorded, the echo applied with the
      // ack of the push: no outbox read before the push, no ack transaction of its own.
      expect(log.slice(0, log.indexOf('push sent'))).toEqual([
        expect.stringMatching(/^tasks,writes$/),
      ]);
      // The answer's own transaction (an ack spans the same stores): none when the echo came
      // first — it waits for the answer, then its apply records the answer too.
      expect(log.filter((l) => l === 'base,meta,projects,tasks,writes')).toHaveLength(
        answerTransactions,
      );
      // After the push: the echo applied (settling the push), and the answer recorded only when
      // it came first, nothing else — an echo arriving before its answer waits for it, so no
      // apply is tried and aborted on the row's outbox entry and no ack transaction follows.
      const after = log.slice(log.indexOf('push sent') + 1).filter((l) => l !== 'outbox read');
      expect(after).toHaveLength(1 + answerTransactions);
      expect(server.visible('task')).toHaveLength(1);
      expect(await db.tasks.count()).toBe(1);
      expect(await db.base.count()).toBe(0);
    },
  );
});

describe("the lane's writes from memory, beside another tab's", () => {
  it('reach the server in id order, no push ever starting past an id it has not seen', async () => {
    const server = new MemoryServer();
    const user = server.addUser('admin');
    const device = newDevice();
    const transport = memoryTransport(server, user.id);
    const who = { userId: user.id, orgId: server.orgId };
    const leader = await openTab(device, who, transport);
    open.push(leader);
    await synced(leader);
    const follower = await openTab(device, who, transport);
    open.push(follower);
    expect(follower.client.status.getSnapshot().isLeader).toBe(false);
    const projectId = await leader.client.createProject({
      name: 'P',
      ownerId: user.id as EntityId,
    });
    await until(
      async () => (await readOutboxEntries(leader.replica.db)).length === 0,
      5_000,
      'acked',
    );
    // Writes of both tabs interleaved: whichever holds the lower id is sent first.
    await Promise.all([
      follower.client.createTask({ projectId, title: 'from the follower' }),
      leader.client.createTask({ projectId, title: 'from the leader' }),
    ]);
    await leader.client.createTask({ projectId, title: 'leader again' });
    await follower.client.createTask({ projectId, title: 'follower again' });
    await until(() => server.visible('task').length === 4, 5_000, 'all four on the server');
    await until(
      async () => (await readOutboxEntries(leader.replica.db)).length === 0,
      5_000,
      'all acked',
    );
    // No push ever started past an id the server had not seen (a mutation gap, refused).
    let seen = 0;
    for (const p of server.pushes) {
      expect(Number(p.mutations[0]!.id)).toBeLessThanOrEqual(seen + 1);
      seen = Math.max(seen, Number(p.mutations.at(-1)!.id));
    }
    const ids = server.pushes.flatMap((p) => p.mutations.map((m) => m.id));
    expect(ids.filter((id, i) => ids.indexOf(id) === i)).toEqual([1, 2, 3, 4, 5]);
    expect(leader.client.notices.getSnapshot()).not.toContainEqual(
      expect.objectContaining({ kind: 'sync-blocked' }),
    );
  });
});

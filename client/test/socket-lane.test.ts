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
 * The poke socket of one user against a MemoryServer (protocol 6): answers each push, then
 * pokes with the push's changes — the answer first, as the real server sends them.
 */
function socketTo(server: MemoryServer, userId: string, log: string[]) {
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
      this.#down({ type: 'pushed', n: msg.n, response });
      this.#down({
        type: 'poke',
        cursor: response.cursor,
        carried: { from, changes: page.changes, activityFloor: page.activityFloor },
      });
    }
    close(code = 1000, reason = '') {
      if (this.readyState === 3) return;
      this.readyState = 3;
      queueMicrotask(() => this.onclose?.({ code, reason }));
    }
  };
}

describe('a write pushed over the socket', () => {
  it('goes out without reading the outbox back, and its echo settles it in its own transaction', async () => {
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
          WebSocket: socketTo(server, user.id, log),
        },
      },
    );
    open.push(tab);
    const { db } = tab.replica;
    // Reads of the unsent entries, and the stores of each read-write transaction, in order.
    const where = db.outbox.where.bind(db.outbox);
    db.outbox.where = ((index: string) => {
      if (index === 'acked') log.push('outbox read');
      return where(index);
    }) as typeof db.outbox.where;
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
    await until(async () => (await db.outbox.count()) === 0, 5_000, 'the project acked');
    await synced(tab);
    log.length = 0;

    await tab.client.createTask({ projectId, title: 'T' });
    await until(async () => (await db.outbox.count()) === 0, 5_000, 'the task acked');
    // The write itself (pushed from memory), the answer recorded, the echo applied with the
    // ack of the push: no outbox read before the push, no ack transaction of its own.
    expect(log.slice(0, log.indexOf('push sent'))).toEqual([
      expect.stringMatching(/^meta,outbox,tasks$|^base,meta,outbox,tasks$/),
    ]);
    expect(log.filter((l) => l === 'base,outbox,projects,tasks')).toEqual([]);
    expect(server.visible('task')).toHaveLength(1);
    expect(await db.tasks.count()).toBe(1);
    expect(await db.base.count()).toBe(0);
  });
});

import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { newClientId, newEntityId, orgIdSchema, type EntityId } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { OutpostDb } from './db';
import { createLocalWriter } from './local-writes';
import { countUnsent } from './outbox';
import { pushBatch } from './push';
import type { Replica } from './replica';
import type { SyncTransport } from './transport';
import { readOutboxEntries } from './outbox-ids';

/** A replica that counts the transactions its database opens. */
async function countingReplica(name: string) {
  const db = new OutpostDb(name, { indexedDB: new IDBFactory(), IDBKeyRange });
  const count = { transactions: 0 };
  db.use({
    stack: 'dbcore',
    name: 'count',
    create: (down) => ({
      ...down,
      transaction: (stores, mode, options) => {
        count.transactions++;
        return down.transaction(stores, mode, options);
      },
    }),
  });
  await db.open();
  const replica: Replica = {
    db,
    userId: 'u',
    orgId: orgIdSchema.parse('acme'),
    clientId: newClientId(),
    vanished: null,
    sentinel: null,
    close: () => db.close(),
  };
  return { replica, count };
}

/** Answers every push as applied at head 1, or with `lastMutationId` when given. */
function answering(count: { transactions: number }, lastMutationId?: number) {
  const at = { answered: -1 };
  const transport = {
    push: async (req) => {
      at.answered = count.transactions;
      return {
        protocolVersion: req.protocolVersion,
        lastMutationId: lastMutationId ?? Number(req.mutations.at(-1)!.id),
        cursor: 1,
        results: req.mutations.map((m) => ({ id: m.id, status: 'applied' as const })),
      };
    },
  } as Partial<SyncTransport> as SyncTransport;
  return { transport, at };
}

describe('pushBatch', () => {
  it('counts a failed attempt on each record of the batch, with the error, and keeps it unsent', async () => {
    const { replica } = await countingReplica('failed-attempt');
    const writer = createLocalWriter({ replica, now: Date.now });
    const { id } = await writer.create('project', {
      name: 'P',
      ownerId: newEntityId() as EntityId,
    });
    await writer.update('project', id, { name: 'Q' });
    const offline = {
      push: async () => {
        throw new TypeError('fetch failed');
      },
    } as Partial<SyncTransport> as SyncTransport;
    for (let i = 0; i < 2; i++)
      expect((await pushBatch(replica, offline, new AbortController().signal)).type).toBe('failed');
    const entries = await readOutboxEntries(replica.db);
    expect(entries.map((e) => [e.attempts, e.lastError, e.acked])).toEqual([
      [2, 'TypeError: fetch failed', 0],
      [2, 'TypeError: fetch failed', 0],
    ]);
    replica.close();
  });

  it('records an answer in one transaction, the check of the local counter inside it', async () => {
    const { replica, count } = await countingReplica('settle-once');
    const writer = createLocalWriter({ replica, now: Date.now });
    await writer.create('project', { name: 'P', ownerId: newEntityId() as EntityId });
    const { transport, at } = answering(count);
    const outcome = await pushBatch(replica, transport, new AbortController().signal);
    expect(outcome.type).toBe('pushed');
    // The lane's next push waits for what follows the answer: one transaction, not two.
    expect(count.transactions - at.answered).toBe(1);
    expect((await readOutboxEntries(replica.db)).map((e) => e.acked)).toEqual([1]);
    replica.close();
  });

  it('leaves an answer that applied its batch to the echo the caller holds: no transaction of its own', async () => {
    const { replica, count } = await countingReplica('recorded-by-echo');
    const writer = createLocalWriter({ replica, now: Date.now });
    await writer.create('project', { name: 'P', ownerId: newEntityId() as EntityId });
    await writer.create('project', { name: 'Q', ownerId: newEntityId() as EntityId });
    const { transport, at } = answering(count);
    const asked: number[] = [];
    const outcome = await pushBatch(replica, transport, new AbortController().signal, {
      recordedByEcho: (res) => asked.push(res.lastMutationId) > 0,
    });
    expect(asked).toEqual([2]);
    expect(outcome).toMatchObject({ type: 'pushed', settled: 2, rejected: [], lastMutationId: 2 });
    expect(count.transactions - at.answered).toBe(0);
    // Still unsent in the outbox: the echo's apply takes them out (or a pull's, if it is lost).
    expect((await readOutboxEntries(replica.db)).map((e) => e.acked)).toEqual([0, 0]);
    replica.close();
  });

  it('records an answer that did not apply its whole batch itself, without asking', async () => {
    const { replica, count } = await countingReplica('not-applied-in-full');
    const writer = createLocalWriter({ replica, now: Date.now });
    await writer.create('project', { name: 'P', ownerId: newEntityId() as EntityId });
    const { transport } = answering(count, 7);
    const outcome = await pushBatch(replica, transport, new AbortController().signal, {
      recordedByEcho: () =>
        expect.fail('asked of an answer naming ids this database never assigned'),
    });
    expect(outcome).toEqual({ type: 'server-ahead', serverLastMutationId: 7 });
    replica.close();
  });

  it('takes nothing as acked when the server knows ids this database never assigned', async () => {
    const { replica, count } = await countingReplica('server-ahead');
    const writer = createLocalWriter({ replica, now: Date.now });
    await writer.create('project', { name: 'P', ownerId: newEntityId() as EntityId });
    const { transport } = answering(count, 7);
    const outcome = await pushBatch(replica, transport, new AbortController().signal);
    expect(outcome).toEqual({ type: 'server-ahead', serverLastMutationId: 7 });
    expect((await readOutboxEntries(replica.db)).map((e) => e.acked)).toEqual([0]);
    replica.close();
  });
});

describe('countUnsent', () => {
  it('counts the unsent entries in one transaction', async () => {
    const { replica, count } = await countingReplica('count-unsent');
    const writer = createLocalWriter({ replica, now: Date.now });
    const { id } = await writer.create('project', {
      name: 'P',
      ownerId: newEntityId() as EntityId,
    });
    await writer.update('project', id, { name: 'Q' });
    const before = count.transactions;
    expect(await countUnsent(replica)).toBe(2);
    expect(count.transactions - before).toBe(1);
    replica.close();
  });
});

import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { orgIdSchema, type EntityId } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { createLocalWriter } from './local-writes';
import { getMeta } from './meta';
import { countUnsent, renumberUnsent, settlePush } from './outbox';
import { openReplica } from './replica';
import { readOutboxEntries } from './outbox-ids';

const userId = '0190a0b0-0000-7000-8000-0000000000aa';

async function replicaWithWrites(n: number) {
  const replica = await openReplica({
    userId,
    orgId: orgIdSchema.parse('acme'),
    indexedDB: new IDBFactory(),
    IDBKeyRange,
    sentinel: null,
  });
  const writer = createLocalWriter({ replica, now: Date.now });
  const { id } = await writer.create('project', { name: 'P', ownerId: userId as EntityId });
  for (let i = 1; i < n; i++) await writer.update('project', id, { name: `P${i}` });
  return replica;
}

describe('outbox renumbering', () => {
  it('moves only unsent entries after the given id, in order, and sets the counter after them', async () => {
    const replica = await replicaWithWrites(4);
    // The server acked 1 and 2; 3 and 4 are unsent.
    await settlePush(
      replica,
      {
        protocolVersion: 1,
        lastMutationId: 2,
        cursor: 1,
        results: [
          { id: 1 as never, status: 'applied' },
          { id: 2 as never, status: 'applied' },
        ],
      },
      1,
    );
    expect(await countUnsent(replica)).toBe(2);
    expect(await renumberUnsent(replica, 10)).toBe(2);
    const outbox = await readOutboxEntries(replica.db);
    expect(outbox.map((e) => [e.mutationId, e.mutation.id, e.acked])).toEqual([
      [1, 1, 1],
      [2, 2, 1],
      [10, 10, 0],
      [11, 11, 0],
    ]);
    expect(outbox.slice(2).map((e) => e.mutation.type)).toEqual([
      'project.update',
      'project.update',
    ]);
    expect(await getMeta(replica.db, 'lastMutationId')).toBe(11);
    expect(await countUnsent(replica)).toBe(2);
    replica.close();
  });

  it('with nothing unsent, only moves the counter (ids the server never saw are free again)', async () => {
    const replica = await replicaWithWrites(1);
    await settlePush(
      replica,
      {
        protocolVersion: 1,
        lastMutationId: 1,
        cursor: 1,
        results: [{ id: 1 as never, status: 'applied' }],
      },
      1,
    );
    expect(await renumberUnsent(replica, 6)).toBe(0);
    expect(await getMeta(replica.db, 'lastMutationId')).toBe(5);
    replica.close();
  });
});

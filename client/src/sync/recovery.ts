import type { OutboxEntry } from './db';
import type { Replica } from './replica';

/**
 * Gives the unsent outbox entries new ids starting at `firstId` (in order), and raises the
 * mutation counter past them. Used when the server has processed ids this replica does not
 * know about (the database was evicted or restored), or has not seen ids this replica
 * assigned before it was evicted: reusing those ids would make the server
 * answer "duplicate" and silently drop real writes.
 */
export async function renumberUnsent(replica: Replica, firstId: number): Promise<number> {
  const { db } = replica;
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const all = await db.outbox.orderBy('mutationId').toArray();
    const unsent = all.filter((e) => e.ackedCursor === null);
    // The counter is set, not raised: ids above the server's last one were never seen by it.
    if (unsent.length === 0) {
      await db.meta.put({ key: 'lastMutationId', value: firstId - 1 });
      return 0;
    }
    await db.outbox.bulkDelete(unsent.map((e) => e.mutationId));
    const moved: OutboxEntry[] = unsent.map((e, i) => {
      const id = firstId + i;
      return { ...e, mutationId: id, mutation: { ...e.mutation, id: id as never } };
    });
    await db.outbox.bulkAdd(moved);
    await db.meta.put({ key: 'lastMutationId', value: firstId + unsent.length - 1 });
    return unsent.length;
  });
}

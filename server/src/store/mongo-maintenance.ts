import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import type { SyncedEntity } from '@outpost/shared';
import type { Collections } from './mongo.js';
import type { StoreMaintenance } from './types.js';

const BATCH = 500;
type Rewrite = Parameters<StoreMaintenance['rewriteAll']>[0];

/**
 * Rewrites rows (`data`), change-log entries (`row`) and activities (`data`) in bulk batches,
 * then sets the meta value. Not one transaction (it could exceed MongoDB's limits): each
 * rewrite is idempotent, so an interrupted run leaves readable data and is finished by running
 * it again.
 */
export function mongoMaintenance(c: Collections): StoreMaintenance {
  async function rewrite(
    col: Collection<Document>,
    field: 'data' | 'row',
    entityOf: (doc: Document) => SyncedEntity,
    fn: Rewrite,
  ) {
    let n = 0;
    let ops: AnyBulkWriteOperation<Document>[] = [];
    const flush = async () => {
      if (ops.length === 0) return;
      n += (await col.bulkWrite(ops, { ordered: false })).modifiedCount;
      ops = [];
    };
    for await (const doc of col.find({}, { projection: { _id: 1, entity: 1, [field]: 1 } })) {
      const next = fn(entityOf(doc), doc[field] as Record<string, unknown>);
      if (next)
        ops.push({ updateOne: { filter: { _id: doc._id }, update: { $set: { [field]: next } } } });
      if (ops.length >= BATCH) await flush();
    }
    await flush();
    return n;
  }
  const entityField = (doc: Document) => doc['entity'] as SyncedEntity;
  return {
    async getMeta(key) {
      return (await c.meta.findOne({ _id: key }))?.value ?? null;
    },
    async rewriteAll(fn, set) {
      const n =
        (await rewrite(c.rows as unknown as Collection<Document>, 'data', entityField, fn)) +
        (await rewrite(c.changes as unknown as Collection<Document>, 'row', entityField, fn)) +
        (await rewrite(
          c.activities as unknown as Collection<Document>,
          'data',
          () => 'activity',
          fn,
        ));
      await c.meta.updateOne({ _id: set.key }, { $set: { value: set.value } }, { upsert: true });
      return n;
    },
  };
}

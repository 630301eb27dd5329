import type { Collections } from './mongo.js';

/** `schema` holds the data version; other entries (e.g. `encryption`) hold a string value. */
export interface MetaDoc {
  _id: string;
  version?: number;
  value?: string;
}

/**
 * Versioned data migrations for the MongoDB store, tracked in `meta.schema`. Each step is
 * idempotent, so servers starting together may run it side by side.
 *
 * History:
 *   1 — rows, changes (every write appended), orgs, clients, credentials (2026-11).
 *   2 — activities move from `changes` to their own collection; the change log is compacted
 *       to one entry per row; entries carry `writtenAt` for tombstone retention.
 */
export const MONGO_SCHEMA_VERSION = 2;

export async function migrateMongo(c: Collections): Promise<void> {
  const current = (await c.meta.findOne({ _id: 'schema' }))?.version ?? 1;
  if (current > MONGO_SCHEMA_VERSION) {
    throw new Error(
      `The database schema (version ${current}) is newer than this server supports (${MONGO_SCHEMA_VERSION}): upgrade the server`,
    );
  }
  if (current < 2) await toV2(c);
  await c.meta.updateOne(
    { _id: 'schema' },
    { $max: { version: MONGO_SCHEMA_VERSION } },
    { upsert: true },
  );
}

async function toV2(c: Collections): Promise<void> {
  // Activities: copy (upsert by their log _id, so a rerun is harmless), then drop from the log.
  for await (const e of c.changes.find({ entity: 'activity' })) {
    const data = e.row;
    await c.activities.updateOne(
      { _id: e._id },
      {
        $setOnInsert: {
          orgId: e.orgId,
          seq: e.seq,
          id: e.entityId,
          clientId: typeof data['clientId'] === 'string' ? data['clientId'] : null,
          action: String(data['action'] ?? ''),
          createdAt:
            typeof data['createdAt'] === 'string' ? data['createdAt'] : new Date().toISOString(),
          data,
        },
      },
      { upsert: true },
    );
  }
  await c.changes.deleteMany({ entity: 'activity' });
  // Compaction: keep each row's latest entry only.
  const dupes = c.changes.aggregate<{ _id: { orgId: string; entityId: string }; keep: number }>(
    [
      {
        $group: {
          _id: { orgId: '$orgId', entityId: '$entityId' },
          keep: { $max: '$seq' },
          n: { $sum: 1 },
        },
      },
      { $match: { n: { $gt: 1 } } },
    ],
    { allowDiskUse: true },
  );
  for await (const d of dupes) {
    await c.changes.deleteMany({
      orgId: d._id.orgId,
      entityId: d._id.entityId,
      seq: { $lt: d.keep },
    });
  }
  // Entry age for retention: the row's own updatedAt.
  for await (const e of c.changes.find({ writtenAt: { $exists: false } })) {
    const at = e.row['updatedAt'];
    await c.changes.updateOne(
      { _id: e._id },
      { $set: { writtenAt: typeof at === 'string' ? at : new Date().toISOString() } },
    );
  }
}

import type { Collection } from 'mongodb';
import type { HlcString, OrgId, SyncedEntity } from '@outpost/shared';
import type { MembershipStore, StoredRow } from './types.js';
import type { RowDoc } from './mongo.js';

export interface WebhookDoc {
  _id: string;
  type: string;
  receivedAt: string;
  outcome: string;
}

export interface MemberSeenDoc {
  _id: string;
  orgId: string;
  userId: string;
  seenAt: string;
}

/** Membership bookkeeping in MongoDB: single-document writes, atomic on their own. */
export function mongoMembership(c: {
  webhooks: Collection<WebhookDoc>;
  seen: Collection<MemberSeenDoc>;
  rows: Collection<RowDoc>;
}): MembershipStore {
  const webhook = async (id: string) => {
    const d = await c.webhooks.findOne({ _id: id });
    return d ? { id: d._id, type: d.type, receivedAt: d.receivedAt, outcome: d.outcome } : null;
  };
  return {
    webhookSeen: async (id) => (await webhook(id)) !== null,
    webhook,
    recordWebhook: async (e) => {
      const res = await c.webhooks.updateOne(
        { _id: e.id },
        { $setOnInsert: { type: e.type, receivedAt: e.receivedAt, outcome: e.outcome } },
        { upsert: true },
      );
      return res.upsertedCount > 0;
    },
    touch: async (orgId, userId, at) => {
      await c.seen.updateOne(
        { _id: `${orgId}:${userId}` },
        { $set: { orgId, userId, seenAt: at } },
        { upsert: true },
      );
    },
    lastSeen: async (orgId) => {
      const docs = await c.seen.find({ orgId }).toArray();
      return Object.fromEntries(docs.map((d) => [d.userId, d.seenAt]));
    },
    usersByExternalId: async (externalId) => {
      const docs = await c.rows
        .find({ entity: 'user', 'data.externalId': externalId })
        .sort({ _id: 1 })
        .toArray();
      return docs.map((d): StoredRow => ({
        id: d._id,
        orgId: d.orgId as OrgId,
        entity: d.entity as SyncedEntity,
        data: d.data,
        clocks: d.clocks as Record<string, HlcString>,
        deleted: d.deleted as HlcString | null,
        version: d.version,
      }));
    },
  };
}

import type { Collection } from 'mongodb';
import type { ClientId, EntityId, OrgId } from '@outpost/shared';
import type { StoredCredential } from './types.js';
import type { CredentialDoc } from './mongo.js';
import type { CredentialStore } from './types.js';

function toCredential(d: CredentialDoc): StoredCredential {
  return {
    id: d._id,
    secretHash: d.secretHash,
    userId: d.userId as EntityId,
    orgId: d.orgId as OrgId,
    clientId: d.clientId as ClientId,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    revokedAt: d.revokedAt,
  };
}

/** Sync credentials in MongoDB: single-document writes, atomic on their own. */
export function mongoCredentials(col: Collection<CredentialDoc>): CredentialStore {
  return {
    create: async (c) => {
      await col.insertOne({
        _id: c.id,
        secretHash: c.secretHash,
        userId: c.userId,
        orgId: c.orgId,
        clientId: c.clientId,
        createdAt: c.createdAt,
        expiresAt: c.expiresAt,
        revokedAt: c.revokedAt,
      });
    },
    find: async (id) => {
      const d = await col.findOne({ _id: id });
      return d ? toCredential(d) : null;
    },
    revoke: async (id, at) =>
      (await col.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } }))
        .modifiedCount > 0,
    revokeForClient: async (userId, clientId, at) =>
      (await col.updateMany({ userId, clientId, revokedAt: null }, { $set: { revokedAt: at } }))
        .modifiedCount,
    revokeForMember: async (userId, orgId, at) =>
      (await col.updateMany({ userId, orgId, revokedAt: null }, { $set: { revokedAt: at } }))
        .modifiedCount,
  };
}

import type { CredentialStore } from './types.js';
import { toCredential, type CredentialRow, type Statements } from './sqlite-statements.js';

/** Sync credentials in SQLite; writes go through the store's `exclusive` write transaction. */
export function sqliteCredentials(
  w: Statements,
  r: Statements,
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>,
): CredentialStore {
  // Single statements, but still through `exclusive`: never inside another caller's open
  // transaction, and waiting politely for another process's write lock.
  return {
    create: (c) =>
      exclusive(async () => {
        w.prepare(
          `INSERT INTO credentials (id, secret_hash, user_id, org_id, client_id, created_at, expires_at, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          c.id,
          c.secretHash,
          c.userId,
          c.orgId,
          c.clientId,
          c.createdAt,
          c.expiresAt,
          c.revokedAt,
        );
      }),
    find: async (id) => {
      const row = r.prepare('SELECT * FROM credentials WHERE id = ?').get(id) as
        CredentialRow | undefined;
      return row ? toCredential(row) : null;
    },
    revoke: (id, at) =>
      exclusive(
        async () =>
          w
            .prepare('UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
            .run(at, id).changes > 0,
      ),
    revokeForClient: (userId, clientId, at) =>
      exclusive(
        async () =>
          w
            .prepare(
              'UPDATE credentials SET revoked_at = ? WHERE user_id = ? AND client_id = ? AND revoked_at IS NULL',
            )
            .run(at, userId, clientId).changes,
      ),
    revokeForMember: (userId, orgId, at) =>
      exclusive(
        async () =>
          w
            .prepare(
              'UPDATE credentials SET revoked_at = ? WHERE user_id = ? AND org_id = ? AND revoked_at IS NULL',
            )
            .run(at, userId, orgId).changes,
      ),
  };
}

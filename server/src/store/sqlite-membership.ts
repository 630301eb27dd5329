import type { EntityId, OrgId } from '@outpost/shared';
import { toRow, type RowRecord, type Statements } from './sqlite-statements.js';
import type { MembershipStore, WebhookRecord } from './types.js';

interface WebhookRow {
  id: string;
  type: string;
  received_at: string;
  outcome: string;
}

/** Membership bookkeeping in SQLite; writes go through the store's `exclusive` transaction. */
export function sqliteMembership(
  w: Statements,
  r: Statements,
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>,
): MembershipStore {
  const webhook = async (id: string): Promise<WebhookRecord | null> => {
    const row = r.prepare('SELECT * FROM webhook_events WHERE id = ?').get(id) as
      WebhookRow | undefined;
    return row
      ? { id: row.id, type: row.type, receivedAt: row.received_at, outcome: row.outcome }
      : null;
  };
  return {
    webhookSeen: async (id) => (await webhook(id)) !== null,
    webhook,
    recordWebhook: (e) =>
      exclusive(
        async () =>
          w
            .prepare(
              'INSERT INTO webhook_events (id, type, received_at, outcome) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
            )
            .run(e.id, e.type, e.receivedAt, e.outcome).changes > 0,
      ),
    touch: (orgId: OrgId, userId: EntityId, at: string) =>
      exclusive(async () => {
        w.prepare(
          `INSERT INTO member_seen (org_id, user_id, seen_at) VALUES (?, ?, ?)
           ON CONFLICT (org_id, user_id) DO UPDATE SET seen_at = excluded.seen_at`,
        ).run(orgId, userId, at);
      }),
    lastSeen: async (orgId) => {
      const rows = r
        .prepare('SELECT user_id, seen_at FROM member_seen WHERE org_id = ?')
        .all(orgId) as { user_id: string; seen_at: string }[];
      return Object.fromEntries(rows.map((x) => [x.user_id, x.seen_at]));
    },
    usersByExternalId: async (externalId) =>
      (
        r
          .prepare(
            "SELECT * FROM rows WHERE entity = 'user' AND json_extract(data, '$.externalId') = ? ORDER BY id",
          )
          .all(externalId) as RowRecord[]
      ).map(toRow),
  };
}

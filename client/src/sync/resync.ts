import type { PullResponse } from '@outpost/shared';
import type { WritableKind } from './db';
import { applyPage, rebaseRows } from './mirror';
import type { Replica } from './replica';

/**
 * Applies a resync's live snapshot (every page of a pull from 0, after 410 RESYNC_REQUIRED)
 * in one transaction: the rows as any pulled page, then every row the replica held that the
 * snapshot lacks — deleted on the server, its tombstone purged — leaves the mirror and
 * `base`. A row with pending mutations is rebased on an empty server state instead: a local
 * create not yet pushed stays, an edit of a purged row goes (the server refuses it as not
 * found). Interrupted before the end, nothing changed and the next pull starts over.
 */
export async function applySnapshot(
  replica: Replica,
  page: PullResponse,
  options: { reset: boolean; now: () => number },
): Promise<number> {
  const { db } = replica;
  const live = new Set<string>();
  for (const c of page.changes) if (c.entity !== 'activity') live.add(c.entityId);
  return db.transaction(
    'rw',
    [db.base, db.projects, db.tasks, db.users, db.activities, db.writes, db.meta],
    async () => {
      await applyPage(replica, page, options);
      const pendingIds = new Set((await db.writes.toArray()).flatMap((r) => r.entityIds));
      let dropped = 0;
      const rebase: { kind: WritableKind; id: string }[] = [];
      for (const kind of ['project', 'task'] as const) {
        const table = kind === 'project' ? db.projects : db.tasks;
        const mirrorIds = (await table.toCollection().primaryKeys()) as string[];
        const baseIds = ((await db.base.toCollection().primaryKeys()) as [WritableKind, string][])
          .filter(([entity]) => entity === kind)
          .map(([, id]) => id);
        const absent = [...new Set([...mirrorIds, ...baseIds])].filter((id) => !live.has(id));
        const gone = absent.filter((id) => !pendingIds.has(id));
        await db.base.bulkDelete(absent.map((id) => [kind, id] as [WritableKind, string]));
        await table.bulkDelete(gone as never[]);
        dropped += gone.length;
        rebase.push(...absent.filter((id) => pendingIds.has(id)).map((id) => ({ kind, id })));
      }
      if (rebase.length) await rebaseRows(replica, rebase);
      const users = (await db.users.toCollection().primaryKeys()) as string[];
      const goneUsers = users.filter((id) => !live.has(id));
      await db.users.bulkDelete(goneUsers as never[]);
      return dropped + goneUsers.length;
    },
  );
}

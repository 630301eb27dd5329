import { getMetas, parseMetas, setMeta } from './meta';
import { noticesOfActivities, type NoticeDraft, type Who } from './notice-drafts';
import { MAX_DISMISSED } from './notices';
import type { Replica } from './replica';

/**
 * Notices told once per event — a value of this device lost a conflict, a write of it was
 * refused — come from audit entries, which the replica keeps (within the activity window). A
 * reload used to drop the unanswered ones; now each start raises them again from the stored
 * entries, less those answered (`meta.dismissedNotices`), until the person answers them.
 */
export async function storedNotices(
  replica: Replica,
  who: Who,
): Promise<{ drafts: NoticeDraft[]; answered: string[] }> {
  const { db } = replica;
  const read = await db.transaction('r', [db.meta, db.activities], async () => {
    const keys = ['dismissedNotices', 'noticesFrom', 'cursor'] as const;
    const meta = parseMetas(keys, await db.meta.bulkGet([...keys]));
    if (meta.noticesFrom === undefined) return { meta, activities: [] };
    const from = meta.noticesFrom;
    const activities = await db.activities
      .where('action')
      .anyOf(['conflict', 'rejected'])
      .filter((a) => a.version > from)
      .toArray();
    return { meta, activities };
  });
  const answered = read.meta.dismissedNotices ?? [];
  // The first start that keeps answers: what was told before may have been answered already.
  if (read.meta.noticesFrom === undefined) {
    await setMeta(db, 'noticesFrom', read.meta.cursor ?? 0);
    return { drafts: [], answered };
  }
  const activities = read.activities.sort((a, b) => a.version - b.version);
  return { drafts: noticesOfActivities(activities, who), answered };
}

/** `ids` were answered (in any tab): no later start raises them again. */
export async function rememberAnswered(replica: Replica, ids: readonly string[]): Promise<void> {
  const { db } = replica;
  await db.transaction('rw', db.meta, async () => {
    const known = (await getMetas(db, ['dismissedNotices'])).dismissedNotices ?? [];
    const next = [...known.filter((id) => !ids.includes(id)), ...ids].slice(-MAX_DISMISSED);
    await setMeta(db, 'dismissedNotices', next);
  });
}

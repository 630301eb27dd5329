import type { Activity } from '@outpost/shared';
import { describeActivity, projectOf, type Lookup } from './describe';

/**
 * Rows one person created, deleted or changed the same way in one go (an import, a bulk
 * complete): one line, not hundreds.
 */
export interface Burst {
  kind: 'burst';
  action: 'create' | 'delete' | 'update';
  items: Activity[];
  projectId: string | null;
}

export type FeedEntry = { kind: 'one'; activity: Activity } | Burst;

/** Fewer than this in a row read fine one by one. */
export const MIN_BURST = 3;
/** Entries further apart than this are separate pieces of work, not one batch. */
const WINDOW_MS = 10 * 60_000;

/**
 * The change an update makes, as its sentence says it ("completed", "assigned … to Bo"), when
 * that is all it did: updates with the same key say the same thing of different rows. Null for
 * a rename (each names its own titles) or an update that changed more than its sentence says.
 */
function sameChange(a: Activity, lookup: Lookup): string | null {
  if (a.action !== 'update') return null;
  const s = describeActivity(a, lookup);
  if (!s || s.name !== undefined || s.rest.length > 0 || s.verb === 'changed') return null;
  return `${s.verb}|${s.tail}`;
}

/**
 * Collapses runs of consecutive creates (or deletes, or updates making the same change) by one actor, of one kind of row, in one
 * project, for one reason, within ten minutes of each other, into a burst. Order is kept.
 */
export function collapseBursts(items: readonly Activity[], lookup: Lookup): FeedEntry[] {
  const out: FeedEntry[] = [];
  let i = 0;
  while (i < items.length) {
    const first = items[i]!;
    let j = i + 1;
    const change = sameChange(first, lookup);
    if (first.action === 'create' || first.action === 'delete' || change !== null) {
      // Tasks are grouped by their project; other rows (projects themselves) by kind alone.
      const projectKey = (a: Activity) => (a.entity === 'task' ? projectOf(a, lookup) : null);
      const project = projectKey(first);
      const start = Date.parse(first.createdAt);
      while (j < items.length) {
        const a = items[j]!;
        if (
          a.action !== first.action ||
          a.entity !== first.entity ||
          a.actorId !== first.actorId ||
          a.reason !== first.reason ||
          (change !== null && sameChange(a, lookup) !== change) ||
          projectKey(a) !== project ||
          Math.abs(start - Date.parse(a.createdAt)) > WINDOW_MS
        )
          break;
        j++;
      }
      if (j - i >= MIN_BURST) {
        out.push({
          kind: 'burst',
          action: first.action as Burst['action'],
          items: items.slice(i, j),
          projectId: project,
        });
        i = j;
        continue;
      }
    }
    for (let k = i; k < j; k++) out.push({ kind: 'one', activity: items[k]! });
    i = j;
  }
  return out;
}

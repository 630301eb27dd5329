import type { Activity } from '@outpost/shared';
import { projectOf, type Lookup } from './describe';

/** Rows one person created (or deleted) in one go, e.g. an import: one line, not hundreds. */
export interface Burst {
  kind: 'burst';
  action: 'create' | 'delete';
  items: Activity[];
  projectId: string | null;
}

export type FeedEntry = { kind: 'one'; activity: Activity } | Burst;

/** Fewer than this in a row read fine one by one. */
export const MIN_BURST = 3;
/** Entries further apart than this are separate pieces of work, not one batch. */
const WINDOW_MS = 10 * 60_000;

/**
 * Collapses runs of consecutive creates (or deletes) by one actor, of one kind of row, in one
 * project, for one reason, within ten minutes of each other, into a burst. Order is kept.
 */
export function collapseBursts(items: readonly Activity[], lookup: Lookup): FeedEntry[] {
  const out: FeedEntry[] = [];
  let i = 0;
  while (i < items.length) {
    const first = items[i]!;
    let j = i + 1;
    if (first.action === 'create' || first.action === 'delete') {
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
          projectKey(a) !== project ||
          Math.abs(start - Date.parse(a.createdAt)) > WINDOW_MS
        )
          break;
        j++;
      }
      if (j - i >= MIN_BURST) {
        out.push({
          kind: 'burst',
          action: first.action,
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

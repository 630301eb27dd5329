import type { PullResponse } from '@outpost/shared';

/** The first protocol version whose pull pages carry `remaining` and conflict sides. */
const NAMED_CONFLICTS = 3;
/** The first protocol version that downloads a live snapshot (`liveThrough`). */
const LIVE_SNAPSHOT = 4;

/**
 * A pull page as an older client can parse it (its schemas are strict): protocol 3 predates
 * `liveThrough`; protocol 2 also `remaining` and the `winner`/`loser` of conflict changes.
 */
export function pageForVersion(page: PullResponse, version: number): PullResponse {
  if (version >= LIVE_SNAPSHOT) return page;
  const { liveThrough: _liveThrough, ...v3 } = page;
  if (version >= NAMED_CONFLICTS) return v3;
  const { remaining: _remaining, ...rest } = v3;
  return {
    ...rest,
    changes: page.changes.map((c) =>
      c.entity === 'activity' && !c.deleted && c.row.action === 'conflict'
        ? {
            ...c,
            row: {
              ...c.row,
              changes: c.row.changes.map(({ winner: _w, loser: _l, ...change }) => change),
            },
          }
        : c,
    ),
  };
}

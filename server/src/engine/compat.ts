import type { PullResponse } from '@outpost/shared';

/** The first protocol version whose pull pages carry `remaining` and conflict sides. */
const NAMED_CONFLICTS = 3;

/**
 * A pull page as an older client can parse it (its schemas are strict): protocol 2 predates
 * `remaining` and the `winner`/`loser` of conflict changes, so they are left out for it.
 */
export function pageForVersion(page: PullResponse, version: number): PullResponse {
  if (version >= NAMED_CONFLICTS) return page;
  const { remaining: _remaining, ...rest } = page;
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

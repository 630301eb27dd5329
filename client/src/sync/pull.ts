import { PROTOCOL_VERSION, type Change, type PullResponse } from '@outpost/shared';
import { BadCursorError, ResyncRequiredError } from './errors';
import type { SyncEvent } from './events';
import type { DownloadProgress } from './status';
import { getMetas } from './meta';
import { applyPage } from './mirror';
import { ackThrough, countUnsent } from './outbox';
import { checkReplicaAgainstServer } from './recovery';
import { applySnapshot } from './resync';
import type { Replica } from './replica';
import { sleep, type Timers } from './timers';
import type { SyncTransport } from './transport';

/** Changes per pull page (≤ 1000 by protocol). */
export const PULL_LIMIT = 500;

export interface PullOptions {
  limit?: number;
  now: () => number;
  timers: Timers;
}

/**
 * Pulls the org's log from the stored cursor to its head, one transaction per page, then
 * acknowledges what the server has processed. Starts over from 0 when the server's log is
 * behind our cursor (server restored) or the first page shows the database is older than the
 * server's record of it. Yields what it did; throws the transport's errors (a failed page
 * resumes from the last stored cursor next time).
 */
export async function* pullAll(
  replica: Replica,
  transport: SyncTransport,
  signal: AbortSignal,
  options: PullOptions,
): AsyncGenerator<SyncEvent, void> {
  // One read before the first request (each transaction costs milliseconds, and a poked pull
  // is on the path of another device's write becoming visible here).
  const meta = await getMetas(replica.db, [
    'cursor',
    'purgeHorizon',
    'vanished',
    'lastMutationId',
    'lastSyncedAt',
    'liveThrough',
  ]);
  let cursor = meta.cursor ?? 0;
  let horizon = meta.purgeHorizon ?? 0;
  // A download of the live snapshot (see `snapshot` in the pull request) when nothing of ours
  // can hold a row deleted before it began: starting from 0 with an empty outbox, or resuming
  // such a download.
  let live: { through: number } | null =
    meta.liveThrough !== undefined
      ? { through: meta.liveThrough }
      : cursor === 0
        ? await liveIfNothingPending(replica)
        : null;
  // While a resync downloads the live snapshot, its pages are held here and applied at the
  // end in one transaction (until then the replica stays as it was, at its old cursor).
  let snapshot: PullResponse['changes'] | null = null;
  let start = cursor;
  let reset = false;
  let first = true;
  let last: PullResponse | null = null;
  const startedAt = options.now();
  // A first sync resumed after a reload counts on from the rows it already stored.
  let kept = meta.lastSyncedAt === undefined && cursor > 0 ? await countLocalRows(replica) : 0;
  let received = 0;
  // Set once a page brought a row this client did not write: pulling back our own upload
  // (its writes already acknowledged) is not shown as a download ("Synced" stays).
  let foreign = false;
  let shown = false;
  const request = (from: number, purgeHorizon: number, liveThrough: number | null) =>
    transport.pull(
      {
        protocolVersion: PROTOCOL_VERSION,
        clientId: replica.clientId,
        cursor: from,
        limit: options.limit ?? PULL_LIMIT,
        purgeHorizon,
        ...(liveThrough !== null ? { snapshot: true, liveThrough } : {}),
      },
      { userId: replica.userId, signal },
    );
  // The next page, asked for while this one is stored (it depends only on this page's answer).
  let ahead: Promise<PullResponse> | null = null;
  for (;;) {
    if (signal.aborted) return;
    let page: PullResponse;
    try {
      const next = ahead;
      ahead = null;
      page = await (next ?? request(cursor, horizon, live ? live.through : null));
    } catch (err) {
      if (err instanceof BadCursorError && cursor !== 0) {
        // Our cursor is ahead of the server's log (server restored): start over.
        cursor = start = kept = received = 0;
        reset = true;
        live = await liveIfNothingPending(replica);
        continue;
      }
      if (err instanceof ResyncRequiredError && cursor !== 0) {
        // Deletions we never received were purged: re-download the live rows, keep the
        // outbox (rebased on top as always), then drop the rows the snapshot lacks.
        snapshot = [];
        cursor = start = kept = received = 0;
        live = await liveIfNothingPending(replica);
        continue;
      }
      throw err;
    }
    if (first) {
      first = false;
      const recovered = await checkReplicaAgainstServer(replica, page.lastMutationId, options.now, {
        vanished: meta.vanished !== undefined,
        lastMutationId: meta.lastMutationId ?? 0,
      });
      if (recovered) {
        yield recovered;
        reset = true;
        if (cursor !== 0) {
          cursor = start = kept = received = 0;
          live = await liveIfNothingPending(replica);
          continue;
        }
      }
    }
    if (page.hasMore) {
      // What the next request would ask once this page is applied (cursor, horizon, bound).
      ahead = request(
        page.cursor,
        page.purgeHorizon,
        live ? page.liveThrough || live.through : null,
      );
      // Its failure is met where it is awaited (or dropped with the pull).
      ahead.catch(() => undefined);
    }
    let resynced: SyncEvent | null = null;
    if (snapshot) snapshot.push(...page.changes);
    if (snapshot && !page.hasMore) {
      const removed = await applySnapshot(
        replica,
        { ...page, changes: snapshot },
        { reset, now: options.now },
      );
      resynced = { type: 'resynced', removed, keptChanges: await countUnsent(replica) };
    }
    // Our writes this page brings back leave the outbox with it; the last page also takes
    // the pull's final acknowledgement (see below) in its transaction, not one of its own.
    const acked = snapshot
      ? 0
      : ((await applyPage(replica, page, {
          reset,
          now: options.now,
          ackThrough: page.lastMutationId,
          ...(page.hasMore ? {} : { settled: page.lastMutationId }),
        })) ?? 0);
    const wasReset = reset;
    reset = false;
    if (live && page.liveThrough) live.through = page.liveThrough;
    cursor = page.cursor;
    horizon = page.purgeHorizon;
    last = page;
    received += page.changes.reduce((n, c) => (c.entity === 'activity' ? n : n + 1), 0);
    foreign ||= page.changes.some((c) => c.entity !== 'activity' && !ownRow(c, replica.clientId));
    // Shown only while more than one page is involved (a single page is over before it
    // shows) and once a page brought someone else's rows; null ends what was shown.
    const progress: DownloadProgress | null | undefined = !page.hasMore
      ? shown
        ? null
        : undefined
      : foreign
        ? {
            kept,
            received,
            // Every server that answers this protocol counts them (protocol ≥ 3).
            remaining: page.remaining ?? 0,
            startedAt,
            at: options.now(),
          }
        : undefined;
    shown ||= progress != null;
    yield {
      type: 'pulled',
      page,
      progress,
      notify: start > 0,
      ...(page.hasMore || snapshot ? {} : { ackedThrough: page.lastMutationId }),
      ...(wasReset ? { reset: true as const } : {}),
    };
    if (acked > 0) yield { type: 'acked' };
    if (resynced) yield resynced;
    if (!page.hasMore) break;
    // Yield between pages so a large initial sync never blocks the UI for long.
    await sleep(options.timers, 0, signal);
  }
  // The final acknowledgement: entries up to the last page's `lastMutationId` are in the
  // state it completes (the server reads it before the rows), also those of rows no page
  // brought (a write the merge left without effect): they leave, and those rows are rebased.
  // The last page did it, unless the pull ended in a live snapshot (applied apart). Nothing
  // left the outbox (a pull with nothing of ours in flight): no event, so no recount.
  if (snapshot && last && (await ackThrough(replica, last.lastMutationId)) > 0)
    yield { type: 'acked' };
}

/**
 * A row whose newest stamp (field clock or tombstone) is this client's (an HLC ends in its
 * writer's client id, and HLCs sort as strings): the write that logged it is ours — a task a
 * teammate created and we completed comes back as ours. Server-only rows have no clocks.
 */
function ownRow(c: Change, clientId: string): boolean {
  let newest = c.deleted ?? '';
  for (const h of Object.values(c.clocks)) if (h > newest) newest = h;
  return newest !== '' && newest.endsWith(`-${clientId}`);
}

/** Rows of the org already in the mirror (deleted rows are not kept, so this is a floor). */
async function countLocalRows(replica: Replica): Promise<number> {
  const { db } = replica;
  return db.transaction('r', db.users, db.projects, db.tasks, async () => {
    const [users, projects, tasks] = await Promise.all([
      db.users.count(),
      db.projects.count(),
      db.tasks.count(),
    ]);
    return users + projects + tasks;
  });
}

async function liveIfNothingPending(replica: Replica): Promise<{ through: number } | null> {
  return (await replica.db.writes.count()) === 0 ? { through: 0 } : null;
}

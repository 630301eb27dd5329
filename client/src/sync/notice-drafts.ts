import { lostToDelete, unreachable, type Activity, type PullResponse } from '@outpost/shared';
import { describeError, isQuotaError, ProtocolVersionError } from './errors';
import type { SyncEvent } from './events';
import type { MetaValue } from './meta';
import type { ConflictDetail, Notice } from './notices';

/**
 * Every notice, built from what sync returned (events and errors), in one place: its kind and
 * the facts in `detail` — the words are the app's (`app/engine/notice-text.ts`), so they do not
 * weigh on the engine. A draft without an id gets a fresh one; one with an id is raised once
 * however often it recurs.
 */
export type NoticeDraft = Omit<Notice, 'id' | 'at'> & { id?: string; at?: number };

export interface Who {
  userId: string;
  clientId: string;
}

export function noticesFor(event: SyncEvent, who: Who): NoticeDraft[] {
  switch (event.type) {
    case 'pushed':
      return event.rejected.map(({ entry: e, result: r }) => ({
        // Same id as the pulled audit entry's notice, so a rejection is reported once.
        id: `rejected:${who.clientId}:${e.mutationId}`,
        kind: 'rejected',
        detail: { mutation: e.mutation, code: r?.code ?? null, reason: r?.reason ?? null },
      }));
    case 'restored-copy':
    case 'evicted':
      return [
        evictionNotice({
          id: event.noticeId,
          at: event.at,
          serverLastMutationId: event.serverLastMutationId,
          ...(event.type === 'evicted'
            ? { lostChanges: event.lostChanges }
            : { keptChanges: event.keptChanges }),
        }),
      ];
    case 'push-blocked':
      return [
        {
          id: `gap:${event.expected}`,
          kind: 'sync-blocked',
          detail: { expected: event.expected },
        },
      ];
    case 'pulled':
      return event.notify ? activityNotices(event.page, who) : [];
    case 'resynced':
      return [
        { kind: 'resynced', detail: { removed: event.removed, keptChanges: event.keptChanges } },
      ];
    case 'push-failed':
    case 'acked':
      return [];
    default:
      return unreachable(event);
  }
}

/**
 * The `evicted` notice a recovery stored (`meta.evictionNotice`): raised by the recovery, and
 * again at each start until dismissed, under its stored id (so once in every tab).
 */
export function evictionNotice(stored: MetaValue<'evictionNotice'>): NoticeDraft & { id: string } {
  const { id, at, ...detail } = stored;
  return { id, at, kind: 'evicted', detail };
}

/** Notices for a failed cycle or write (most failures only show in the status). */
export function noticesForError(err: unknown): NoticeDraft[] {
  if (err instanceof ProtocolVersionError)
    return [
      {
        id: `protocol:${err.which}`,
        kind: 'update-required',
        // The server's own words (its error body), shown as they came.
        detail: { which: err.which, message: err.message },
      },
    ];
  if (isQuotaError(err))
    return [
      {
        id: 'quota',
        kind: 'quota',
        detail: { error: describeError(err) },
      },
    ];
  return [];
}

/**
 * Pulled audit entries concerning this user: a concurrent write lost a last-writer-wins race
 * (`conflict`), or a mutation of this device was refused while we were not looking (e.g. the
 * push answer was lost in a crash).
 */
function activityNotices(page: Pick<PullResponse, 'changes'>, who: Who): NoticeDraft[] {
  return noticesOfActivities(
    page.changes.flatMap((c) => (c.entity === 'activity' && !c.deleted ? [c.row] : [])),
    who,
  );
}

/** The notices of audit entries (pulled, or stored: `stored-notices.ts`) for this device. */
export function noticesOfActivities(activities: readonly Activity[], who: Who): NoticeDraft[] {
  const out: NoticeDraft[] = [];
  for (const a of activities) {
    if (a.action === 'conflict') {
      // Told to the device whose value lost (by client id: two devices of one person too);
      // the winner's screen already shows its own value, so it is not alarmed.
      for (const ch of a.changes) {
        if (ch.loser?.clientId !== who.clientId || a.entityId === null) continue;
        const detail: ConflictDetail = {
          activityId: a.id,
          version: a.version,
          entity: a.entity,
          entityId: a.entityId,
          field: ch.field,
          mine: ch.lost,
          // Lost to the row's deletion (the changes alone cannot tell: see `lostToDelete`).
          deleted: lostToDelete(a),
          winner: ch.winner ?? null,
          at: a.createdAt,
          ...(ch.to !== undefined ? { theirs: ch.to } : {}),
        };
        out.push({
          id: `conflict:${a.id}:${ch.field}`,
          kind: 'conflict',
          detail,
        });
      }
    } else if (a.action === 'rejected' && a.clientId === who.clientId && a.mutationId !== null) {
      out.push({
        id: `rejected:${who.clientId}:${a.mutationId}`,
        kind: 'rejected',
        detail: a,
      });
    }
  }
  return out;
}

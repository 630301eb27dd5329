import { unreachable, type Mutation, type PullResponse } from '@outpost/shared';
import { describeError, isQuotaError, ProtocolVersionError } from './errors';
import type { SyncEvent } from './events';
import type { ConflictDetail, Notice } from './notices';

/**
 * Every notice text, built from what sync returned (events and errors), in one place. A draft
 * without an id gets a fresh one; one with an id is raised once however often it recurs.
 */
export type NoticeDraft = Omit<Notice, 'id' | 'at'> & { id?: string };

export interface Who {
  userId: string;
  clientId: string;
}

/** "creating a task", "editing a project", "deleting a task". */
export function describeMutation(type: Mutation['type']): string {
  const [entity, kind] = type.split('.');
  const verb = kind === 'create' ? 'creating' : kind === 'update' ? 'editing' : 'deleting';
  return `${verb} a ${entity}`;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export function noticesFor(event: SyncEvent, who: Who): NoticeDraft[] {
  switch (event.type) {
    case 'pushed':
      return event.rejected.map(({ entry: e, result: r }) => ({
        // Same id as the pulled audit entry's notice, so a rejection is reported once.
        id: `rejected:${who.clientId}:${e.mutationId}`,
        kind: 'rejected',
        message: `The server refused ${describeMutation(e.mutation.type)}: ${r?.reason ?? 'no reason given'}. The change was undone.`,
        detail: { mutation: e.mutation, code: r?.code ?? null, reason: r?.reason ?? null },
      }));
    case 'restored-copy': {
      const kept = event.keptChanges;
      return [
        {
          kind: 'evicted',
          message: `This device\u2019s offline data was older than the server\u2019s record of it (restored or partly cleared). It is being downloaded again.${kept > 0 ? ` ${kept} unsent change${plural(kept, ' is', 's are')} kept and will be sent.` : ''} Changes made on this device after that copy was taken and never sent cannot be recovered.`,
          detail: { serverLastMutationId: event.serverLastMutationId, keptChanges: kept },
        },
      ];
    }
    case 'evicted': {
      const lost = event.lostChanges;
      return [
        {
          kind: 'evicted',
          message:
            lost > 0
              ? `This browser cleared Outpost\u2019s offline data. Everything was downloaded again from the server, but ${lost} change${plural(lost, '', 's')} made on this device that had not been sent yet ${plural(lost, 'was', 'were')} lost.`
              : 'This browser cleared Outpost\u2019s offline data. Everything was downloaded again from the server; no unsent changes were lost.',
          detail: { lostChanges: lost, serverLastMutationId: event.serverLastMutationId },
        },
      ];
    }
    case 'push-blocked':
      return [
        {
          id: `gap:${event.expected}`,
          kind: 'sync-blocked',
          message:
            'The server has not received some of this device\u2019s earlier changes (it may have been restored from a backup). Sending is paused so nothing is applied out of order.',
          detail: { expected: event.expected },
        },
      ];
    case 'pulled':
      return event.notify ? activityNotices(event.page, who) : [];
    case 'resynced': {
      const { removed, keptChanges: kept } = event;
      return [
        {
          kind: 'resynced',
          message:
            `This device was away longer than the server keeps deletions, so it downloaded the workspace again${removed > 0 ? `: ${removed} item${plural(removed, '', 's')} deleted elsewhere meanwhile ${plural(removed, 'was', 'were')} removed here` : ''}. ` +
            `Nothing unsent was lost${kept > 0 ? `: ${kept} change${plural(kept, '', 's')} made here will still be sent` : ''}.`,
          detail: { removed, keptChanges: kept },
        },
      ];
    }
    case 'push-failed':
    case 'acked':
      return [];
    default:
      return unreachable(event);
  }
}

/** Notices for a failed cycle or write (most failures only show in the status). */
export function noticesForError(err: unknown): NoticeDraft[] {
  if (err instanceof ProtocolVersionError)
    return [
      {
        id: `protocol:${err.which}`,
        kind: 'update-required',
        message: err.message,
        detail: { which: err.which },
      },
    ];
  if (isQuotaError(err))
    return [
      {
        id: 'quota',
        kind: 'quota',
        message:
          'The device is out of storage space for Outpost\u2019s offline data. Free some space; changes may not be saved.',
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
  const out: NoticeDraft[] = [];
  for (const c of page.changes) {
    if (c.entity !== 'activity' || c.deleted) continue;
    const a = c.row;
    if (a.action === 'conflict') {
      // Told to the device whose value lost (by client id: two devices of one person too);
      // the winner's screen already shows its own value, so it is not alarmed.
      for (const ch of a.changes) {
        if (ch.loser?.clientId !== who.clientId || a.entityId === null) continue;
        const deleted = ch.to === undefined && !ch.wonHlc;
        const detail: ConflictDetail = {
          activityId: a.id,
          entity: a.entity,
          entityId: a.entityId,
          field: ch.field,
          mine: ch.lost,
          deleted,
          winner: ch.winner ?? null,
          at: a.createdAt,
          ...(ch.to !== undefined ? { theirs: ch.to } : {}),
        };
        out.push({
          id: `conflict:${a.id}:${ch.field}`,
          kind: 'conflict',
          message: deleted
            ? `Your edit of a ${a.entity}\u2019s ${ch.field} (${brief(ch.lost)}) was lost: the ${a.entity} was deleted at the same time.`
            : `Your ${a.entity} ${ch.field} ${brief(ch.lost)} was replaced by ${brief(ch.to)}, written elsewhere at the same time.`,
          detail,
        });
      }
    } else if (a.action === 'rejected' && a.clientId === who.clientId && a.mutationId !== null) {
      out.push({
        id: `rejected:${who.clientId}:${a.mutationId}`,
        kind: 'rejected',
        message: `The server refused a change to a ${a.entity}: ${a.reason ?? 'no reason given'}. The change was undone.`,
        detail: a,
      });
    }
  }
  return out;
}

/** A value in a notice: quoted text, or JSON for anything else. */
function brief(v: unknown): string {
  if (v === undefined || v === null || v === '') return '(empty)';
  return typeof v === 'string'
    ? `\u201c${v.length > 60 ? `${v.slice(0, 57)}\u2026` : v}\u201d`
    : JSON.stringify(v);
}

import type { Activity, Writer } from '@outpost/shared';
import { carriedName, useEntityActivities, useUsers } from '../../data';
import { useEngine } from '../engine/context';
import type { ChangedBy } from '../ui/conflict-text';

/**
 * Whose write set a row's field to `value`, as its history tells (newest first): the newest
 * create or edit that wrote that value, or the winner of a conflict that kept it. Null when
 * the history has no such write yet (it arrives with a later pull, or is older than the device
 * keeps).
 */
export function lastWriter(
  history: readonly Activity[],
  field: string,
  value: unknown,
): Writer | null {
  for (const a of history) {
    if (a.action !== 'create' && a.action !== 'update' && a.action !== 'conflict') continue;
    const c = a.changes.find((c) => c.field === field && c.to === value);
    if (!c) continue;
    if (a.action === 'conflict') return c.winner ?? null;
    return { userId: a.actorId, clientId: a.clientId };
  }
  return null;
}

/** A writer as the line under an edited field names them, from the reader's side. */
export function changedBy(
  writer: Writer | null,
  me: { userId: string; clientId: string },
  name: (userId: string) => string | null,
): ChangedBy {
  if (!writer?.userId) return { kind: 'unknown' };
  if (writer.userId === me.userId)
    return {
      kind: 'you',
      where: writer.clientId === null ? 'api' : writer.clientId === me.clientId ? 'tab' : 'device',
    };
  const known = name(writer.userId);
  return known ? { kind: 'person', name: known } : { kind: 'unknown' };
}

/**
 * For InlineText's `useChangedBy`: who changed a row's field under the reader's unsaved text.
 * The row's history and the members are read only while that line shows. Null while it cannot
 * tell yet: the history or the members are still being read, or the write's entry has not
 * arrived (a new value can come before its history); the line waits a moment for it.
 */
export function changedByHook(
  entityId: string,
  field: string,
): (value: string) => ChangedBy | null {
  return function useChangedBy(value) {
    const { replica } = useEngine();
    const history = useEntityActivities(entityId).data;
    const users = useUsers().data;
    const writer = history ? lastWriter(history, field, value) : null;
    if (!writer || !users) return null;
    return changedBy(
      writer,
      { userId: replica.userId, clientId: replica.clientId },
      (id) => users.find((u) => u.id === id)?.name ?? null,
    );
  };
}

/**
 * Who deleted a row this device no longer has, as its history tells: "You", the member's name
 * or "Someone", and the row's name the delete carried (null when it carried none). Null while
 * the history has no delete (the row may not have reached this device yet).
 */
export function useDeletedBy(entityId: string): { who: string; name: string | null } | null {
  const me = useEngine().session.user.id;
  const users = useUsers().data;
  const deletion = useEntityActivities(entityId).data?.find((a) => a.action === 'delete');
  if (!deletion) return null;
  const who =
    deletion.actorId === me
      ? 'You'
      : (users?.find((u) => u.id === deletion.actorId)?.name ?? 'Someone');
  return { who, name: carriedName(deletion) };
}

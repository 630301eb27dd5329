import { useEffect, useMemo, useState } from 'react';
import type { ConflictDetail } from '@outpost/sync';
import { useConflictRow, useEntityActivities, useEntityNames, useUsers } from '../../data';
import { useEngine } from '../engine/context';
import { carriedName } from '../../data';
import { humanValue, type Lookup } from '../screens/activity/describe';
import { restoreOrSay } from '../ui/restore';
import { useInFlight } from '../ui/in-flight';
import { fieldLabel } from '../ui/conflict-text';
import { andList } from '../ui/format';
import {
  changedSince,
  conflictWinnerWords,
  holdsLostValue,
  netLostToDelete,
} from '../engine/notice-text';

const NONE: readonly ConflictDetail[] = [];

/**
 * Told to the device whose value lost a conflict: which task, which field, its value and the
 * value kept, with "Use mine" (writes the lost value again as a new edit, which then wins by
 * clock) and "Keep theirs" (worded for the reader's own other device or API write:
 * `conflictWinnerWords`). `also` are the row's other fields lost to the same delete, said in
 * the same notice (one delete, one notice; its OK answers them all). Once the field holds the
 * lost value again here (a teammate set it back, or it was typed again), the notice no longer
 * says what is true: it goes on its own, answered (in every tab), as Linear's and Notion's do —
 * also when this tab opened after that (the pull raising the notice brought both). Once a third
 * value is there (written since, by anyone), it says so, and its dismiss keeps that
 * one ("Keep as it is": the winner's value it would have named is gone); "Use mine" still
 * brings the lost value back. "Use mine" acts once: pressed twice before its write resolves, the
 * second press does nothing (it wrote the value twice, each with its own toast).
 */
export function ConflictNotice({
  detail: d,
  also = NONE,
  onDone,
}: {
  detail: ConflictDetail;
  also?: readonly ConflictDetail[];
  onDone(): void;
}) {
  const { client, replica } = useEngine();
  const users = useUsers().data;
  const lost = useMemo(() => [d, ...also], [d, also]);
  // The row's history gives the name a deleted row had (its delete), and the values it held.
  const history = useEntityActivities(d.entityId).data;
  // Each field once, with the last value written to it here (a rename then another, offline,
  // are two writes of its title lost to the delete: one change, its last value, not two) — and
  // none whose last value is what the row held anyway (a tick then its undo lost nothing).
  const said = useMemo(() => netLostToDelete(lost, history ?? []), [lost, history]);
  // Lost to a delete, and nothing of it changed anything: nothing to tell.
  const nothingLost = d.deleted && history !== undefined && said.length === 0;
  // The row's own name, and the project's name when a task's project is what collided.
  const names = useEntityNames(
    useMemo(
      () => [
        d.entityId,
        ...lost
          .flatMap((c) => (c.field.endsWith('Id') ? [c.mine, c.theirs] : []))
          .filter((v): v is string => typeof v === 'string'),
      ],
      [d.entityId, lost],
    ),
  );
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useInFlight();
  // The row as this device has it now, and whether that state comes after the conflict: one
  // read, whenever this tab opened (a cached read from before the pull still shows mine).
  const now = useConflictRow(d).data;
  const row = now?.row;
  // Someone wrote a third value since: the notice says so rather than that the winner's is there.
  const since = changedSince(d, row);
  // Mine again after the conflict (set back, or typed again): nothing left to tell.
  const answered = now?.past === true && holdsLostValue(d, row);
  useEffect(() => {
    if (answered || nothingLost) onDone();
    // Once, as it becomes true (`onDone` is a new function on every render).
  }, [answered, nothingLost]);
  // Values as the feed words them: a person's name for an assignee (never its id), labels, dates.
  const lookup: Lookup = {
    name: (id) => users?.find((u) => u.id === id)?.name ?? names?.get(id) ?? null,
    projectOf: () => null,
  };
  const show = (v: unknown, field = d.field) => humanValue(field, v, lookup);
  // Not before the field is read: a notice answered already must not flash its old words.
  if (!history || !now || answered || nothingLost) return null;
  const gone = history.find((a) => a.action === 'delete');
  const subject = names?.get(d.entityId) ?? (gone ? carriedName(gone) : null);
  const who = d.winner?.userId
    ? (users?.find((u) => u.id === d.winner!.userId)?.name ?? null)
    : null;
  const field = fieldLabel(d.field);
  const kind = d.entity.charAt(0).toUpperCase() + d.entity.slice(1);
  const where = subject ? `${kind} “${subject}”` : `A ${d.entity}`;
  const { byWhom, whose, how, useMine, keepTheirs } = conflictWinnerWords(d, replica.userId, who);

  return (
    <div className="notice warn" role="alert" data-kind="conflict" data-testid="conflict-notice">
      <div>
        {d.deleted ? (
          <p>
            {where}: your {said.length === 1 ? 'change' : 'changes'} to its{' '}
            {andList(said.map((c) => `${fieldLabel(c.field)} (${show(c.mine, c.field)})`))}{' '}
            {said.length === 1 ? 'was' : 'were'} lost — {byWhom} deleted it.
          </p>
        ) : (
          <p>
            {where}: your {field} <strong>{show(d.mine)}</strong> was replaced by{' '}
            {whose && `${whose} `}
            <strong>{show(d.theirs)}</strong>, {how} after yours.
            {since && (
              <>
                {' '}
                It has since changed to <strong>{show(since.now)}</strong>.
              </>
            )}
          </p>
        )}
        {error && <p role="alert">{error}</p>}
      </div>
      <div className="row">
        {!d.deleted && (
          <button
            type="button"
            aria-disabled={busy || undefined}
            onClick={() =>
              void run(() =>
                restoreOrSay(client, d, { row: subject, value: show(d.mine) }).then(
                  () => onDone(),
                  (err: unknown) => setError(`Could not restore: ${String(err)}`),
                ),
              )
            }
          >
            {useMine}
          </button>
        )}
        <button type="button" className="link" onClick={onDone}>
          {d.deleted ? 'OK' : since ? 'Keep as it is' : keepTheirs}
        </button>
      </div>
    </div>
  );
}

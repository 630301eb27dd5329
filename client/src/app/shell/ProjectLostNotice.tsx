import { useEffect, useMemo } from 'react';
import { useEntitiesActivities, useEntityNames, useUsers } from '../../data';
import { useEngine } from '../engine/context';
import {
  conflictWinnerWords,
  netLostToProject,
  lostValuesText,
  projectLostText,
  typedTextLabel,
  type LostToProject,
} from '../engine/notice-text';
import { humanValue, type Lookup } from '../screens/activity/describe';
import { fieldLabel } from '../ui/conflict-text';
import { TextToCopy } from '../ui/TextToCopy';

/** Text fields: what was typed into them is shown whole, to copy. */
const TEXT_FIELDS = new Set(['title', 'notes']);

/**
 * Edits of several tasks lost because someone deleted their project (its delete took the tasks
 * with it): one notice for the project — who deleted it, how many of its tasks had changes of
 * the reader's that were not applied — listing each task's lost values, with the text typed
 * into a title or notes shown whole to copy (as an open task deleted underneath shows it).
 * Only what was lost is said (`netLostToProject`): a task ticked then unticked offline lost
 * nothing; when nothing is left, the notice goes on its own, answered. Its OK answers every
 * notice it says.
 */
export function ProjectLostNotice({ lost, onDone }: { lost: LostToProject; onDone(): void }) {
  const { replica } = useEngine();
  const users = useUsers().data;
  const names = useEntityNames(
    useMemo(() => [lost.projectId, ...lost.tasks.map((t) => t.taskId)], [lost]),
  );
  // Each task's history gives the values it held when deleted: edits back to them lost nothing.
  const histories = useEntitiesActivities(useMemo(() => lost.tasks.map((t) => t.taskId), [lost]));
  const tasks = useMemo(
    () => (histories ? netLostToProject(lost.tasks, histories) : null),
    [lost, histories],
  );
  const nothingLost = tasks !== null && tasks.length === 0;
  useEffect(() => {
    if (nothingLost) onDone();
    // Once, as it becomes true (`onDone` is a new function on every render).
  }, [nothingLost]);
  const lookup: Lookup = {
    name: (id) => users?.find((u) => u.id === id)?.name ?? names?.get(id) ?? null,
    projectOf: () => null,
  };
  const who = lost.winner?.userId
    ? (users?.find((u) => u.id === lost.winner!.userId)?.name ?? null)
    : null;
  const { byWhom } = conflictWinnerWords({ winner: lost.winner }, replica.userId, who);
  const project = names?.get(lost.projectId);
  // Not before the histories are read: a notice of nothing must not flash its old words.
  if (!tasks || nothingLost) return null;

  return (
    <div
      className="notice warn"
      role="alert"
      data-kind="conflict"
      data-brief="project-lost"
      data-testid="project-lost"
    >
      <div>
        <p>
          {projectLostText(
            byWhom,
            project ?? null,
            tasks.map((t) => names?.get(t.taskId) ?? null),
          )}
        </p>
        <ul aria-label="Changes not applied" className="lost-writes">
          {tasks.map((t) => {
            const title = names?.get(t.taskId);
            const other = t.details.filter(
              (d) => !(TEXT_FIELDS.has(d.field) && typeof d.mine === 'string' && d.mine !== ''),
            );
            const typed = t.details.filter((d) => !other.includes(d));
            return (
              <li key={t.taskId}>
                {title ? `“${title}”` : 'A task'}
                {other.length > 0 &&
                  `: ${lostValuesText(other.map((d) => ({ label: fieldLabel(d.field), value: humanValue(d.field, d.mine, lookup) })))}`}
                {typed.map((d) => (
                  <TextToCopy
                    key={d.field}
                    label={typedTextLabel(fieldLabel(d.field))}
                    text={d.mine as string}
                  />
                ))}
              </li>
            );
          })}
        </ul>
      </div>
      <div className="row">
        <button type="button" className="link" onClick={onDone}>
          OK
        </button>
      </div>
    </div>
  );
}

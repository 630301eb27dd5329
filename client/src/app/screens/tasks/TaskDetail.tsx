import { useEffect, useId, useRef, useState } from 'react';
import { DUE_DATE_MAX, DUE_DATE_MIN, TASK_NOTES_MAX, TASK_TITLE_MAX } from '@outpost/shared';
import type { Activity, EntityId, Task, User } from '@outpost/shared';
import { useEntityActivities, useTask, useUnsentIds } from '../../../data';
import { href } from '../../shell/router';
import { dueInfo, relativeTime, showValue, todayIso } from '../../ui/format';
import { InlineText } from '../../ui/InlineText';
import { releaseTabs, tabInto } from '../../ui/held-tabs';
import { Skeleton } from '../../ui/Skeleton';
import { useAction } from '../../ui/useAction';
import { useInertBehind } from '../../ui/sheet-inert';
import { useSyncClient } from '../../../data';
import { useTaskActions } from './task-actions';

interface Props {
  taskId: string;
  users: readonly User[];
  canDelete: boolean;
  onClose(): void;
  onDeleted(id: string): void;
}

const STATUS_LABEL = { todo: 'To do', doing: 'In progress', done: 'Done' } as const;
const FIELD_LABEL: Record<string, string> = {
  assigneeId: 'assignee',
  dueDate: 'due date',
  projectId: 'project',
};

/**
 * A task's detail: every field, delete, and the task's own history. A side panel on a wide
 * screen, the whole screen on a phone. Escape backs out of an edit first, then closes.
 */
export function TaskDetail({ taskId, users, canDelete, onClose, onDeleted }: Props) {
  const task = useTask(taskId);
  const panel = useRef<HTMLElement>(null);
  const headingId = useId();

  useEffect(() => {
    // Opening moves focus into the panel (its heading), not into a field the user might type over.
    panel.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [taskId]);
  // Tabs pressed while it opened go through its fields once they are here (held-tabs.ts).
  const ready = task.data !== undefined;
  useEffect(() => {
    if (ready && panel.current) tabInto(panel.current, releaseTabs());
  }, [ready, taskId]);
  // On a phone the panel is the whole screen (tasks.css): what it covers cannot take focus.
  // Closing hands focus back to the list before the panel has gone: release it first.
  const release = useInertBehind(panel, '(max-width: 899px)');
  const close = () => {
    release();
    onClose();
  };
  const deleted = (id: string) => {
    release();
    onDeleted(id);
  };

  return (
    <aside
      ref={panel}
      className="task-detail"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          close();
        }
      }}
    >
      <div className="detail-head">
        <h2 id={headingId} tabIndex={-1} data-autofocus>
          Task
        </h2>
        <button type="button" className="icon" aria-label="Close task details" onClick={close}>
          ✕
        </button>
      </div>
      {task.data === undefined ? (
        <Skeleton label="Loading task" rows={4} />
      ) : task.data === null ? (
        <p className="muted">This task was deleted, or has not reached this device yet.</p>
      ) : (
        <TaskFields task={task.data} users={users} canDelete={canDelete} onDeleted={deleted} />
      )}
    </aside>
  );
}

function TaskFields({
  task,
  users,
  canDelete,
  onDeleted,
}: {
  task: Task;
  users: readonly User[];
  canDelete: boolean;
  onDeleted(id: string): void;
}) {
  const client = useSyncClient();
  const actions = useTaskActions();
  const { error, run } = useAction();
  const update = (patch: Parameters<typeof client.updateTask>[1]) =>
    void run(() => client.updateTask(task.id, patch));
  const ids = {
    title: useId(),
    notes: useId(),
    status: useId(),
    assignee: useId(),
    due: useId(),
    dueHint: useId(),
  };
  /** A date typed so far that is no due date yet (a year before 1900), shown but not saved. */
  const [dueDraft, setDueDraft] = useState<string | null>(null);
  const due = dueInfo(task.dueDate, todayIso(), task.status === 'done');

  return (
    <div className="stack detail-body">
      <div className="field">
        <label htmlFor={ids.title}>Title</label>
        <InlineText
          id={ids.title}
          kind="wrap"
          className="detail-title"
          label="Title"
          value={task.title}
          maxLength={TASK_TITLE_MAX}
          onCommit={(title) => update({ title })}
        />
      </div>
      <div className="detail-grid">
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select
            id={ids.status}
            value={task.status}
            onChange={(e) => update({ status: e.target.value as Task['status'] })}
          >
            <option value="todo">{STATUS_LABEL.todo}</option>
            <option value="doing">{STATUS_LABEL.doing}</option>
            <option value="done">{STATUS_LABEL.done}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.assignee}>Assignee</label>
          <select
            id={ids.assignee}
            value={task.assigneeId ?? ''}
            onChange={(e) =>
              update({ assigneeId: e.target.value ? (e.target.value as EntityId) : null })
            }
          >
            <option value="">Unassigned</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.due}>Due date</label>
          <div className="due-line">
            <input
              id={ids.due}
              type="date"
              min={DUE_DATE_MIN}
              max={DUE_DATE_MAX}
              value={dueDraft ?? task.dueDate ?? ''}
              onChange={(e) => {
                const value = e.target.value;
                // A year typed a digit at a time passes 0002, 0020, 0202: kept as typed, not
                // saved (no due date) and not undone, until it is a due date again.
                if (value !== '' && value < DUE_DATE_MIN) return setDueDraft(value);
                setDueDraft(null);
                update({ dueDate: value || null });
              }}
              onBlur={() => setDueDraft(null)}
              aria-invalid={dueDraft !== null}
              aria-describedby={dueDraft !== null ? ids.dueHint : undefined}
            />
            {due && due.tone && <span className={`chip due ${due.tone}`}>{due.text}</span>}
          </div>
          {dueDraft !== null && (
            <p id={ids.dueHint} className="hint">
              A due date is in the years 1900 to 9999.
            </p>
          )}
        </div>
      </div>
      <div className="field">
        <label htmlFor={ids.notes}>
          Notes <span className="hint">(Ctrl+Enter or leave the field to save)</span>
        </label>
        <InlineText
          id={ids.notes}
          kind="notes"
          label="Notes"
          placeholder="Add notes"
          value={task.notes}
          required={false}
          maxLength={TASK_NOTES_MAX}
          onCommit={(notes) => update({ notes })}
        />
      </div>
      {error && (
        <p role="alert" className="notice bad">
          {error}
        </p>
      )}
      {canDelete && (
        <div className="row">
          <button
            type="button"
            className="danger"
            onClick={() => {
              actions.remove(task);
              onDeleted(task.id);
            }}
          >
            Delete task
          </button>
        </div>
      )}
      <TaskHistory taskId={task.id} users={users} />
    </div>
  );
}

const VERB: Record<Activity['action'], string> = {
  create: 'created this task',
  update: 'changed',
  delete: 'deleted this task',
  conflict: 'had a conflicting edit:',
  rejected: 'had a change refused:',
  'access-denied': 'was denied access',
};

function TaskHistory({ taskId, users }: { taskId: string; users: readonly User[] }) {
  const history = useEntityActivities(taskId);
  const unsent = useUnsentIds()?.has(taskId) ?? false;
  const name = (id: string | null) =>
    id ? (users.find((u) => u.id === id)?.name ?? 'someone') : 'the system';
  const value = (field: string, v: unknown) =>
    field === 'assigneeId' && typeof v === 'string'
      ? name(v)
      : field === 'dueDate' && typeof v === 'string'
        ? (dueInfo(v, '', true)?.text ?? v)
        : field === 'status' && typeof v === 'string' && v in STATUS_LABEL
          ? STATUS_LABEL[v as Task['status']]
          : showValue(v);
  return (
    <section className="history" aria-label="History of this task">
      <h3>History</h3>
      {history.data === undefined ? (
        <Skeleton label="Loading history" rows={2} />
      ) : history.data.length === 0 ? (
        // A task with no change waiting has its history on the server: older than the recent
        // activity this device keeps (the pull sends a window), it will not arrive by itself.
        <p className="muted">
          {unsent ? (
            'No history yet: it arrives with the next sync.'
          ) : (
            <>
              Its history is older than what this device keeps:{' '}
              <a href={href({ name: 'activity' })}>Activity</a> reads older entries from the server.
            </>
          )}
        </p>
      ) : (
        <ol className="list">
          {history.data.map((a) => (
            <li key={a.id} data-action={a.action}>
              <strong>{name(a.actorId)}</strong> {VERB[a.action]}{' '}
              {a.action === 'update' || a.action === 'conflict' || a.action === 'rejected'
                ? a.changes
                    .map((c) =>
                      a.action === 'conflict'
                        ? `${c.field}: ${showValue(c.lost)} lost`
                        : `${FIELD_LABEL[c.field] ?? c.field} → ${value(c.field, c.to)}`,
                    )
                    .join(', ')
                : null}
              {a.reason && <span className="muted"> ({a.reason})</span>}{' '}
              <time className="muted" dateTime={a.createdAt}>
                {relativeTime(a.createdAt)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import {
  DUE_DATE_MAX,
  DUE_DATE_MIN,
  type EntityId,
  type Task,
  type TaskStatus,
  type User,
} from '@outpost/shared';
import { useProjects } from '../../../data';
import { confirmAction } from '../../ui/confirm';
import { count, STATUS_LABEL, todayIso } from '../../ui/format';
import { peopleYouFirst } from '../../ui/people';
import { named, toasts } from '../../ui/toasts';
import { keyAfterPicker, openPicker } from '../../ui/picker';
import { useAction } from '../../ui/useAction';
import { sayMayNotDelete, setDueMessage, taskCount, useTaskActions } from './task-actions';
import { readDueDate } from './quick-add/due-phrase';
import { DueWordsHint, startsDateInWords } from './due-words';

/**
 * The bar's controls a key opens (s, a, d, p): status, assign, due date, move; and its Delete
 * (the Delete or Backspace key), which asks first.
 */
export type BulkField = 'status' | 'assign' | 'due' | 'move' | 'delete';

interface Props {
  /** How many rows are selected (the rows shown; see selection.ts). */
  count: number;
  /** The selected rows as read (all of them once read: actions wait for that). */
  tasks: readonly Task[];
  projectId: string;
  users: readonly User[];
  me: string;
  canDelete: boolean;
  /** Picking on a phone (the toolbar's Select): Done ends it. */
  picking: boolean;
  onSelectAll(): void;
  onClear(): void;
  /**
   * An action was written: `leaving` says the rows leave this list (moved, deleted, completed
   * into the folded Completed section), so focus goes to the row in their place.
   */
  onActed(tasks: readonly Task[], leaving: boolean): void;
  /** Whether this list still shows a task changed so (its section open, the search shown). */
  shows(task: Task): boolean;
  /**
   * A control a key asked for (s, a, d, p): focused and opened once the rows are read; for
   * Delete, the delete asked about.
   */
  pick?: BulkField | null;
  onPicked?(): void;
  /** Escape on one of the bar's choices: back to the list, nothing chosen. */
  onBack?(): void;
}

/** The toast after a status set in bulk: "Completed 3 tasks", "Set 3 tasks to In progress". */
function statusSetMessage(status: TaskStatus, changed: readonly Pick<Task, 'title'>[]) {
  return status === 'done'
    ? `Completed ${taskCount(changed)}`
    : `Set ${taskCount(changed)} to ${STATUS_LABEL[status]}`;
}

/**
 * What can be done to the selected rows at once: complete or reopen (one click), set a status,
 * assign, set or clear the due date, move to another project, delete. Each is one write (one
 * transaction for all the tasks), one toast, one Undo.
 */
export function BulkBar(props: Props) {
  const { tasks, users, me, projectId, canDelete, picking } = props;
  const actions = useTaskActions();
  const { error, run } = useAction();
  const ids = {
    status: useId(),
    assign: useId(),
    move: useId(),
    due: useId(),
    dueDate: useId(),
    dueHint: useId(),
  };
  const [dueOpen, setDueOpen] = useState(false);
  /**
   * The due date in words ("fri", "in 3 days"), as the task's own date field takes it: what d
   * opens, or a letter typed on the date. `failed`: Enter found no day in it; nothing was set.
   */
  const [dueWords, setDueWords] = useState<{ text: string; failed: boolean } | null>(null);
  // A large selection's write takes a moment: the bar says so and takes no second action.
  const [working, setWorking] = useState<number | null>(null);
  const projectsRead = useProjects().data;
  const projects = projectsRead ?? [];
  // Where they can go: the other active projects, as the projects list orders them.
  const targets = projects.filter((p) => p.status === 'active' && p.id !== projectId);
  const n = props.count;
  // Until every selected row is read, an action would miss some: wait (a moment, once).
  const ready = n > 0 && tasks.length === n && working === null;
  // A mixed selection is completed; one wholly done is reopened.
  const allDone = ready && tasks.every((t) => t.status === 'done');

  // A key's control opens once it can act (every selected row read); the due date's field first
  // has to be shown. One it cannot open (nowhere to move to) backs out, as Escape would.
  const { pick, onPicked } = props;
  useEffect(() => {
    if (!pick || (n > 0 && !ready)) return;
    // Where to move them is not known until the projects are read (just after opening).
    if (pick === 'move' && projectsRead === undefined) return;
    if (pick === 'due' && n > 0 && (!dueOpen || !dueWords)) {
      // In words, not the calendar: a calendar a key opened took the letters typed next, and
      // their Enter set today, a day nobody chose ("d fri Enter" was due today).
      setDueOpen(true);
      setDueWords({ text: '', failed: false });
      return;
    }
    onPicked?.();
    if (pick === 'delete') {
      // Not theirs to delete: nothing is deleted, and a toast says why (? does not list it).
      if (!canDelete && n > 0) sayMayNotDelete();
      if (!canDelete || n === 0) return props.onBack?.();
      return void remove(true);
    }
    const id = pick === 'due' ? ids.dueDate : ids[pick];
    const el = document.getElementById(id) as HTMLSelectElement | HTMLInputElement | null;
    // Nothing to choose (no other active project to move to): back to the list as it was,
    // saying why (the key did nothing).
    if (!el || el.disabled) {
      if (pick === 'move' && n > 0 && targets.length === 0)
        toasts.show({ message: 'There is no other active project to move to.', durationMs: 4000 });
      return props.onBack?.();
    }
    el.focus();
    // Its list closed with Escape, focus goes back to the row at once: the next key (a, d, j)
    // acts there, not on the select (where a letter only backed out, and was lost).
    if (pick !== 'due') openPicker(el, true, props.onBack);
  });
  // Escape on a choice (its list already closed) goes back to the list without choosing.
  // A letter once the list a key opened closed (Escape) backs out too: it picks nothing.
  const typedDue = dueWords ? readDueDate(dueWords.text, todayIso()) : null;
  /** Escape (or Enter with nothing typed) on the due date: back to the list, nothing set. */
  const closeDue = (e: KeyboardEvent<HTMLInputElement>) => {
    e.preventDefault();
    e.stopPropagation();
    setDueOpen(false);
    setDueWords(null);
    props.onBack?.();
  };
  const back = (e: KeyboardEvent<HTMLSelectElement>) => {
    const { onBack } = props;
    if (!onBack || keyAfterPicker(e, onBack) || e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    onBack();
  };

  const apply = (
    patch: Parameters<typeof actions.updateMany>[1],
    message: (changed: readonly Task[]) => string,
  ) =>
    void run(async () => {
      setWorking(tasks.length);
      try {
        const changed = await actions.updateMany(tasks, patch, message);
        props.onActed(changed, !changed.some((t) => props.shows({ ...t, ...patch } as Task)));
      } finally {
        setWorking(null);
      }
    });
  const name = (id: string) => {
    const user = users.find((u) => u.id === id);
    return id === me ? 'you' : user ? named(user.name) : 'someone';
  };
  const setDueTo = (value: string) =>
    apply({ dueDate: value }, (c) => setDueMessage(c, value, todayIso()));

  /** `byKey`: asked by the Delete key; declined, the keys go back to the list. */
  async function remove(byKey = false) {
    const what = n === 1 ? taskCount(tasks) : `${count(n)} tasks`;
    const ok = await confirmAction({
      title: `Delete ${what}?`,
      message: `${n === 1 ? 'It is' : 'They are'} deleted for everyone in the organization. You can undo for a few seconds.`,
      confirmLabel: n === 1 ? 'Delete task' : `Delete ${count(n)} tasks`,
      danger: true,
    });
    if (!ok) return byKey ? props.onBack?.() : undefined;
    actions.removeMany(tasks);
    props.onActed(tasks, true);
  }

  return (
    <div
      className="bulk-bar"
      role="toolbar"
      aria-label="Selected tasks"
      aria-busy={working !== null || undefined}
    >
      <span className="bulk-count">
        {working !== null && working > 1
          ? `Saving ${count(working)} tasks…`
          : n === 0
            ? 'Select tasks'
            : `${count(n)} selected`}
      </span>
      {n > 0 && (
        // Beside the count: on a phone it shares the count's line (one tap completes them).
        <button
          type="button"
          className="bulk-quick"
          disabled={!ready}
          onClick={() =>
            allDone
              ? apply({ status: 'todo' }, (c) => `Reopened ${taskCount(c)}`)
              : apply({ status: 'done' }, (c) => `Completed ${taskCount(c)}`)
          }
        >
          {allDone ? 'Mark to do' : 'Complete'}
        </button>
      )}
      {n > 0 && (
        <div className="bulk-row">
          <label htmlFor={ids.status} className="visually-hidden">
            Set the status of the selected tasks
          </label>
          <select
            onKeyDown={back}
            id={ids.status}
            value=""
            disabled={!ready}
            onChange={(e) => {
              const to = e.target.value as TaskStatus;
              apply({ status: to }, (c) => statusSetMessage(to, c));
            }}
          >
            <option value="" disabled>
              Status…
            </option>
            {(Object.keys(STATUS_LABEL) as TaskStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
          <label htmlFor={ids.assign} className="visually-hidden">
            Assign the selected tasks
          </label>
          <select
            onKeyDown={back}
            id={ids.assign}
            value=""
            disabled={!ready}
            onChange={(e) => {
              const to = e.target.value === 'none' ? null : (e.target.value as EntityId);
              apply({ assigneeId: to }, (c) =>
                to === null
                  ? `Unassigned ${taskCount(c)}`
                  : `Assigned ${taskCount(c)} to ${name(to)}`,
              );
            }}
          >
            <option value="" disabled>
              Assign…
            </option>
            <option value="none">Unassigned</option>
            {peopleYouFirst(users, me).map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            aria-expanded={dueOpen}
            aria-controls={ids.due}
            disabled={!ready}
            onClick={() => {
              setDueOpen((v) => !v);
              setDueWords(null);
            }}
          >
            Due date…
          </button>
          <label htmlFor={ids.move} className="visually-hidden">
            Move the selected tasks to another project
          </label>
          <select
            onKeyDown={back}
            id={ids.move}
            value=""
            disabled={!ready || targets.length === 0}
            onChange={(e) => {
              const to = targets.find((p) => p.id === e.target.value);
              if (to)
                apply(
                  { projectId: to.id as EntityId },
                  (c) => `Moved ${taskCount(c)} to “${to.name}”`,
                );
            }}
          >
            <option value="" disabled>
              Move to…
            </option>
            {targets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          {canDelete && (
            <button
              type="button"
              className="danger"
              disabled={!ready}
              onClick={() => void remove()}
            >
              Delete
            </button>
          )}
        </div>
      )}
      <span className="bulk-end">
        {picking && n === 0 && (
          <button type="button" className="link" onClick={props.onSelectAll}>
            Select all
          </button>
        )}
        <button
          type="button"
          className="icon"
          aria-label={picking ? 'Done selecting' : 'Clear the selection'}
          title={picking ? 'Done selecting' : 'Clear the selection (Esc)'}
          onClick={props.onClear}
        >
          ✕
        </button>
      </span>
      {dueOpen && n > 0 && (
        <div className="bulk-due" id={ids.due}>
          <label>
            Due
            {dueWords ? (
              <input
                id={ids.dueDate}
                type="text"
                autoComplete="off"
                placeholder="tomorrow, fri, dec 24"
                value={dueWords.text}
                onChange={(e) => setDueWords({ text: e.target.value, failed: false })}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') return closeDue(e);
                  if (e.key !== 'Enter') return;
                  e.preventDefault();
                  // Nothing typed sets nothing, as Escape.
                  if (!dueWords.text.trim()) return closeDue(e);
                  if (!typedDue) return setDueWords({ ...dueWords, failed: true });
                  setDueOpen(false);
                  setDueWords(null);
                  setDueTo(typedDue);
                }}
                aria-invalid={dueWords.failed || undefined}
                aria-describedby={ids.dueHint}
              />
            ) : (
              <input
                id={ids.dueDate}
                type="date"
                min={DUE_DATE_MIN}
                max={DUE_DATE_MAX}
                defaultValue=""
                onKeyDown={(e) => {
                  if (e.key === 'Escape') return closeDue(e);
                  // A letter has no place in a date's parts: it starts the date in words.
                  if (startsDateInWords(e)) {
                    e.preventDefault();
                    setDueWords({ text: e.key, failed: false });
                  }
                }}
                onChange={(e) => {
                  const value = e.target.value;
                  // A year typed a digit at a time passes 0002, 0020…: not a due date yet.
                  if (!value || value < DUE_DATE_MIN) return;
                  setDueOpen(false);
                  setDueTo(value);
                }}
              />
            )}
          </label>
          <button
            type="button"
            onClick={() => {
              setDueOpen(false);
              setDueWords(null);
              apply({ dueDate: null }, (c) => `Cleared the due date of ${taskCount(c)}`);
            }}
          >
            Clear due date
          </button>
          {dueWords && (
            <DueWordsHint
              id={ids.dueHint}
              text={dueWords.text}
              day={typedDue}
              failed={dueWords.failed}
            />
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="notice bad">
          {error}
        </p>
      )}
    </div>
  );
}

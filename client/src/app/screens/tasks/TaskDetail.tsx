import {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import { DUE_DATE_MAX, DUE_DATE_MIN, TASK_NOTES_MAX, TASK_TITLE_MAX } from '@outpost/shared';
import { lostToDelete, type Activity, type EntityId, type Task, type User } from '@outpost/shared';
import { useEntityActivities, useProjects, useTask, useUnsentIds } from '../../../data';
import { href } from '../../shell/router';
import { dueInfo, initials, relativeTime, STATUS_LABEL, todayIso } from '../../ui/format';
import { InlineText } from '../../ui/InlineText';
import { releaseTabs, tabInto } from '../../ui/held-tabs';
import { Skeleton } from '../../ui/Skeleton';
import { conflictLine, fieldLabel } from '../../ui/conflict-text';
import { historyText, humanValue, type Lookup } from '../activity/describe';
import { reasonText } from '../../ui/reason-text';
import { useAction } from '../../ui/useAction';
import { pageCovered, useInertBehind } from '../../ui/sheet-inert';
import { useSyncClient } from '../../../data';
import { useEngine } from '../../engine/context';
import { peopleYouFirst } from '../../ui/people';
import { keyAfterPicker, openPicker } from '../../ui/picker';
import { useShortcuts } from '../../ui/shortcuts';
import { confirmAction } from '../../ui/confirm';
import { TextToCopy } from '../../ui/TextToCopy';
import { sayMayNotDelete, taskCount, useTaskActions } from './task-actions';
import { changedByHook, useDeletedBy } from '../changed-by';
import { keptGoneTexts, useGoneText, type GoneText } from '../gone-text';
import { readDueDate } from './quick-add/due-phrase';
import { DueWordsHint, startsDateInWords } from './due-words';
import { tabPastParts } from '../../ui/one-tab-stop';
import { useDocumentTitle } from '../../ui/use-document-title';
import { useUnsavedNotices } from '../../shell/unsaved-notices';

interface Props {
  taskId: string;
  /**
   * What titles the page until the task and its project are read (its project's name, or
   * "Search"); then the task's title and its project's, wherever it is open.
   */
  where: string;
  users: readonly User[];
  canDelete: boolean;
  onClose(): void;
  onDeleted(id: string): void;
  /**
   * The task moved to another project: a project's screen closes the detail (its list no
   * longer has it); without this, the detail stays open (the workspace search lists it still).
   */
  onMoved?(id: string): void;
}

/**
 * A task's detail: every field, delete, and the task's own history. A side panel on a wide
 * screen, the whole screen on a phone. Escape backs out of an edit first, then closes.
 */
export function TaskDetail({
  taskId,
  where,
  users,
  canDelete,
  onClose,
  onDeleted,
  onMoved,
}: Props) {
  const task = useTask(taskId);
  // The page is titled by the task open and its project, from a project's list or from search
  // alike: "Fix login · Website · Outpost".
  const project = useProjects().data?.find((p) => p.id === task.data?.projectId);
  useDocumentTitle(task.data ? `${task.data.title} · ${project?.name ?? where}` : where);
  const unsent = useUnsentIds()?.has(taskId) ?? false;
  const panel = useRef<HTMLElement>(null);
  const headingId = useId();
  // Text typed into the title or notes, not saved, when the task was deleted under it (by a
  // teammate, or in another tab): the fields went with the task, so it is shown to copy.
  const [unsaved, setUnsaved] = useState<readonly Unsaved[]>([]);
  // And text typed into it as the page last closed, deleted before this start could save it.
  const { keptUnsaved } = useEngine();
  // Shown here and the panel left (closed, or another task opened): the project deleted later
  // does not list it again (`GoneTextSink.shown`). Read when leaving, not from the render the
  // close handler was made in: a save failing meanwhile added to it. Not on unmount: the
  // project's own delete takes this panel away, and its screen is then where the text shows.
  const goneText = useGoneText();
  const unsavedNow = useRef(unsaved);
  useLayoutEffect(() => {
    unsavedNow.current = unsaved;
  }, [unsaved]);
  // The task whose fields the panel shows: null once left, or gone with its screen.
  const showing = useRef<string | null>(taskId);
  useLayoutEffect(() => {
    showing.current = taskId;
    return () => {
      showing.current = null;
    };
  }, [taskId]);
  const leave = () => {
    showing.current = null;
    goneText.shown(unsavedNow.current);
  };
  const openedId = useRef(taskId);
  useEffect(() => {
    if (openedId.current === taskId) return;
    openedId.current = taskId;
    goneText.shown(unsavedNow.current);
    setUnsaved([]);
  }, [taskId, goneText]);
  const notices = useUnsavedNotices();
  // Text a field could not save, its task deleted: shown in this panel while it shows that task
  // (and listed by the project's screen should the project go too). A save fails a few ms after
  // its field went: the panel closed or on to another task by then, a notice says it (it was
  // shown nowhere); the panel gone with its deleted project, that project's screen lists it.
  const unsavedText = (u: Unsaved, title: string) => {
    if (showing.current === u.of) {
      setUnsaved((list) => [...list, u]);
      goneText.report(u);
    } else if (goneText.listsNow()) goneText.report(u);
    else {
      notices.add(
        `“${title}” was deleted before what you typed into it was saved — copy it if you need it.`,
        [{ label: u.field === 'title' ? 'Title' : 'Notes', text: u.text }],
      );
      goneText.shown([u]);
    }
  };
  const gone = task.data === null;
  useEffect(() => {
    // Its fields went with it: focus that was in them goes to the panel, where Escape closes.
    if (gone && document.activeElement === document.body)
      panel.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [gone]);

  const shown = useRef(false);
  useEffect(() => {
    // Going on from one open task to another from its row beside the panel (j/k, a click; a
    // wide screen) leaves focus on that row: it says the task's title and meta, where the
    // panel's heading would only say "Task".
    const onItsRow = document.activeElement?.closest(`[data-task-id="${CSS.escape(taskId)}"]`);
    if (shown.current && onItsRow) return;
    shown.current = true;
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
    leave();
    release();
    onClose();
  };
  const deleted = (id: string) => {
    release();
    onDeleted(id);
  };
  const moved = (id: string) => {
    if (!onMoved) return;
    release();
    onMoved(id);
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
        {/* As its row's dot and the project's header say: this device has changes the server has not. */}
        {unsent && task.data && <span className="badge pending">not synced yet</span>}
        <button type="button" className="icon" aria-label="Close task details" onClick={close}>
          ✕
        </button>
      </div>
      {task.data === undefined ? (
        <Skeleton label="Loading task" rows={4} />
      ) : task.data === null ? (
        <GoneTask
          taskId={taskId}
          unsaved={[...keptGoneTexts(keptUnsaved, 'task', taskId), ...unsaved]}
        />
      ) : (
        <TaskFields
          key={task.data.id}
          task={task.data}
          users={users}
          unsent={unsent}
          canDelete={canDelete}
          onDeleted={deleted}
          onMoved={moved}
          onUnsaved={unsavedText}
        />
      )}
    </aside>
  );
}

function TaskFields({
  task,
  users,
  unsent,
  canDelete,
  onDeleted,
  onMoved,
  onUnsaved,
}: {
  task: Task;
  users: readonly User[];
  unsent: boolean;
  canDelete: boolean;
  onDeleted(id: string): void;
  onMoved(id: string): void;
  /** Typed text its field saved as it went away, with the task (titled `title`) deleted meanwhile. */
  onUnsaved(u: Unsaved, title: string): void;
}) {
  const client = useSyncClient();
  const me = useEngine().session.user.id;
  const actions = useTaskActions();
  const { error, run } = useAction();
  const update = (patch: Parameters<typeof client.updateTask>[1]) =>
    void run(() => client.updateTask(task.id, patch));
  // A field going away saves what it holds; the task deleted under it, that text is handed up.
  const saveText = (field: Unsaved['field'], text: string, from: string) =>
    void run(() =>
      client.updateTask(task.id, { [field]: text }, { [field]: from }).catch((err: unknown) => {
        if (!(err instanceof Error && err.name === 'NotFoundError')) throw err;
        const label = `${field === 'title' ? 'Title' : 'Notes'} of “${task.title}”`;
        onUnsaved({ of: task.id, field, text, label }, task.title);
      }),
    );
  const ids = {
    title: useId(),
    status: useId(),
    assignee: useId(),
    due: useId(),
    dueHint: useId(),
    project: useId(),
  };
  // Who changed the title or notes under unsaved text (read only while a field says so).
  const titleBy = useMemo(() => changedByHook(task.id, 'title'), [task.id]);
  const notesBy = useMemo(() => changedByHook(task.id, 'notes'), [task.id]);
  // Where it can go: the active projects (and its own, archived or not), as the list orders them.
  const projects = useProjects().data;
  const projectNames = new Map((projects ?? []).map((p) => [p.id, p.name]));
  const targets = (projects ?? []).filter((p) => p.status === 'active' || p.id === task.projectId);
  /** A date typed so far that is no due date yet (a year before 1900), shown but not saved. */
  const [dueDraft, setDueDraft] = useState<string | null>(null);
  /**
   * A due date chosen (picked, typed, cleared), shown until the task as read has it or the write
   * is refused: the field showed the date before it until the write was read back.
   */
  const [dueChosen, setDueChosen] = useState<{ value: string | null; stored: boolean } | null>(
    null,
  );
  // (Once stored, any date read is newer than it: a teammate's, or the merge's.)
  useEffect(() => {
    setDueChosen((c) => (c && (c.value === task.dueDate || c.stored) ? null : c));
  }, [task.dueDate]);
  const setDue = (value: string | null) => {
    if (value === task.dueDate) return setDueChosen(null);
    const chosen = { value, stored: false };
    setDueChosen(chosen);
    void run(() => client.updateTask(task.id, { dueDate: value })).then((ok) => {
      chosen.stored = ok;
      if (!ok) setDueChosen((c) => (c === chosen ? null : c));
    });
  };
  const dueDate = dueChosen ? dueChosen.value : task.dueDate;
  const due = dueInfo(dueDate, todayIso(), task.status === 'done');
  /**
   * A date typed in words ("tomorrow", "fri", "dec 24"): a letter typed on the date field turns
   * it into a text field, read as quick add reads a title. `failed`: Enter or leaving it found no
   * day in it, and nothing was saved.
   */
  const [dueTyped, setDueTyped] = useState<{ text: string; failed: boolean } | null>(null);
  const typing = dueTyped !== null;
  // Focus follows the field as it turns from a date into text and back.
  const dueFocus = useRef(false);
  useLayoutEffect(() => {
    if (!dueFocus.current) return;
    dueFocus.current = false;
    const el = document.getElementById(ids.due) as HTMLInputElement | null;
    el?.focus();
    if (el?.type === 'text') el.setSelectionRange(el.value.length, el.value.length);
  }, [typing, ids.due]);
  const typedDate = dueTyped ? readDueDate(dueTyped.text, todayIso()) : null;
  /** Enter or leaving the typed date: saves the day it names; nothing typed backs out. */
  function saveTyped(refocus: boolean) {
    if (!dueTyped) return;
    if (dueTyped.text.trim() && !typedDate) return setDueTyped({ ...dueTyped, failed: true });
    dueFocus.current = refocus;
    setDueTyped(null);
    if (typedDate && typedDate !== dueDate) setDue(typedDate);
  }
  // s, a, d open the status, assignee and due date pickers (as Linear's keys do), from
  // wherever focus is outside a field; the key is taken (useShortcuts), never typed into one.
  // Delete or Backspace outside a field deletes the task, as the list's keys do: a key is easily
  // hit, so it asks first (the button deletes at once; both have Undo).
  const askRemove = () => {
    if (!canDelete) return sayMayNotDelete();
    void confirmAction({
      title: `Delete ${taskCount([task])}?`,
      message: 'It is deleted for everyone in the organization. You can undo for a few seconds.',
      confirmLabel: 'Delete task',
      danger: true,
    }).then((ok) => ok && remove());
  };
  const pick = (id: string) => () => {
    const el = document.getElementById(id) as HTMLSelectElement | HTMLInputElement | null;
    if (!el) return false;
    el.focus();
    // Its list closed with Escape, focus goes back to the panel's heading at once: the next key
    // (a, d, x) acts there, not on the select (where a letter only backed out, and was lost).
    const heading = el.closest('aside')?.querySelector<HTMLElement>('h2[tabindex]');
    openPicker(el, true, () => heading?.focus());
  };
  useShortcuts({
    s: pick(ids.status),
    a: pick(ids.assignee),
    // d starts a date in words ("fri", Enter), as Linear's due-date key does: the calendar a key
    // opened took the letters typed next, and their Enter set today, a day nobody chose. A click
    // or a tap on the date still opens the calendar.
    d: () => {
      dueFocus.current = true;
      setDueDraft(null);
      setDueTyped({ text: '', failed: false });
    },
    p: pick(ids.project),
    // As Linear's i: the task is yours at once, no picker.
    i: () => {
      if (task.assigneeId !== me) update({ assigneeId: me as EntityId });
    },
    Delete: askRemove,
    Backspace: askRemove,
    // Over the whole screen (a phone) x completes or reopens the task shown, not the list's
    // row out of sight behind it; beside the list (wider) x stays the list's.
    x: () => {
      if (!pageCovered()) return false;
      actions.setDone(task, task.status !== 'done').catch(() => undefined);
    },
  });
  const assignee = task.assigneeId ? users.find((u) => u.id === task.assigneeId) : undefined;
  function remove() {
    actions.remove(task);
    onDeleted(task.id);
  }

  return (
    <div className="detail-body">
      <InlineText
        id={ids.title}
        kind="wrap"
        className="detail-title"
        label="Title"
        value={task.title}
        maxLength={TASK_TITLE_MAX}
        onCommit={(title, from) => saveText('title', title, from)}
        useChangedBy={titleBy}
      />
      {/* Each value applies as it is picked: a local write, no Save. */}
      <div className="props">
        <div className="prop">
          <label htmlFor={ids.status}>Status</label>
          <span className={`prop-value status-${task.status}`}>
            <span className="status-dot" aria-hidden="true" />
            <select
              id={ids.status}
              className="prop-control"
              value={task.status}
              onKeyDown={pickOnEnter}
              onChange={(e) => update({ status: e.target.value as Task['status'] })}
            >
              <option value="todo">{STATUS_LABEL.todo}</option>
              <option value="doing">{STATUS_LABEL.doing}</option>
              <option value="done">{STATUS_LABEL.done}</option>
            </select>
          </span>
        </div>
        <div className="prop">
          <label htmlFor={ids.assignee}>Assignee</label>
          <span className={`prop-value${assignee ? '' : ' empty'}`}>
            {assignee && (
              <span className="avatar small" aria-hidden="true">
                {initials(assignee.name)}
              </span>
            )}
            <select
              id={ids.assignee}
              className="prop-control"
              value={task.assigneeId ?? ''}
              onKeyDown={pickOnEnter}
              onChange={(e) =>
                update({ assigneeId: e.target.value ? (e.target.value as EntityId) : null })
              }
            >
              <option value="">Unassigned</option>
              {peopleYouFirst(users, me).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </span>
        </div>
        <div className="prop">
          <label htmlFor={ids.due}>Due date</label>
          <span className="prop-line">
            {/* The date reads as people say it ("Tomorrow", "Overdue · Dec 1", or a quiet "Add
                due date") until the field is focused, when its day, month and year take keys. */}
            <span
              className={`prop-value due-field${dueDate ? '' : ' empty'}${dueDraft !== null || typing ? ' drafting' : ''}${due?.tone ? ` ${due.tone}` : ''}`}
            >
              {dueTyped ? (
                <input
                  id={ids.due}
                  className="prop-control"
                  type="text"
                  autoComplete="off"
                  placeholder="tomorrow, fri, dec 24"
                  value={dueTyped.text}
                  onChange={(e) => setDueTyped({ text: e.target.value, failed: false })}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      saveTyped(true);
                    } else if (e.key === 'Escape') {
                      // Backs out to the date as it was, nothing saved (the panel stays open).
                      e.preventDefault();
                      dueFocus.current = true;
                      setDueTyped(null);
                    }
                  }}
                  onBlur={() => saveTyped(false)}
                  aria-invalid={dueTyped.failed || undefined}
                  aria-describedby={ids.dueHint}
                />
              ) : (
                <input
                  id={ids.due}
                  className="prop-control"
                  type="date"
                  min={DUE_DATE_MIN}
                  max={DUE_DATE_MAX}
                  title={`Pick a date, or type one: tomorrow, fri, dec 24${dueDate ? '. Delete clears it' : ''}`}
                  value={dueDraft ?? dueDate ?? ''}
                  onClick={(e) => openPicker(e.currentTarget)}
                  onKeyDown={(e) => {
                    // One Tab stop, not one per part (month, day, year) and its ✕.
                    if (tabPastParts(e, e.currentTarget.closest('aside'))) return;
                    // Delete or Backspace clears the date, as its ✕ does (out of the Tab order).
                    if (
                      (e.key === 'Delete' || e.key === 'Backspace') &&
                      dueDate &&
                      dueDraft === null &&
                      !e.altKey &&
                      !e.ctrlKey &&
                      !e.metaKey
                    ) {
                      e.preventDefault();
                      setDue(null);
                      return;
                    }
                    // A letter has no place in a date's day, month or year: it starts a date in
                    // words. Digits still type into the date's parts.
                    if (startsDateInWords(e)) {
                      e.preventDefault();
                      dueFocus.current = true;
                      setDueDraft(null);
                      setDueTyped({ text: e.key, failed: false });
                      return;
                    }
                    // Enter on an empty date: the calendar it would open takes a second Enter as
                    // today, a day nobody chose. It starts a date in words instead, where Enter
                    // with nothing typed sets nothing (a click or a tap opens the calendar).
                    if (
                      e.key === 'Enter' &&
                      !e.currentTarget.value &&
                      !e.altKey &&
                      !e.ctrlKey &&
                      !e.metaKey &&
                      !e.shiftKey
                    ) {
                      e.preventDefault();
                      dueFocus.current = true;
                      setDueDraft(null);
                      setDueTyped({ text: '', failed: false });
                      return;
                    }
                    pickOnEnter(e);
                  }}
                  onChange={(e) => {
                    const value = e.target.value;
                    // A year typed a digit at a time passes 0002, 0020, 0202: kept as typed, not
                    // saved (no due date) and not undone, until it is a due date again.
                    if (value !== '' && value < DUE_DATE_MIN) return setDueDraft(value);
                    setDueDraft(null);
                    setDue(value || null);
                  }}
                  onBlur={() => setDueDraft(null)}
                  aria-invalid={dueDraft !== null}
                  aria-describedby={dueDraft !== null ? ids.dueHint : undefined}
                />
              )}
              <span className="due-face" aria-hidden="true">
                {due ? due.text : 'Add due date'}
              </span>
            </span>
            {dueDate && (
              <button
                type="button"
                className="icon quiet"
                aria-label="Clear date"
                title="Clear the due date (Delete in the date)"
                // The date's own Delete clears it: a Tab stop here added nothing (a click, a tap
                // and a screen reader still reach it).
                tabIndex={-1}
                onClick={() => {
                  // Clears the words being typed and what was said about them too.
                  setDueTyped(null);
                  setDueDraft(null);
                  setDue(null);
                }}
              >
                ✕
              </button>
            )}
          </span>
        </div>
        {dueDraft !== null && (
          <p id={ids.dueHint} className="hint">
            A due date is in the years 1900 to 9999.
          </p>
        )}
        {dueTyped && (
          <DueWordsHint
            id={ids.dueHint}
            text={dueTyped.text}
            day={typedDate}
            failed={dueTyped.failed}
          />
        )}
        <div className="prop">
          <label htmlFor={ids.project}>Project</label>
          <span className="prop-value">
            <select
              id={ids.project}
              className="prop-control"
              value={task.projectId}
              onKeyDown={pickOnEnter}
              onChange={(e) => {
                const to = targets.find((p) => p.id === e.target.value);
                if (!to || to.id === task.projectId) return;
                void run(async () => {
                  await actions.move(task, to);
                  onMoved(task.id);
                });
              }}
            >
              {/* Until the projects are read, its own (its name, or nothing yet). */}
              {targets.length === 0 && (
                <option value={task.projectId}>{projectNames.get(task.projectId) ?? ''}</option>
              )}
              {targets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.status === 'archived' ? ' (archived)' : ''}
                </option>
              ))}
            </select>
          </span>
        </div>
      </div>
      <InlineText
        kind="notes"
        className="detail-notes"
        label="Notes"
        placeholder="Add notes…"
        value={task.notes}
        required={false}
        maxLength={TASK_NOTES_MAX}
        onCommit={(notes, from) => saveText('notes', notes, from)}
        useChangedBy={notesBy}
      />
      {error && (
        <p role="alert" className="notice bad">
          {error}
        </p>
      )}
      <TaskHistory
        taskId={task.id}
        users={users}
        unsent={unsent}
        me={me}
        projectNames={projectNames}
      />
      {canDelete && (
        <div className="detail-foot">
          <button type="button" className="danger quiet" onClick={remove}>
            Delete task
          </button>
        </div>
      )}
    </div>
  );
}

interface Unsaved extends GoneText {
  field: 'title' | 'notes';
}

/**
 * The open task is gone: who deleted it (from its history, when this device has it), and the
 * text typed into it that was not saved, to copy elsewhere.
 */
function GoneTask({ taskId, unsaved }: { taskId: string; unsaved: readonly GoneText[] }) {
  const deletion = useDeletedBy(taskId);
  return (
    <div className="gone-task" role="status">
      <p className="muted">
        {deletion
          ? `${deletion.who} deleted this task${deletion.name ? `, “${deletion.name}”` : ''}.`
          : 'This task was deleted, or has not reached this device yet.'}
      </p>
      {unsaved.length > 0 && (
        <>
          <p>What you were typing was not saved — copy it before closing:</p>
          {unsaved.map((u, i) => (
            <TextToCopy key={i} label={u.field === 'title' ? 'Title' : 'Notes'} text={u.text} />
          ))}
        </>
      )}
    </div>
  );
}

/**
 * Enter opens a meta field's picker, as a click does (Space and Alt+↓ already do). A letter on
 * a picker s, a or p opened, its list closed with Escape, picks nothing: focus goes back to the
 * panel's heading, where the panel's keys act.
 */
function pickOnEnter(e: KeyboardEvent<HTMLInputElement | HTMLSelectElement>): void {
  const heading = e.currentTarget.closest('aside')?.querySelector<HTMLElement>('h2[tabindex]');
  if (keyAfterPicker(e, () => heading?.focus())) return;
  if (e.key !== 'Enter' || e.altKey || e.ctrlKey || e.metaKey) return;
  e.preventDefault();
  openPicker(e.currentTarget);
}

/** What a refused or denied change says; a create, update or delete reads as the feed's. */
const VERB: Partial<Record<Activity['action'], string>> = {
  rejected: 'had a change refused:',
  'access-denied': 'was denied access',
};

/** Fields whose history line says the value before too ("status To do → Completed"); not text. */
const SHORT_FIELDS: ReadonlySet<string> = new Set(['status', 'assigneeId', 'dueDate', 'projectId']);

function TaskHistory({
  taskId,
  users,
  unsent,
  me,
  projectNames,
}: {
  taskId: string;
  users: readonly User[];
  unsent: boolean;
  projectNames: ReadonlyMap<string, string>;
  /** The reader: their own actions read "You", as in the feed. */
  me: string;
}) {
  const history = useEntityActivities(taskId);
  const name = (id: string | null) =>
    id ? (users.find((u) => u.id === id)?.name ?? 'someone') : 'the system';
  const actor = (id: string | null) => (id !== null && id === me ? 'You' : name(id));
  const userName = (id: string) => users.find((u) => u.id === id)?.name ?? null;
  // Values in the feed's words ("nobody → you", "Dec 3, 2026"), one formatter for both.
  const lookup: Lookup = {
    name: (id) => userName(id) ?? projectNames.get(id) ?? null,
    me,
    projectOf: () => null,
  };
  const value = (field: string, v: unknown) => humanValue(field, v, lookup);
  // A conflict names whose value it was apart ("your title"): "your you" would read oddly.
  const named = (field: string, v: unknown) => humanValue(field, v, { ...lookup, me: undefined });
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
              <a href={href({ name: 'activity', entityId: taskId })}>show its history</a> from the
              server.
            </>
          )}
        </p>
      ) : (
        <>
          {unsent && (
            <p className="muted">
              Changes not synced yet join the history once the server has them.
            </p>
          )}
          <ol className="list">
            {history.data.map((a) => {
              const said = historyText(a, lookup);
              return (
                <li key={a.id} data-action={a.action}>
                  {a.action === 'conflict' ? (
                    // As the feed says it: a conflict blames nobody; whose value was kept and whose lost.
                    <>
                      Edits collided:{' '}
                      {a.changes
                        .map((c) =>
                          conflictLine(
                            c,
                            {
                              user: (id) => (!id ? 'someone' : id === me ? 'you' : name(id)),
                              value: named,
                            },
                            lostToDelete(a),
                          ),
                        )
                        .join('; ')}
                    </>
                  ) : said !== null ? (
                    // In the feed's words, the task implied: "Ana assigned it to you".
                    <>
                      {said}
                      {a.reason && (
                        <span className="muted"> ({reasonText(a.reason, userName, me)})</span>
                      )}
                    </>
                  ) : (
                    <>
                      <strong>{actor(a.actorId)}</strong>{' '}
                      {a.action === 'access-denied' && a.actorId === me
                        ? 'were denied access'
                        : VERB[a.action]}{' '}
                      {a.action === 'rejected'
                        ? a.changes
                            .map(
                              (c) =>
                                `${fieldLabel(c.field)} ${
                                  // Where it came from, for values short enough to read twice.
                                  c.from !== undefined && SHORT_FIELDS.has(c.field)
                                    ? `${value(c.field, c.from)} `
                                    : ''
                                }→ ${value(c.field, c.to)}`,
                            )
                            .join(', ')
                        : null}
                      {a.reason && (
                        <span className="muted"> ({reasonText(a.reason, userName, me)})</span>
                      )}
                    </>
                  )}{' '}
                  <time className="muted" dateTime={a.createdAt}>
                    {relativeTime(a.createdAt)}
                  </time>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}

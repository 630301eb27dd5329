import { memo, useEffect, useState } from 'react';
import type { Task, User } from '@outpost/shared';
import { dueInfo, initials, STATUS_LABEL } from '../../ui/format';
import { highlight } from './highlight';

interface Props {
  /** Undefined while its window of rows is being read (a placeholder shows). */
  task: Task | undefined;
  users: ReadonlyMap<string, User>;
  unsent: boolean;
  active: boolean;
  today: string;
  showStatus: boolean;
  onOpen(id: string): void;
  onToggle(task: Task, done: boolean): Promise<unknown>;
  /** In a selection (a bulk action's rows). */
  selected?: boolean;
  /**
   * Picking rows (a phone's Select, or rows already selected): a select box stands where the
   * complete box was and a click on the title selects instead of opening.
   */
  picking?: boolean;
  /** Ctrl/⌘+click toggles the row, Shift+click selects up to it; absent: no selecting. */
  onSelect?(id: string, how: 'toggle' | 'range'): void;
  /** The row is a grid's cell (a list whose rows can be selected). */
  cell?: boolean;
  /** The words searched for (`queryWords`): marked in the title where they appear. */
  words?: readonly string[] | undefined;
  /** Its title is the list's one Tab stop (see TaskList); else it is reached with the keys. */
  tabStop: boolean;
}

/**
 * One line per task: checkbox, title (wraps), compact meta. Editing happens in the detail
 * view. Neither box nor title is a Tab stop of its own: the list is one (its cursor's title), the
 * keys move between rows and x ticks; a click or tap on the box still ticks. The checkbox shows the user's tick at once and keeps it
 * until the mirror agrees (or the write fails), so it never flickers back.
 */
export const TaskRow = memo(function TaskRow({
  task,
  users,
  unsent,
  active,
  today,
  showStatus,
  onOpen,
  onToggle,
  selected = false,
  picking = false,
  onSelect,
  cell = false,
  words,
  tabStop,
}: Props) {
  const [optimistic, setOptimistic] = useState<boolean | null>(null);
  const isDone = task?.status === 'done';
  useEffect(() => {
    if (optimistic !== null && isDone === optimistic) setOptimistic(null);
  }, [isDone, optimistic]);

  if (!task)
    return (
      <div
        className="task-row placeholder"
        role={cell ? 'gridcell' : undefined}
        aria-busy="true"
        aria-label="Loading task"
      />
    );
  const done = optimistic ?? isDone;
  const name = `“${task.title}”`;
  const assignee = task.assigneeId ? users.get(task.assigneeId) : undefined;
  const due = dueInfo(task.dueDate, today, done);
  // The row's title is what j/k focus: it says the meta beside it too (due, status, assignee).
  const metaId = `task-meta-${task.id}`;
  return (
    <div
      className={`task-row${done ? ' done' : ''}${active ? ' active' : ''}${selected ? ' selected' : ''}`}
      data-task-id={task.id}
      role={cell ? 'gridcell' : undefined}
    >
      {/* The box is 20 px; around it, a 40 px square a thumb can hit ticks it too. */}
      {picking && onSelect ? (
        <label className="task-check pick">
          <input
            type="checkbox"
            aria-label={`Select ${name}`}
            tabIndex={-1}
            checked={selected}
            onChange={() => undefined}
            onClick={(e) => onSelect(task.id, e.shiftKey ? 'range' : 'toggle')}
          />
        </label>
      ) : (
        <label className="task-check">
          <input
            type="checkbox"
            aria-label={`Complete ${name}`}
            tabIndex={-1}
            checked={done}
            onChange={(e) => {
              const next = e.target.checked;
              setOptimistic(next);
              onToggle(task, next).catch(() => setOptimistic(null));
            }}
          />
        </label>
      )}
      <button
        type="button"
        className="task-title"
        tabIndex={tabStop ? 0 : -1}
        aria-current={active ? 'true' : undefined}
        aria-describedby={metaId}
        onMouseDown={(e) => {
          // Shift/Ctrl/⌘+click selects: no text selection, and focus (the cursor) stays where
          // the range starts until the list moves it to this row.
          if (onSelect && (e.shiftKey || e.ctrlKey || e.metaKey)) e.preventDefault();
        }}
        onClick={(e) => {
          if (onSelect && e.shiftKey) return onSelect(task.id, 'range');
          if (onSelect && (e.ctrlKey || e.metaKey || picking)) return onSelect(task.id, 'toggle');
          onOpen(task.id);
        }}
      >
        <span className="task-title-text">
          {words?.length
            ? highlight(task.title, words).map((p, i) =>
                p.hit ? <mark key={i}>{p.text}</mark> : p.text,
              )
            : task.title}
        </span>
      </button>
      <span className="task-meta" id={metaId}>
        {showStatus && task.status !== 'todo' && (
          <span className="chip">{STATUS_LABEL[task.status]}</span>
        )}
        {due && <span className={`chip due ${due.tone}`}>{due.text}</span>}
        {task.notes && (
          <span className="notes-mark" title="Has notes" aria-label="Has notes" role="img">
            ≡
          </span>
        )}
        {assignee && (
          <span
            className="avatar small"
            title={assignee.name}
            role="img"
            aria-label={`Assigned to ${assignee.name}`}
          >
            {initials(assignee.name)}
          </span>
        )}
        {unsent && (
          <span className="unsent" role="img" aria-label="Not synced yet" title="Not synced yet" />
        )}
      </span>
    </div>
  );
});

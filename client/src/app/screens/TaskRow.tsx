import { taskStatusSchema, type EntityId, type Task, type User } from '@outpost/shared';
import { useEngine } from '../engine/context';
import { InlineText } from '../ui/InlineText';
import { useAction } from '../ui/useAction';

interface Props {
  task: Task;
  users: readonly User[];
  pending: boolean;
  /** Members cannot delete (the server would reject it); hiding the button is only a courtesy. */
  canDelete: boolean;
}

export function TaskRow({ task, users, pending, canDelete }: Props) {
  const { client } = useEngine();
  const { error, run } = useAction();
  const update = (patch: Parameters<typeof client.updateTask>[1]) =>
    void run(() => client.updateTask(task.id, patch));
  const name = `“${task.title}”`;

  return (
    <li className={`task${task.status === 'done' ? ' done' : ''}`} data-task-id={task.id}>
      <input
        type="checkbox"
        aria-label={`Complete ${name}`}
        checked={task.status === 'done'}
        onChange={(e) => update({ status: e.target.checked ? 'done' : 'todo' })}
      />
      <InlineText
        className="title"
        label={`Title of ${name}`}
        value={task.title}
        maxLength={500}
        onCommit={(title) => update({ title })}
      />
      <div className="meta">
        <select
          aria-label={`Status of ${name}`}
          value={task.status}
          onChange={(e) => update({ status: taskStatusSchema.parse(e.target.value) })}
        >
          <option value="todo">To do</option>
          <option value="doing">Doing</option>
          <option value="done">Done</option>
        </select>
        <select
          aria-label={`Assignee of ${name}`}
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
        <input
          type="date"
          aria-label={`Due date of ${name}`}
          value={task.dueDate ?? ''}
          onChange={(e) => update({ dueDate: e.target.value || null })}
        />
        {pending && <span className="badge pending">not synced yet</span>}
        <button
          type="button"
          className={canDelete ? 'danger' : ''}
          aria-label={`Delete ${name}`}
          onClick={() => void run(() => client.deleteTask(task.id))}
        >
          Delete
        </button>
      </div>
      <details className="notes">
        <summary>{task.notes ? 'Notes' : 'Add notes'}</summary>
        <InlineText
          label={`Notes of ${name}`}
          value={task.notes}
          required={false}
          multiline
          maxLength={20000}
          onCommit={(notes) => update({ notes })}
        />
      </details>
      {error && (
        <p role="alert" className="notice bad" style={{ gridColumn: 2 }}>
          {error}
        </p>
      )}
    </li>
  );
}

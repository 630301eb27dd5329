import { taskStatusSchema, type EntityId, type Project, type TaskStatus } from '@outpost/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useProject, useTasks, useUsers } from '../../data';
import { canManage, useEngine } from '../engine/context';
import { href, navigate } from '../shell/router';
import { InlineText } from '../ui/InlineText';
import { Skeleton } from '../ui/Skeleton';
import { useAction } from '../ui/useAction';
import { useLiveQuery } from '../ui/use-live-query';
import { TaskRow } from './TaskRow';

export function ProjectDetailScreen({ id }: { id: string }) {
  const project = useProject(id);
  if (project.data === undefined) return <Skeleton label="Loading project" rows={5} />;
  if (project.data === null) {
    return (
      <section className="panel">
        <h2>Project not found</h2>
        <p className="muted">It may have been deleted, or it has not synced to this device yet.</p>
        <a href={href({ name: 'projects' })}>Back to projects</a>
      </section>
    );
  }
  return <ProjectDetail project={project.data} />;
}

type AssigneeFilter = 'any' | 'none' | string;

function ProjectDetail({ project }: { project: Project }) {
  const { client, session, replica } = useEngine();
  const [status, setStatus] = useState<TaskStatus | 'all'>('all');
  const [assignee, setAssignee] = useState<AssigneeFilter>('any');
  const tasks = useTasks({
    projectId: project.id,
    ...(status === 'all' ? {} : { status }),
    ...(assignee === 'any' || assignee === 'none' ? {} : { assigneeId: assignee }),
  });
  const users = useUsers();
  const { error, run } = useAction();
  // Rows with writes this device has not yet sent: shown with a "not synced" badge.
  const pending = useLiveQuery(
    async () =>
      new Set(
        (await replica.db.outbox.filter((e) => e.acked === 0).toArray()).map((e) => e.entityId),
      ),
    [replica],
  ).data;
  const visible = useMemo(
    () => (tasks.data ?? []).filter((t) => (assignee === 'none' ? t.assigneeId === null : true)),
    [tasks.data, assignee],
  );
  const manager = canManage(session.user.role);

  async function remove() {
    if (!window.confirm(`Delete the project “${project.name}” and hide its tasks?`)) return;
    if (await run(() => client.deleteProject(project.id))) navigate({ name: 'projects' });
  }

  return (
    <section aria-labelledby="project-heading" className="stack">
      <a href={href({ name: 'projects' })}>← All projects</a>
      <div className="panel stack">
        <h2 id="project-heading" className="visually-hidden">
          {project.name}
        </h2>
        <InlineText
          className="title"
          label="Project name"
          value={project.name}
          maxLength={200}
          onCommit={(name) => void run(() => client.updateProject(project.id, { name }))}
        />
        <InlineText
          label="Project description"
          placeholder="Add a description"
          value={project.description}
          required={false}
          maxLength={5000}
          onCommit={(description) =>
            void run(() => client.updateProject(project.id, { description }))
          }
        />
        <div className="row">
          <button
            type="button"
            onClick={() =>
              void run(() =>
                client.updateProject(project.id, {
                  status: project.status === 'active' ? 'archived' : 'active',
                }),
              )
            }
          >
            {project.status === 'active' ? 'Archive project' : 'Unarchive project'}
          </button>
          {manager && (
            <button type="button" className="danger" onClick={() => void remove()}>
              Delete project
            </button>
          )}
          {pending?.has(project.id) && <span className="badge pending">not synced yet</span>}
        </div>
        {error && (
          <p role="alert" className="notice bad">
            {error}
          </p>
        )}
      </div>

      <NewTaskForm projectId={project.id as EntityId} />

      <div className="row" role="group" aria-label="Filter tasks">
        <label className="grow">
          Status
          <select
            value={status}
            onChange={(e) =>
              setStatus(e.target.value === 'all' ? 'all' : taskStatusSchema.parse(e.target.value))
            }
          >
            <option value="all">All</option>
            <option value="todo">To do</option>
            <option value="doing">Doing</option>
            <option value="done">Done</option>
          </select>
        </label>
        <label className="grow">
          Assignee
          <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="any">Anyone</option>
            <option value="none">Unassigned</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
      </div>

      {tasks.data === undefined ? (
        <Skeleton label="Loading tasks" rows={4} />
      ) : visible.length === 0 ? (
        <p className="muted">
          {tasks.data.length === 0 && status === 'all' && assignee === 'any'
            ? 'No tasks yet.'
            : 'No tasks match these filters.'}
        </p>
      ) : (
        <ul className="list panel" aria-label="Tasks">
          {visible.map((t) => (
            <TaskRow
              key={t.id}
              task={t}
              users={users.data ?? []}
              pending={pending?.has(t.id) ?? false}
              canDelete={manager}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function NewTaskForm({ projectId }: { projectId: EntityId }) {
  const { client } = useEngine();
  const [title, setTitle] = useState('');
  const { error, run } = useAction();
  const errorId = useId();
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (await run(() => client.createTask({ projectId, title: title.trim() }))) setTitle('');
  }
  return (
    <form className="row" onSubmit={onSubmit} aria-label="Add a task">
      <input
        className="grow"
        aria-label="New task title"
        placeholder="Add a task…"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        maxLength={500}
        required
        aria-describedby={error ? errorId : undefined}
      />
      <button type="submit" className="primary" disabled={!title.trim()}>
        Add task
      </button>
      {error && (
        <p id={errorId} role="alert" className="notice bad" style={{ width: '100%' }}>
          {error}
        </p>
      )}
    </form>
  );
}

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { can, PROJECT_NAME_MAX, type EntityId } from '@outpost/shared';
import { useProjects, useUsers } from '../../data';
import { useEngine } from '../engine/context';
import { watchAdded } from './archived-meanwhile';
import { lostTaskText, type RefusedTask } from '../engine/notice-text';
import { TextToCopy } from '../ui/TextToCopy';
import { useInFlight } from '../ui/in-flight';
import { href } from './router';

/**
 * A task added on this device that the server refused (its project was deleted meanwhile):
 * the refusal in words, and the task back — "Add to another project…" opens a small picker of
 * the projects the reader may add tasks to (Escape or Cancel backs out, nothing added) and
 * creates the task again there, with every field it had, as a new task written like any other
 * (so it syncs like any other); the notice then says where it went, with a link to it. "Copy
 * text" puts the task's words on the clipboard (shown to copy by hand where that fails).
 * With no active project left to add it to (the only other one archived), a reader who may
 * make projects gets "Add to a new project…" (a name, then the project and the task, as the
 * Projects screen makes them); one who may not is told so — the way on appears here once a
 * project is there — rather than offered what the server would refuse.
 * Each Add acts once: while it is written the button says "Adding…" and a second submit (Enter
 * twice, a double click) does nothing; a failure says so and can be tried again — without
 * making the new project a second time when only the task failed.
 */
export function RefusedTaskNotice({
  message,
  refused,
  onDone,
}: {
  message: string;
  refused: RefusedTask;
  onDone(): void;
}) {
  const { client, session, replica } = useEngine();
  const projects = useProjects().data;
  const users = useUsers().data;
  const { task } = refused;
  const targets = (projects ?? []).filter(
    (p) => p.status === 'active' && p.id !== refused.projectId,
  );
  const mayAdd = can(session.user.role, 'create', 'task');
  const mayMakeProject = can(session.user.role, 'create', 'project');
  // Picking one of the projects there are, or naming a new one (when there are none).
  const [picking, setPicking] = useState<false | 'existing' | 'new'>(false);
  const [newName, setNewName] = useState('');
  const [to, setTo] = useState('');
  const [added, setAdded] = useState<{ id: string; projectId: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copy, setCopy] = useState<'copied' | 'by-hand' | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const select = useRef<HTMLSelectElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  const returning = useRef(false);
  // The project "Add to a new project…" made, should adding the task to it fail: a retry uses it.
  const made = useRef<{ id: EntityId; name: string } | null>(null);
  const { busy, run } = useInFlight();
  const selectId = useId();
  const name = (id: string) => users?.find((u) => u.id === id)?.name ?? null;
  const text = lostTaskText(task, name);

  useEffect(() => {
    if (picking === 'existing') select.current?.focus();
    else if (picking === 'new') nameField.current?.focus();
    else if (returning.current) {
      returning.current = false;
      opener.current?.focus();
    }
  }, [picking]);

  const back = () => {
    returning.current = true;
    setPicking(false);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    back();
  };
  /** The task again, with every field it had, in `project`. */
  const addTo = async (project: { id: EntityId; name: string }) => {
    // A member removed meanwhile cannot be assigned (the server would refuse the task again).
    const assigneeId = users?.find((u) => u.id === task.assigneeId)?.id ?? null;
    const id = await client.createTask({ ...task, assigneeId, projectId: project.id });
    watchAdded(replica, id);
    setPicking(false);
    setAdded({ id, projectId: project.id, name: project.name });
  };
  const failed = (err: unknown) => setError(`Could not add it: ${String(err)}`);
  const add = (e: FormEvent) => {
    e.preventDefault();
    const project = targets.find((p) => p.id === (to || targets[0]?.id));
    if (!project) return;
    setError(null);
    void run(() => addTo(project).catch(failed));
  };
  const projectName = newName.trim();
  const nameOk = projectName !== '' && projectName.length <= PROJECT_NAME_MAX;
  const addToNew = (e: FormEvent) => {
    e.preventDefault();
    if (!nameOk) return;
    setError(null);
    void run(async () => {
      try {
        made.current ??= {
          id: await client.createProject({
            name: projectName,
            description: '',
            ownerId: session.user.id as EntityId,
          }),
          name: projectName,
        };
        await addTo(made.current);
      } catch (err) {
        failed(err);
      }
    });
  };
  // Not before the projects are read: "none left" must not flash while they load.
  const noTarget = !added && mayAdd && projects !== undefined && targets.length === 0;
  const copyText = () => {
    // No clipboard outside a secure context (plain http on a LAN address): shown to copy by hand.
    if (!('clipboard' in navigator)) return setCopy('by-hand');
    navigator.clipboard.writeText(text).then(
      () => setCopy('copied'),
      () => setCopy('by-hand'),
    );
  };
  return (
    <div
      className={`notice ${added ? 'info' : 'bad'}`}
      role={added ? 'status' : 'alert'}
      data-kind="rejected"
      data-brief="refused-task"
      data-testid="refused-task"
    >
      <div>
        {added ? (
          <p>
            “{task.title}” was added to “{added.name}”.{' '}
            <a href={href({ name: 'project', id: added.projectId, taskId: added.id })}>Open</a>
          </p>
        ) : (
          <p>{message}</p>
        )}
        {noTarget && !mayMakeProject && (
          <p>
            No active project is left to add it to. Once a manager makes one, you can add it from
            here.
          </p>
        )}
        {picking === 'new' && (
          <form
            className="row refused-task-pick"
            aria-label={`Add “${task.title}” to a new project`}
            onSubmit={addToNew}
            onKeyDown={onKeyDown}
          >
            <label htmlFor={selectId}>New project name</label>
            <input
              id={selectId}
              ref={nameField}
              value={made.current?.name ?? newName}
              readOnly={busy || made.current !== null}
              maxLength={PROJECT_NAME_MAX}
              onChange={(e) => setNewName(e.target.value)}
            />
            <button type="submit" disabled={!nameOk} aria-disabled={busy || undefined}>
              {busy ? 'Adding…' : 'Add'}
            </button>
            <button type="button" className="link" onClick={back}>
              Cancel
            </button>
          </form>
        )}
        {picking === 'existing' && (
          <form
            className="row refused-task-pick"
            aria-label={`Add “${task.title}” to another project`}
            onSubmit={add}
            onKeyDown={onKeyDown}
          >
            <label htmlFor={selectId}>Add it to</label>
            <select
              id={selectId}
              ref={select}
              value={to || targets[0]?.id || ''}
              onChange={(e) => setTo(e.target.value)}
            >
              {targets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <button type="submit" aria-disabled={busy || undefined}>
              {busy ? 'Adding…' : 'Add'}
            </button>
            <button type="button" className="link" onClick={back}>
              Cancel
            </button>
          </form>
        )}
        {copy === 'by-hand' && <TextToCopy label="The task’s text, to copy" text={text} />}
        {error && <p role="alert">{error}</p>}
      </div>
      <div className="row">
        {!added && !picking && mayAdd && targets.length > 0 && (
          <button ref={opener} type="button" onClick={() => setPicking('existing')}>
            Add to another project…
          </button>
        )}
        {!picking && noTarget && mayMakeProject && (
          <button ref={opener} type="button" onClick={() => setPicking('new')}>
            Add to a new project…
          </button>
        )}
        {!added && (
          <button type="button" className="link" onClick={copyText}>
            {copy === 'copied' ? 'Copied' : 'Copy text'}
          </button>
        )}
        <button
          type="button"
          className="link"
          aria-label={`Dismiss: ${added ? `“${task.title}” was added to “${added.name}”` : message}`}
          onClick={onDone}
        >
          Dismiss
        </button>
      </div>
    </div>
  );
}

import type { EntityId, Project } from '@outpost/shared';
import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { can, PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX } from '@outpost/shared';
import { UNDO_WINDOW_MS, useProjects, useSetUp, useTaskCounts } from '../../data';
import { useEngine } from '../engine/context';
import { href, navigate } from '../shell/router';
import { isTooLong, LengthHint } from '../ui/LengthHint';
import { useUnsavedDraft } from '../ui/drafts';
import { count } from '../ui/format';
import { focusSoon, useShortcuts } from '../ui/shortcuts';
import { SetupProgress } from '../ui/SetupProgress';
import { Skeleton } from '../ui/Skeleton';
import { toasts } from '../ui/toasts';
import { useAction } from '../ui/useAction';
import { openCreatedProject } from './created-project-focus';
import { useDocumentTitle } from '../ui/use-document-title';

/**
 * A project created from the name field (Enter) says so, with a way into it, at every width: on
 * a phone the form fills the screen and the new row lands below it unseen, and focus stays in
 * the name field for the next one. Its create refused, the toast goes (the notice says why).
 * Created with the button, it opens (`openCreatedProject`).
 */
let createdToast: number | null = null;
function forgetCreated(): void {
  if (createdToast !== null) toasts.dismiss(createdToast);
  createdToast = null;
}
function sayCreated(id: string, name: string): void {
  // Several typed one after another: one toast, for the newest.
  forgetCreated();
  createdToast = toasts.show({
    message: `Created “${name}”`,
    durationMs: UNDO_WINDOW_MS,
    write: { rows: [id] },
    action: { label: 'Open', run: () => navigate({ name: 'project', id }) },
  });
}

export function ProjectsScreen() {
  useDocumentTitle('Projects');
  const { session } = useEngine();
  const projects = useProjects();
  // Until this device has completed a sync, an empty list means "not here yet", not "none".
  const settingUp = !useSetUp();
  const mayCreate = can(session.user.role, 'create', 'project');
  const [showArchived, setShowArchived] = useState(false);
  const list = (projects.data ?? []).filter((p) => showArchived || p.status === 'active');
  // The form is a button away (the list leads the screen). Never opened or closed by what
  // arrives: a control that moved while a sync settled would take a click meant for another.
  // Once open it stays (a second project typed right after the first, with Enter) until backed
  // out of, or a project is created with its button (which opens that project).
  const [creating, setCreating] = useState(false);
  const formOpen = mayCreate && creating;
  const newButton = useRef<HTMLButtonElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  // Opened by its key (c, n): the name field takes focus once the key is up, so the key's own
  // letter is not typed into it.
  const [byKey, setByKey] = useState(false);
  useEffect(() => {
    if (!byKey || !formOpen) return;
    setByKey(false);
    focusSoon(nameField.current);
  }, [byKey, formOpen]);
  const newProject = () => {
    if (!mayCreate) return false;
    if (formOpen) return focusSoon(nameField.current);
    setByKey(true);
    setCreating(true);
  };
  // j and k go down and up the projects (Enter opens one), as they go through a project's tasks.
  const step = (delta: 1 | -1) => () => {
    const links = [...(listRef.current?.querySelectorAll<HTMLAnchorElement>('a[href]') ?? [])];
    if (links.length === 0) return;
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = at < 0 ? (delta === 1 ? 0 : links.length - 1) : at + delta;
    links[Math.max(0, Math.min(links.length - 1, next))]!.focus();
  };
  useShortcuts({ c: newProject, n: newProject, j: step(1), k: step(-1) });
  // "Created “X”. Open" offers a way from this list: gone with it (into the project or away).
  useEffect(() => forgetCreated, []);

  return (
    <section aria-labelledby="projects-heading" className="stack">
      <div className="row screen-head">
        <h2 id="projects-heading">Projects</h2>
        {/* A filter toggle, as a task app's list has (not a form's checkbox): pressed, the
            archived projects are listed too. */}
        <button
          type="button"
          className="toggle"
          aria-pressed={showArchived}
          onClick={() => setShowArchived((shown) => !shown)}
        >
          <span className="toggle-check" aria-hidden="true">
            ✓
          </span>
          Show archived
        </button>
        {mayCreate && !formOpen && (
          <button
            ref={newButton}
            type="button"
            className="primary"
            onClick={() => setCreating(true)}
          >
            {/* On a phone "+ New", so the header keeps to one line; its name stays "New project". */}
            <span className="plus" aria-hidden="true">
              +
            </span>
            New<span className="label"> project</span>
          </button>
        )}
      </div>
      {/* The shared permission table decides: nobody is offered an action the server refuses. */}
      {/* First on a phone: the form would push it below the fold. */}
      <SetupProgress what="Projects" listed={list.length > 0} />
      {formOpen && (
        <NewProjectForm
          nameRef={nameField}
          autoFocus={!byKey}
          onClose={() => {
            setCreating(false);
            // Back on the button that opened it, not at the top of the page.
            queueMicrotask(() => newButton.current?.focus());
          }}
        />
      )}
      {projects.data === undefined || (settingUp && list.length === 0) ? (
        <Skeleton label={settingUp ? 'Projects arriving' : 'Loading projects'} rows={4} />
      ) : list.length === 0 ? (
        // Under its open form, not "Create the first one with + New": that button is gone, its
        // form open.
        <p className="muted">
          No projects yet.{' '}
          {formOpen ? null : mayCreate ? (
            // Not "it works offline too": the set-up card above a first empty list says so. The
            // button named as it shows, at each width: "+ New" on a phone, "New project" wider
            // ("New project" read out at both, as the button's name is).
            <>
              Create the first one with{' '}
              <span className="button-name">
                <span className="plus" aria-hidden="true">
                  +
                </span>
                New<span className="label"> project</span>
              </span>
              .
            </>
          ) : (
            'An admin or a manager of your team can create one.'
          )}
        </p>
      ) : (
        <ul ref={listRef} className="list panel" aria-label="Projects">
          {list.map((p) => (
            <ProjectRow key={p.id} project={p} settingUp={settingUp} />
          ))}
        </ul>
      )}
      {settingUp && list.length > 0 && <Skeleton label="More projects arriving" rows={2} />}
      {/* Pressed with none archived, the list stayed as it was: nothing said the toggle worked. */}
      {showArchived &&
        !settingUp &&
        projects.data !== undefined &&
        !projects.data.some((p) => p.status === 'archived') && (
          <p className="muted" role="status">
            No archived projects.
          </p>
        )}
    </section>
  );
}

function ProjectRow({ project, settingUp }: { project: Project; settingUp: boolean }) {
  // Index counts: a project of 10,000 tasks costs three counts here, not 10,000 rows.
  const counts = useTaskCounts(project.id).data;
  const done = counts?.done ?? 0;
  const total = counts ? counts.todo + counts.doing + counts.done : 0;
  const progressText = `${count(done)} of ${count(total)} tasks completed${settingUp ? ' so far' : ''}`;
  return (
    <li className="row project-row">
      {/* The link is named by the project alone; its description is a line under it. */}
      <div className="grow project-name">
        <a href={href({ name: 'project', id: project.id })}>
          <strong>{project.name}</strong>
        </a>
        {project.description && (
          <span className="muted project-description">{project.description}</span>
        )}
      </div>
      {project.status === 'archived' && <span className="badge">archived</span>}
      {/* How far along, at a glance: a progress bar named by what it measures, its value said in
          words ("1 of 2 tasks completed"), as the figures beside it say it. */}
      {total > 0 && (
        <span
          className="progress"
          role="progressbar"
          aria-label="Tasks completed"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          aria-valuetext={progressText}
        >
          <span style={{ width: `${Math.round((done / total) * 100)}%` }} />
        </span>
      )}
      {/* What the figures count, in words ("1/2" alone said neither tasks nor done). While
          tasks still arrive the counts climb: say they are partial. The bar says it to a screen
          reader; the figures are hidden from it, not said twice. */}
      {total === 0 && !settingUp ? (
        <span className="muted">No tasks</span>
      ) : total === 0 ? (
        // None of its tasks has arrived yet: "0/0 completed so far" read as a count of nothing.
        <span className="muted">Tasks arriving…</span>
      ) : (
        <span className="muted" aria-hidden="true">
          {count(done)}/{count(total)} completed
          {settingUp && ' so far'}
        </span>
      )}
    </li>
  );
}

function NewProjectForm({
  nameRef,
  autoFocus,
  onClose,
}: {
  nameRef: RefObject<HTMLInputElement | null>;
  /** Opened by its button: the name takes focus as the form mounts (by a key: once it is up). */
  autoFocus: boolean;
  /** Backs out without creating (Escape, Cancel). */
  onClose(): void;
}) {
  const { client, session } = useEngine();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  // Nothing is saved until "Create project": a reload or a closed tab asks first.
  useUnsavedDraft('New project', name);
  useUnsavedDraft('New project', description);
  const { error, run } = useAction();
  const errorId = useId();
  const hint = { name: useId(), description: useId() };
  const shown = useRef(false);
  useEffect(() => {
    shown.current = true;
    return () => {
      shown.current = false;
    };
  }, []);
  // Sent by Enter in the name field (not by the button): the form stays for the next one.
  const byEnter = useRef(false);
  const tooLong =
    isTooLong(name, PROJECT_NAME_MAX) || isTooLong(description, PROJECT_DESCRIPTION_MAX);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const another = byEnter.current;
    byEnter.current = false;
    if (tooLong) return;
    // Cleared at once, as the task field is; a refused project's text comes back.
    const submitted = { name, description };
    setName('');
    setDescription('');
    const ok = await run(async () => {
      const id = await client.createProject({
        name: submitted.name.trim(),
        description: submitted.description.trim(),
        ownerId: session.user.id as EntityId,
      });
      // The list left meanwhile: neither the toast nor opening it fits the screen now shown.
      if (!shown.current) return;
      if (another) sayCreated(id, submitted.name.trim());
      else openCreatedProject(id);
    });
    if (!ok) {
      setName((typed) => typed || submitted.name);
      setDescription((typed) => typed || submitted.description);
    }
  }

  return (
    <form
      className="panel stack"
      onSubmit={(e) => void onSubmit(e)}
      aria-label="Create a project"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        onClose();
      }}
    >
      <div className="row">
        <label className="grow">
          New project name
          <input
            ref={nameRef}
            autoFocus={autoFocus}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              byEnter.current = e.key === 'Enter' && !e.nativeEvent.isComposing;
            }}
            placeholder="Project name"
            required
            aria-invalid={isTooLong(name, PROJECT_NAME_MAX) || undefined}
            aria-describedby={error ? `${hint.name} ${errorId}` : hint.name}
          />
          <LengthHint id={hint.name} length={name.length} max={PROJECT_NAME_MAX} />
        </label>
      </div>
      <label>
        Description <span className="hint">(optional)</span>
        <textarea
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          rows={2}
          aria-invalid={isTooLong(description, PROJECT_DESCRIPTION_MAX) || undefined}
          aria-describedby={hint.description}
        />
        <LengthHint
          id={hint.description}
          length={description.length}
          max={PROJECT_DESCRIPTION_MAX}
        />
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={!name.trim() || tooLong}>
          Create project
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
      {error && (
        <p id={errorId} role="alert" className="notice bad">
          {error}
        </p>
      )}
    </form>
  );
}

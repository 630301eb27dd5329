import {
  can,
  PROJECT_DESCRIPTION_MAX,
  PROJECT_NAME_MAX,
  type EntityId,
  type Project,
  type Task,
  type User,
} from '@outpost/shared';
import {
  memo,
  useCallback,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  useProject,
  useSetUp,
  useOpenTaskLists,
  useTaskWindows,
  useSearchEntries,
  searchText,
  type SearchEntry,
  UNDO_WINDOW_MS,
  useUnsentIds,
  useUsers,
} from '../../data';
import { useEngine } from '../engine/context';
import { useDeletedBy } from './changed-by';
import { closeTo, href, navigate, openOver, replaceRoute } from '../shell/router';
import { confirmAction } from '../ui/confirm';
import { requestFocus } from '../ui/focus';
import { EMPTIED_FOCUS, useFocusWhenEmptied } from '../ui/focus-emptied';
import { holdTabs } from '../ui/held-tabs';
import { toasts } from '../ui/toasts';
import { count, todayIso } from '../ui/format';
import { InlineText } from '../ui/InlineText';
import { MenuButton, type MenuAction } from '../ui/MenuButton';
import { ShortcutsHelp } from '../ui/ShortcutsHelp';
import { useBackCloses } from '../ui/use-back-closes';
import { useStable } from '../ui/use-stable';
import { SetupProgress } from '../ui/SetupProgress';
import { Skeleton } from '../ui/Skeleton';
import { useAction } from '../ui/useAction';
import { useDocumentTitle } from '../ui/use-document-title';
import { TextToCopy } from '../ui/TextToCopy';
import { focusScreenHeading } from '../shell/route-focus';
import {
  GoneTextProvider,
  keptGoneTexts,
  noGoneTexts,
  reportedGone,
  shownGone,
  useGoneText,
  type GoneText,
  type GoneTexts,
  type GoneTextSink,
} from './gone-text';
import { ArchivedNotice, NotAddedNotice } from './tasks/ArchivedNotice';
import { changedByHook } from './changed-by';
import { NewTaskForm, type QuickAddedTask } from './tasks/NewTaskForm';
import { takeCreatedProjectFocus } from './created-project-focus';
import { isActive, matchesTask, matchTasks, mine, NO_QUERY, type TaskQuery } from './tasks/filter';
import { queryWords } from './tasks/highlight';
import {
  createSorter,
  DEFAULT_SORT,
  openingSort,
  rememberedSort,
  rememberSort,
  type TaskSort,
} from './tasks/sort';
import { useTaskListShortcuts } from './tasks/list-shortcuts';
import { useTaskActions } from './tasks/task-actions';
import { TaskDetail } from './tasks/TaskDetail';
import { NoTasksYet } from './tasks/NoTasksYet';
import { TaskList, type Section, type TaskListHandle } from './tasks/TaskList';
import { TaskToolbar } from './tasks/TaskToolbar';
import { BulkBar, type BulkField } from './tasks/BulkBar';
import {
  actOn,
  extendByKey,
  extendTo,
  listedIds,
  NO_SELECTION,
  selectAll,
  toggle as toggleOne,
} from './tasks/selection';
import { useSelection } from './tasks/use-selection';
import { listViews } from './tasks/view-state';
import './tasks/tasks.css';

/** The `?` list in an archived project: c and n say why instead of opening a field. */
const ARCHIVED_KEYS = { c: 'this project is archived and takes no new tasks' };

/** c or n in an archived project: there is no field to open, and the key says why. */
function sayArchived() {
  toasts.show({ message: 'This project is archived: it takes no new tasks.', durationMs: 4000 });
}

/** A task as quick add creates it, for matching against the search and filters shown. */
const NEW_TASK_ENTRY = { id: '', status: 'todo', updatedAt: '' } as const;

/** A list's ids in `sort`'s order: undefined until the tasks' fields are read (`byId`). */
function inOrder<T extends readonly string[] | null | undefined>(
  sorter: ReturnType<typeof createSorter>,
  ids: T,
  byId: ReadonlyMap<string, SearchEntry> | null,
  sort: TaskSort,
): T | readonly string[] | undefined {
  if (!ids || sort === DEFAULT_SORT) return ids;
  return byId ? sorter(ids, byId, sort) : undefined;
}

export function ProjectDetailScreen({
  id,
  taskId,
  sort: linked,
}: {
  id: string;
  taskId?: string | undefined;
  /** The list's order, from the URL (none for the default). */
  sort?: TaskSort | undefined;
}) {
  const project = useProject(id);
  const settingUp = !useSetUp();
  // A link's order wins; without one, the project opens in the order last chosen for it here,
  // and the link says so (in place: Back does not go through the link without it).
  const { session, keptUnsaved } = useEngine();
  const { user } = session;
  const sort = openingSort(linked, rememberedSort({ orgId: user.orgId, userId: user.id }, id));
  useEffect(() => {
    if (linked === undefined && sort !== DEFAULT_SORT)
      replaceRoute({ name: 'project', id, ...(taskId ? { taskId } : {}), sort });
  }, [linked, sort, id, taskId]);
  // Text its fields (and its open task's) could not save, the project deleted under them: they
  // went with its screen, so the screen saying it was deleted shows it (kept here, above both).
  const [gone, setGone] = useState<GoneTexts>(() => noGoneTexts(id));
  // Whether this screen says now that the project is gone (and so lists what is reported).
  const listing = useRef(false);
  useLayoutEffect(() => {
    listing.current = project.data === null;
    return () => {
      listing.current = false;
    };
  }, [project.data]);
  const goneSink = useMemo<GoneTextSink>(
    () => ({
      report: (text) => setGone((g) => reportedGone(g, id, text)),
      shown: (texts) => setGone((g) => shownGone(g, id, texts)),
      listsNow: () => listing.current,
    }),
    [id],
  );
  if (project.data === undefined) return <Skeleton label="Loading project" rows={5} />;
  if (project.data === null && settingUp) {
    // A link opened during the first sync: the project may simply not be here yet.
    return (
      <section className="stack">
        <SetupProgress what="Projects" />
        <Skeleton label="Project arriving" rows={5} />
        <a href={href({ name: 'projects' })}>Back to projects</a>
      </section>
    );
  }
  if (project.data === null)
    return (
      <ProjectGone
        id={id}
        unsaved={[
          // Typed as the page last closed, the project deleted before this start could save it.
          ...keptGoneTexts(keptUnsaved, 'project', id),
          ...(gone.id === id ? gone.texts : []),
        ]}
      />
    );
  // Keyed: another project's list starts from its own view, not this one's.
  return (
    <GoneTextProvider value={goneSink}>
      <ProjectDetail
        key={project.data.id}
        project={project.data}
        taskId={taskId ?? null}
        sort={sort}
      />
    </GoneTextProvider>
  );
}

/**
 * A project this device does not have: deleted (by whom, when its history says), or not here yet;
 * with the text typed into it, or its open task, that was not saved, to copy.
 */
function ProjectGone({ id, unsaved }: { id: string; unsaved: readonly GoneText[] }) {
  const deletion = useDeletedBy(id);
  const heading = deletion ? 'Project deleted' : 'Project not found';
  useDocumentTitle(heading);
  useEffect(() => {
    // Deleted while open, focus went with the field or row it was in: it comes here, not the page.
    if (document.activeElement === document.body) focusScreenHeading();
  }, []);
  return (
    <section className="panel">
      <h2>{heading}</h2>
      <p className="muted">
        {deletion
          ? `${deletion.who} deleted ${deletion.name ? `“${deletion.name}”` : 'this project'}.`
          : 'This project doesn’t exist, or you no longer have access to it. It may have been deleted, or not synced to this device yet.'}
      </p>
      {unsaved.length > 0 && (
        <div className="gone-task" role="status">
          <p>What you were typing was not saved — copy it before leaving:</p>
          {unsaved.map((u, i) => (
            <TextToCopy key={i} label={u.label} text={u.text} />
          ))}
        </div>
      )}
      <a href={href({ name: 'projects' })}>Back to projects</a>
    </section>
  );
}

function ProjectDetail({
  project,
  taskId,
  sort,
}: {
  project: Project;
  taskId: string | null;
  sort: TaskSort;
}) {
  const { session } = useEngine();
  // The shared permission table: a member is never offered what the server would refuse.
  const role = session.user.role;
  const mayEditProject = can(role, 'update', 'project');
  const mayDeleteProject = can(role, 'delete', 'project');
  const mayDeleteTask = can(role, 'delete', 'task');
  // An open task's detail titles the page: "Fix login · Website · Outpost".
  useDocumentTitle(taskId ? null : project.name);
  // An archived project takes no new tasks (the server would accept them: this is the app's
  // word, as in Todoist and Linear). Its tasks stay editable: what was left open in it can still
  // be finished, or moved to a project that is going on.
  const archived = project.status === 'archived';
  const users = useUsers();
  const userMap = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u])), [users.data]);
  const unsent = useUnsentIds();
  const actions = useTaskActions();
  const list = useRef<TaskListHandle>(null);
  const newTask = useRef<HTMLTextAreaElement>(null);
  const search = useRef<HTMLInputElement>(null);
  // The search, filters and place this list was left with (this session) come back with it.
  const me = session.user.id;
  const [view] = useState(() => listViews.get(me, project.id));
  const [query, setQuery] = useState<TaskQuery>(view.query);
  const [showCompleted, setShowCompleted] = useState(view.showCompleted);
  // Taken back once (a list shown again after "No tasks match" starts at its top). A link to
  // one of its tasks wins: the list is not taken back to where it was.
  const [place, setPlace] = useState(taskId ? null : view.place);
  useEffect(
    () => listViews.update(me, project.id, { query, showCompleted }),
    [me, project.id, query, showCompleted],
  );
  const [help, setHelp] = useState(false);
  const today = todayIso();

  const filtering = isActive(query);
  // Another order than the default reads each task's date, title or update time from the same
  // index, sorting each list once as it changes (not per row shown).
  const sorted = sort !== DEFAULT_SORT;
  // The first screen comes from the head of each section; the full id lists are read once it
  // is painted (a sorted list needs them at once). Completed starts collapsed: until it is
  // opened, its count is enough. The counts are the index's for the first screen, then the id
  // lists' lengths (Completed's ids are read for it): a change is counted in the render that
  // shows it, with no read of its own.
  const { doing, todo, done, head, counts } = useOpenTaskLists(project.id, {
    showCompleted,
    now: sorted,
  });
  // Search uses the in-memory index (built ahead in idle time by the workspace, or when search
  // is first used; kept up to date).
  const [searchWanted, setSearchWanted] = useState(false);
  const entries = useSearchEntries(searchWanted || filtering || sorted);
  const byId = useMemo(
    () => (sorted && entries ? new Map(entries.map((e) => [e.id, e])) : null),
    [sorted, entries],
  );
  // The order kept in the URL, in place (no history entry per order tried); the task open stays.
  const routeTo = useCallback(
    (to: { taskId?: string }) => ({ name: 'project' as const, id: project.id, ...to, sort }),
    [project.id, sort],
  );
  const setSort = (next: TaskSort) => {
    rememberSort({ orgId: session.user.orgId, userId: session.user.id }, project.id, next);
    replaceRoute({ ...routeTo(taskId ? { taskId } : {}), sort: next });
  };
  const deferredQuery = useDeferredValue(query);
  const results = useMemo(
    () => (filtering && entries ? matchTasks(entries, deferredQuery, today, project.id) : null),
    [filtering, entries, deferredQuery, today, project.id],
  );
  // The words the results were found by, marked in each title.
  const words = useMemo(() => queryWords(deferredQuery.text), [deferredQuery.text]);

  // Each list in the order chosen, kept sorted as its ids or their tasks change (a few changed
  // rows are put back in their places rather than the whole list sorted again).
  const [sorters] = useState(() => ({
    results: createSorter(),
    doing: createSorter(),
    todo: createSorter(),
    done: createSorter(),
  }));
  const sortedResults = useMemo(
    () => inOrder(sorters.results, results, byId, sort),
    [sorters, results, byId, sort],
  );
  const sortedDoing = useMemo(
    () => inOrder(sorters.doing, doing, byId, sort),
    [sorters, doing, byId, sort],
  );
  const sortedTodo = useMemo(
    () => inOrder(sorters.todo, todo, byId, sort),
    [sorters, todo, byId, sort],
  );
  const sortedDone = useMemo(
    () => inOrder(sorters.done, done, byId, sort),
    [sorters, done, byId, sort],
  );

  const sections: Section[] | null = useMemo(() => {
    if (filtering)
      return sortedResults
        ? [{ status: 'results', ids: sortedResults, count: sortedResults.length }]
        : null;
    if (!counts) return null;
    const open = (status: 'doing' | 'todo', ids: readonly string[] | undefined): Section | null => {
      if (ids) return { status, ids, count: ids.length };
      // The head's rows are in the default order: a sorted list waits for its ids.
      if (!head || sorted) return null;
      // Until the ids are read: the head's rows, then placeholders up to the count.
      const rows = head[status];
      return {
        status,
        ids: rows.map((t) => t.id),
        rows,
        count: Math.max(counts[status], rows.length),
      };
    };
    const first = open('doing', sortedDoing);
    const second = open('todo', sortedTodo);
    if (!first || !second) return null;
    return [
      first,
      second,
      // Opened: it stays folded (with its count) until its ids are read.
      showCompleted && sortedDone
        ? { status: 'done', ids: sortedDone, count: sortedDone.length }
        : { status: 'done', ids: [], count: counts.done, collapsed: true },
    ];
  }, [
    filtering,
    sortedResults,
    sortedDoing,
    sortedTodo,
    sortedDone,
    counts,
    head,
    sorted,
    showCompleted,
  ]);

  // Rows selected for a bulk action: only rows shown (see use-selection.ts). A row deleted or
  // moved away, filtered out or folded into Completed leaves the selection, and comes back
  // unselected (after an Undo too). Not kept with the list's view (view-state.ts): a selection
  // is for an action now, and one coming back unseen from an earlier visit would act on rows the
  // user no longer has in mind.
  const listed = useMemo(() => (sections ? listedIds(sections) : null), [sections]);
  const [selection, setSelection] = useSelection(listed);
  // A phone's Select (the toolbar): rows show a select box until Done.
  const [picking, setPicking] = useState(false);
  const shownOrder = useRef(listed);
  shownOrder.current = listed;
  const selectRow = useCallback(
    (id: string, how: 'toggle' | 'range', cursor: string | null, byKey = false) => {
      const order = shownOrder.current ?? [];
      setSelection((s) => {
        if (how === 'toggle') return toggleOne(s, id);
        return byKey ? extendByKey(s, order, id, cursor) : extendTo(s, order, id, cursor);
      });
    },
    [setSelection],
  );
  const clearSelection = useCallback(() => {
    setSelection(() => NO_SELECTION);
    setPicking(false);
  }, [setSelection]);
  // Back (a phone's back gesture) in Select leaves Select, not the project.
  useBackCloses(picking, clearSelection);
  const selectShown = useCallback(
    () => setSelection(() => selectAll(shownOrder.current ?? [])),
    [setSelection],
  );
  // The selected rows themselves (the list reads only what is on screen): one read, kept live.
  const selectedWindow = useMemo(
    () => (selection.ids.size ? [(listed ?? []).filter((id) => selection.ids.has(id))] : []),
    [selection, listed],
  );
  const selectedRows = useTaskWindows(selectedWindow);
  const selectedTasks = useMemo(
    () => (selectedWindow[0] ?? []).flatMap((id) => selectedRows.get(id) ?? []),
    [selectedWindow, selectedRows],
  );
  // s, a, d, p with no task open: the bar's control for the selected rows, else for the cursor's
  // row, selected first (the bar's one write, toast and Undo serve it). A row the key selected
  // is let go again when Escape backs out of the choice.
  const [pickWanted, setPickWanted] = useState<BulkField | null>(null);
  const keySelected = useRef<string | null>(null);
  /** The bar's control was opened by a key: once a choice is made, the keys go back to the list. */
  const keyPicked = useRef(false);
  const pick = useCallback(
    (field: BulkField, cursor: string | null) => {
      setSelection((s) => {
        keySelected.current = s.ids.size === 0 ? cursor : null;
        return actOn(s, cursor) ?? s;
      });
      keyPicked.current = true;
      setPickWanted(field);
    },
    [setSelection],
  );
  // Nothing to act on (no selection, no cursor): the key does nothing, and is not kept for later.
  useEffect(() => {
    if (pickWanted && selection.ids.size === 0) setPickWanted(null);
  }, [pickWanted, selection.ids.size]);
  const backToList = useCallback(() => {
    const made = keySelected.current;
    keySelected.current = null;
    keyPicked.current = false;
    if (made !== null)
      setSelection((s) => (s.ids.size === 1 && s.ids.has(made) ? NO_SELECTION : s));
    const at = list.current?.cursor() ?? made;
    if (at !== null) requestFocus({ taskId: at });
  }, [setSelection]);
  // The bar's ✕ takes the bar away, and focus on it with it: focus goes back to the list, on
  // the row the cursor is on (else the first one selected), as Escape leaves it.
  const clearBar = useCallback(() => {
    const at = list.current?.cursor() ?? listed?.find((id) => selection.ids.has(id)) ?? null;
    clearSelection();
    if (at !== null) requestFocus({ taskId: at });
  }, [clearSelection, listed, selection.ids]);
  // After an action that takes the rows out of this list, focus goes to the row in the first
  // one's place (the bar goes with its last row). After a choice a key opened (s, a, d, p), the
  // keys go back to the list, as in Linear: focus on the row the cursor was on (it may have moved
  // to another section), and a row the key selected is let go — j/k go on from there.
  const acted = useCallback(
    (tasks: readonly Task[], leaving: boolean) => {
      if (keyPicked.current && !leaving) return backToList();
      keyPicked.current = false;
      keySelected.current = null;
      if (!leaving || tasks.length === 0) return;
      const at = tasks
        .map((t) => ({ id: t.id, i: list.current?.placeOf(t.id) ?? -1 }))
        .filter((x) => x.i >= 0)
        .sort((a, b) => a.i - b.i)[0];
      if (at) requestFocus({ index: at.i, leaving: at.id });
    },
    [backToList],
  );

  const open = useCallback(
    (id: string) => {
      if (id !== taskId) holdTabs();
      openOver(routeTo({ taskId: id }));
    },
    [routeTo, taskId],
  );
  const close = useCallback(() => {
    // Focus goes back to the task's row if it is listed. A row that left (completed into the
    // folded Completed section, or outside the search shown) is not coming back: a request for
    // it would hold the list's keys until it expired.
    if (taskId && (list.current?.indexOf(taskId) ?? -1) >= 0) requestFocus({ taskId });
    closeTo(routeTo({}));
  }, [routeTo, taskId]);
  // After a delete (or a move, whose row may already have left), focus goes to the row that
  // takes its place.
  const deleted = useCallback(
    (id: string) => {
      const index = list.current?.placeOf(id) ?? -1;
      closeTo(routeTo({}));
      if (index >= 0) requestFocus({ index, leaving: id });
    },
    [routeTo],
  );
  const toggle = useCallback(
    (task: Task, isDone: boolean) => actions.setDone(task, isDone),
    [actions],
  );
  const listsTask = useCallback(
    (t: Task) =>
      t.projectId === project.id &&
      (filtering ? matchesTask(t, query, today, project.id) : t.status !== 'done' || showCompleted),
    [project.id, filtering, query, today, showCompleted],
  );
  // A quick add whose row lands out of sight (below the fold, or outside the search or filters
  // shown) says so, with a way to it; focus stays in the field for the next title.
  const addedToast = useRef<number | null>(null);
  const added = (id: string, task: QuickAddedTask, count = 1) => {
    const { title } = task;
    const say = () => {
      if (addedToast.current !== null) toasts.dismiss(addedToast.current);
      addedToast.current = toasts.show({
        message: count > 1 ? `Added ${count} tasks` : `Added “${title}”`,
        durationMs: UNDO_WINDOW_MS,
        // Its create refused, there is nothing to show; the task opened, nothing left to show.
        write: { rows: [id] },
        leadsTo: id,
        action: {
          label: 'Show',
          run: () => {
            setQuery(NO_QUERY);
            requestFocus({ taskId: id });
          },
        },
      });
    };
    if (!shows(task)) return say();
    list.current?.whenListed(id, (onScreen) => onScreen || say());
  };
  const shows = ({ title, assigneeId, dueDate }: QuickAddedTask) =>
    !filtering ||
    matchTasks(
      [
        {
          ...NEW_TASK_ENTRY,
          assigneeId,
          dueDate,
          projectId: project.id,
          title,
          text: searchText(title),
        },
      ],
      query,
      today,
    ).length > 0;

  useTaskListShortcuts({
    list,
    search,
    openId: taskId,
    open,
    close,
    onSearch: () => setSearchWanted(true),
    onHelp: () => setHelp(true),
    extra: {
      c: (focus) => (archived ? sayArchived() : focus(newTask.current)),
      n: (focus) => (archived ? sayArchived() : focus(newTask.current)),
      m: () => setQuery((q) => mine(q, session.user.id)),
    },
    enabled: !help,
    pick,
    selection: {
      any: selection.ids.size > 0 || picking,
      selectAll: selectShown,
      clear: clearSelection,
    },
  });

  const listSelection = useMemo(
    () => ({
      ids: selection.ids,
      picking: picking || selection.ids.size > 0,
      onSelect: selectRow,
    }),
    [selection.ids, picking, selectRow],
  );

  const total = counts ? counts.todo + counts.doing + counts.done : undefined;
  const settingUp = !useSetUp();
  // The last row gone with focus in it (or in the detail that deleted it): focus goes to the
  // field the empty state points to — the search while searching, else the new task's title.
  const layout = useRef<HTMLDivElement>(null);
  // Escape in the empty "Add a task…" or search field: back to the row the keyboard was on, else
  // the list; with no list (no tasks, none matching), the empty state's line.
  // A title being typed as the project was archived (by a teammate, another device): shown to
  // copy where the field was, rather than gone with it.
  const [notAdded, setNotAdded] = useState<string | null>(null);
  const leaveNewTask = useCallback(() => {
    if (list.current) list.current.takeFocus();
    else layout.current?.querySelector<HTMLElement>('[data-emptied-focus]')?.focus();
  }, []);
  // The header, the quick add and the toolbar are memoized: their handlers stay the same function
  // while the list changes, so a teammate's change to a task renders the list, not them.
  const onAdded = useStable(added);
  const onShows = useStable(shows);
  const onSort = useStable(setSort);
  const onSelecting = useStable(() =>
    picking || selection.ids.size > 0 ? clearSelection() : setPicking(true),
  );
  const onSearchFocus = useCallback(() => setSearchWanted(true), []);
  const onHelp = useCallback(() => setHelp(true), []);
  const onResults = useCallback(() => list.current?.focusFirst(), []);
  const userList = users.data ?? NO_USERS;
  const noRows = sections !== null && !sections.some((s) => !s.collapsed && s.ids.length > 0);
  useFocusWhenEmptied(layout, noRows, () => (filtering ? search.current : newTask.current));
  // Opened by its create: its first task is what comes next.
  useEffect(() => {
    if (takeCreatedProjectFocus(project.id)) newTask.current?.focus();
  }, [project.id]);
  return (
    <div ref={layout} className={`project-layout${taskId ? ' with-detail' : ''}`}>
      <section aria-labelledby="project-heading" className="stack project-main">
        <ProjectHeader
          project={project}
          mayEdit={mayEditProject}
          mayDelete={mayDeleteProject}
          unsent={unsent?.has(project.id) ?? false}
          onLeave={leaveNewTask}
        />
        {!archived && (
          <NewTaskForm
            projectId={project.id as EntityId}
            inputRef={newTask}
            users={userList}
            me={me}
            today={today}
            onAdded={onAdded}
            onLeave={leaveNewTask}
            shows={onShows}
            onGoneWithText={setNotAdded}
          />
        )}
        {notAdded !== null && (
          <NotAddedNotice
            text={notAdded}
            onDismiss={() => {
              setNotAdded(null);
              leaveNewTask();
            }}
          />
        )}
        {/* An empty project has nothing to search or filter (nor while it is still being read). */}
        {(filtering || (total ?? 0) > 0) && (
          <TaskToolbar
            query={query}
            onChange={setQuery}
            sort={sort}
            onSort={onSort}
            users={userList}
            me={session.user.id}
            searchRef={search}
            onSearchFocus={onSearchFocus}
            onHelp={onHelp}
            selecting={picking || selection.ids.size > 0}
            onSelecting={onSelecting}
            onResults={onResults}
            onLeave={leaveNewTask}
          />
        )}
        {/* Announced politely as the selection changes (the bar comes and goes with it). */}
        <p className="visually-hidden" role="status">
          {selection.ids.size > 0 ? `${count(selection.ids.size)} selected` : ''}
        </p>
        {(picking || selection.ids.size > 0) && sections !== null && (
          <BulkBar
            count={selection.ids.size}
            tasks={selectedTasks}
            projectId={project.id}
            users={users.data ?? []}
            me={me}
            canDelete={mayDeleteTask}
            picking={picking}
            onSelectAll={selectShown}
            onClear={clearBar}
            onActed={acted}
            shows={listsTask}
            pick={pickWanted}
            onPicked={() => setPickWanted(null)}
            onBack={backToList}
          />
        )}
        <SetupProgress what="Tasks" />
        {sections === null || (settingUp && total === 0 && !filtering) ? (
          <Skeleton label={settingUp ? 'Tasks arriving' : 'Loading tasks'} rows={6} />
        ) : total === 0 && !filtering ? (
          <NoTasksYet archived={archived} />
        ) : filtering && results?.length === 0 ? (
          <p className="muted" role="status" {...EMPTIED_FOCUS}>
            No tasks match{query.text.trim() ? ` “${query.text.trim()}”` : ' these filters'}.
          </p>
        ) : (
          <>
            {!filtering && !settingUp && counts && counts.todo + counts.doing === 0 && (
              <p className="muted" {...EMPTIED_FOCUS}>
                All tasks completed. Nothing open in this project.
              </p>
            )}
            <TaskList
              ref={list}
              rowsOf={project.id}
              sections={sections}
              users={userMap}
              unsent={unsent}
              today={today}
              openId={taskId}
              onOpen={open}
              onToggle={toggle}
              onToggleCompleted={() => setShowCompleted((v) => !v)}
              shows={listsTask}
              place={place}
              onPlaced={() => setPlace(null)}
              onPlace={(at) => listViews.update(me, project.id, { place: at })}
              selection={listSelection}
              words={words}
            />
          </>
        )}
      </section>
      {taskId && (
        <TaskDetail
          taskId={taskId}
          where={project.name}
          users={users.data ?? []}
          canDelete={mayDeleteTask}
          onClose={close}
          onDeleted={deleted}
          // Moved to another project, it leaves this list as a deleted one does.
          onMoved={deleted}
        />
      )}
      {help && (
        <ShortcutsHelp
          onClose={() => setHelp(false)}
          unavailable={archived ? ARCHIVED_KEYS : undefined}
        />
      )}
    </div>
  );
}

const NO_USERS: readonly User[] = [];

const ProjectHeader = memo(function ProjectHeader({
  project,
  mayEdit,
  mayDelete,
  unsent,
  onLeave,
}: {
  project: Project;
  mayEdit: boolean;
  mayDelete: boolean;
  unsent: boolean;
  /** Escape in the name or description with nothing unsaved: the keys go back to the list. */
  onLeave(): void;
}) {
  const { client } = useEngine();
  const { error, run } = useAction();
  const reportGone = useGoneText().report;
  // A field going away saves what it holds; the project deleted under it, that text is shown.
  const save = (
    label: string,
    patch: { name: string } | { description: string },
    from: { name: string } | { description: string },
    text: string,
  ) =>
    void run(() =>
      client.updateProject(project.id, patch, from).catch((err: unknown) => {
        if (err instanceof Error && err.name === 'NotFoundError')
          reportGone({
            of: project.id,
            field: 'name' in patch ? 'name' : 'description',
            label,
            text,
          });
        else throw err;
      }),
    );
  const archived = project.status === 'archived';
  // Who changed the name or description under unsaved text (read only while a field says so).
  const nameBy = useMemo(() => changedByHook(project.id, 'name'), [project.id]);
  const descriptionBy = useMemo(() => changedByHook(project.id, 'description'), [project.id]);
  // Archive and Unarchive swap places (the menu's item, the notice's button): focus follows to
  // the one shown now, so it never falls to the page.
  const toggleButton = useRef<HTMLButtonElement>(null);
  const moreButton = useRef<HTMLButtonElement>(null);
  const toggled = useRef(false);
  useEffect(() => {
    if (!toggled.current) return;
    toggled.current = false;
    (toggleButton.current ?? moreButton.current)?.focus();
  }, [archived]);
  const setArchived = (to: boolean) => {
    toggled.current = true;
    void run(() => client.updateProject(project.id, { status: to ? 'archived' : 'active' }));
  };
  async function remove() {
    const ok = await confirmAction({
      title: `Delete “${project.name}”?`,
      message: 'It is deleted for everyone in the organization, and its tasks are hidden.',
      confirmLabel: 'Delete project',
      danger: true,
    });
    if (!ok) return;
    if (await run(() => client.deleteProject(project.id))) navigate({ name: 'projects' });
  }
  // The project's actions go behind one "More actions" button, as in Linear and Todoist: on a
  // phone they wrapped beside the way back and the sync badge, and Delete sat one slip from
  // Archive; on a laptop a red "Delete project" button stood over the list all day.
  const archiveAction: MenuAction | null =
    mayEdit && !archived ? { label: 'Archive project', run: () => setArchived(true) } : null;
  const more: MenuAction[] = [
    ...(archiveAction ? [archiveAction] : []),
    ...(mayDelete ? [{ label: 'Delete project', run: () => void remove(), danger: true }] : []),
  ];
  return (
    <div
      className="project-head"
      onKeyDown={(e) => {
        // The field backed out of unsaved text itself (and kept the key); with nothing unsaved it
        // stayed focused, so c, j… were typed into the description.
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        if (!(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement))
          return;
        e.preventDefault();
        e.target.blur();
        onLeave();
      }}
    >
      <div className="project-nav">
        {/* Named without its arrow (a screen reader would read "left arrow"), and not just
            "Projects": the section tabs have that link. */}
        <a href={href({ name: 'projects' })} className="back" aria-label="Back to projects">
          ← Projects
        </a>
        {unsent && <span className="badge pending">not synced yet</span>}
        {more.length > 0 && (
          <MenuButton
            className="project-more"
            label="More actions"
            actions={more}
            buttonRef={moreButton}
          />
        )}
      </div>
      {mayEdit ? (
        <>
          <h2 id="project-heading" className="visually-hidden">
            {project.name}
          </h2>
          {/* Wraps: a long name shows in full on a phone (one line cut it off mid-word). */}
          <InlineText
            kind="wrap"
            className="title"
            label="Project name"
            value={project.name}
            maxLength={PROJECT_NAME_MAX}
            onCommit={(name, from) => save('Project name', { name }, { name: from }, name)}
            useChangedBy={nameBy}
          />
          <InlineText
            kind="wrap"
            className="description"
            label="Project description"
            placeholder="Add a description"
            value={project.description}
            required={false}
            maxLength={PROJECT_DESCRIPTION_MAX}
            onCommit={(description, from) =>
              save('Project description', { description }, { description: from }, description)
            }
            useChangedBy={descriptionBy}
          />
        </>
      ) : (
        <>
          <h2 id="project-heading" className="title-text">
            {project.name}
          </h2>
          {project.description && <p className="muted">{project.description}</p>}
        </>
      )}
      {archived && (
        <ArchivedNotice
          mayUnarchive={mayEdit}
          onUnarchive={() => setArchived(false)}
          buttonRef={toggleButton}
        />
      )}
      {error && (
        <p role="alert" className="notice bad">
          {error}
        </p>
      )}
    </div>
  );
});

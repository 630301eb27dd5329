import { can, type Task } from '@outpost/shared';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useProjects, useSearchEntries, useUnsentIds, useUsers } from '../../data';
import { useEngine } from '../engine/context';
import { closeTo, openOver } from '../shell/router';
import { holdTabs } from '../ui/held-tabs';
import { requestFocus } from '../ui/focus';
import { EMPTIED_FOCUS, useFocusWhenEmptied } from '../ui/focus-emptied';
import { todayIso } from '../ui/format';
import { ShortcutsHelp } from '../ui/ShortcutsHelp';
import { SEARCH_SHORTCUTS } from '../ui/shortcuts';
import { Skeleton } from '../ui/Skeleton';
import { isActive, matchesTask, matchTasks, mine, NO_QUERY, type TaskQuery } from './tasks/filter';
import { queryWords } from './tasks/highlight';
import { useTaskListShortcuts } from './tasks/list-shortcuts';
import { useTaskActions } from './tasks/task-actions';
import { TaskDetail } from './tasks/TaskDetail';
import { TaskList, type Section, type TaskListHandle } from './tasks/TaskList';
import { TaskToolbar } from './tasks/TaskToolbar';
import { groupByProject } from './tasks/group';
import { listViews, SEARCH_VIEW } from './tasks/view-state';
import './tasks/tasks.css';
import { useDocumentTitle } from '../ui/use-document-title';

/**
 * One click to the work that is yours or due, across every project (Linear's "My issues",
 * Todoist's "Upcoming"): each a query the toolbar then shows as set, and clears.
 */
const QUICK_VIEWS: readonly { label: string; query(me: string): TaskQuery }[] = [
  { label: 'Assigned to you', query: (me) => ({ ...NO_QUERY, status: 'open', assignee: me }) },
  { label: 'Overdue', query: () => ({ ...NO_QUERY, status: 'open', due: 'overdue' }) },
  { label: 'Due this week', query: () => ({ ...NO_QUERY, status: 'open', due: 'week' }) },
];

/**
 * Search across every project's tasks, in the local mirror: instant and offline (the
 * in-memory search index), with the same filters as a project's search. A result opens its
 * task's detail beside the results (full screen on a phone).
 */
export function SearchScreen({ taskId }: { taskId?: string | undefined }) {
  // An open task's detail titles the page with its own title.
  useDocumentTitle(taskId ? null : 'Search');
  const { session } = useEngine();
  const users = useUsers();
  const userMap = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u])), [users.data]);
  const projects = useProjects();
  const unsent = useUnsentIds();
  const actions = useTaskActions();
  const list = useRef<TaskListHandle>(null);
  const search = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // The query outlives the screen (see view-state.ts): back from a task or a project, the
  // results are still there, where they were left.
  const me = session.user.id;
  const [view] = useState(() => listViews.get(me, SEARCH_VIEW));
  const [query, setQuery] = useState<TaskQuery>(view.query);
  useEffect(() => listViews.update(me, SEARCH_VIEW, { query }), [me, query]);
  const [place, setPlace] = useState(view.place);
  const [help, setHelp] = useState(false);
  const today = todayIso();

  const entries = useSearchEntries(true);
  const filtering = isActive(query);
  const deferredQuery = useDeferredValue(query);
  const results = useMemo(
    () => (filtering && entries ? matchTasks(entries, deferredQuery, today) : null),
    [filtering, entries, deferredQuery, today],
  );
  // The words the results were found by, marked in each title.
  const words = useMemo(() => queryWords(deferredQuery.text), [deferredQuery.text]);

  // What each quick view would list, counted while none is shown.
  const quickViews = useMemo(
    () =>
      !filtering && entries
        ? QUICK_VIEWS.map((v) => {
            const q = v.query(me);
            return { label: v.label, query: q, count: matchTasks(entries, q, today).length };
          })
        : null,
    [filtering, entries, me, today],
  );
  // The count of all results, then each project's under its name (in the projects list's
  // order): j/k and the rows' "n of N" go through them all, skipping the headings.
  const sections: Section[] | null = useMemo(
    () =>
      results && entries
        ? [
            // Its rows are the groups' (folded: no placeholder rows of its own).
            { status: 'results', ids: [], count: results.length, collapsed: true },
            ...groupByProject(entries, results, projects.data ?? []).map((g): Section => ({
              status: 'results',
              group: { key: g.key, label: g.label },
              ids: g.ids,
              count: g.ids.length,
            })),
          ]
        : null,
    [results, entries, projects.data],
  );

  // Arriving here (the top bar's Search, or / elsewhere) means typing next.
  useEffect(() => {
    if (!taskId) search.current?.focus();
    // Only on arrival: closing a task puts focus back on its row instead.
  }, []);

  const open = useCallback(
    (id: string) => {
      if (id !== taskId) holdTabs();
      openOver({ name: 'search', taskId: id });
    },
    [taskId],
  );
  const close = useCallback(() => {
    // Back to its row if the results list it (not after the search was cleared): see the
    // project screen's close.
    if (taskId && (list.current?.indexOf(taskId) ?? -1) >= 0) requestFocus({ taskId });
    closeTo({ name: 'search' });
  }, [taskId]);
  const deleted = useCallback((id: string) => {
    const index = list.current?.placeOf(id) ?? -1;
    closeTo({ name: 'search' });
    if (index >= 0) requestFocus({ index, leaving: id });
  }, []);
  const toggle = useCallback(
    (task: Task, isDone: boolean) => actions.setDone(task, isDone),
    [actions],
  );
  const listsTask = useCallback(
    (t: Task) => filtering && matchesTask(t, query, today),
    [filtering, query, today],
  );
  useTaskListShortcuts({
    list,
    search,
    openId: taskId ?? null,
    open,
    close,
    onHelp: () => setHelp(true),
    extra: { m: () => setQuery((q) => mine(q, me)) },
    enabled: !help,
  });

  // The last result deleted (or completed out of the filters) with focus on it: back to the search.
  const layout = useRef<HTMLDivElement>(null);
  useFocusWhenEmptied(layout, results?.length === 0, () => search.current);
  return (
    <div ref={layout} className={`project-layout${taskId ? ' with-detail' : ''}`}>
      <section aria-labelledby="search-heading" className="stack project-main">
        <h2 id="search-heading" ref={heading} tabIndex={-1}>
          Search
        </h2>
        <TaskToolbar
          label="Search all tasks"
          query={query}
          onChange={setQuery}
          users={users.data ?? []}
          me={session.user.id}
          searchRef={search}
          onSearchFocus={() => undefined}
          onHelp={() => setHelp(true)}
          onResults={() => list.current?.focusFirst()}
          onLeave={() => {
            // Back to the results, if any; else to the screen's heading (not the page body).
            if (list.current) list.current.takeFocus();
            else heading.current?.focus();
          }}
        />
        {!filtering ? (
          <>
            <p className="muted">
              Titles and notes of every project&rsquo;s tasks, searched on this device: it works
              offline too.
            </p>
            {quickViews && (
              <ul className="quick-views" aria-label="Open tasks across every project">
                {quickViews.map((v) => (
                  <li key={v.label}>
                    <button
                      type="button"
                      onClick={() => {
                        setQuery(v.query);
                        // The buttons go as the results come: typing narrows the view next.
                        search.current?.focus();
                      }}
                    >
                      {v.label} <span className="count">{v.count}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : sections === null ? (
          <Skeleton label="Reading tasks" rows={4} />
        ) : results?.length === 0 ? (
          <p className="muted" role="status" {...EMPTIED_FOCUS}>
            No tasks match{query.text.trim() ? ` “${query.text.trim()}”` : ' these filters'}.
          </p>
        ) : (
          <TaskList
            ref={list}
            rowsOf={SEARCH_VIEW}
            sections={sections}
            users={userMap}
            unsent={unsent}
            today={today}
            openId={taskId ?? null}
            onOpen={open}
            onToggle={toggle}
            onToggleCompleted={() => undefined}
            shows={listsTask}
            place={place}
            onPlaced={() => setPlace(null)}
            onPlace={(at) => listViews.update(me, SEARCH_VIEW, { place: at })}
            words={words}
          />
        )}
      </section>
      {taskId && (
        <TaskDetail
          taskId={taskId}
          where="Search"
          users={users.data ?? []}
          canDelete={can(session.user.role, 'delete', 'task')}
          onClose={close}
          onDeleted={deleted}
        />
      )}
      {help && <ShortcutsHelp shortcuts={SEARCH_SHORTCUTS} onClose={() => setHelp(false)} />}
    </div>
  );
}

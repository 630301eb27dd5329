import {
  forwardRef,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { measureElement, useWindowVirtualizer } from '@tanstack/react-virtual';
import type { Task, TaskStatus, User } from '@outpost/shared';
import { ROW_WINDOW, useTaskWindows } from '../../../data';
import { FOCUS_REQUEST_TTL_MS, focusRequest, requestFocus } from '../../ui/focus';
import { RowSizes } from './row-sizes';
import { TaskRow } from './TaskRow';

type Item =
  | { kind: 'head'; key: string; status: TaskStatus | 'results'; count: number }
  | { kind: 'task'; key: string; id: string; window: readonly string[] }
  /** A row whose id is not read yet (the section's count is known). */
  | { kind: 'pending'; key: string };

export interface Section {
  status: TaskStatus | 'results';
  ids: readonly string[];
  /** Rows already read (a section's head), shown without waiting for their window. */
  rows?: readonly Task[];
  /** Shown count (a collapsed section still has its count). */
  count: number;
  collapsed?: boolean;
}

export interface TaskListHandle {
  move(delta: 1 | -1): void;
  /** The task under the keyboard cursor (or focused), if any. */
  activeId(): string | null;
  /** Position of a task in the list (-1 when not listed). */
  indexOf(id: string): number;
  focusActive(): void;
}

interface Props {
  sections: readonly Section[];
  users: ReadonlyMap<string, User>;
  unsent: ReadonlySet<string> | undefined;
  today: string;
  openId: string | null;
  onOpen(id: string): void;
  onToggle(task: Task, done: boolean): Promise<unknown>;
  onToggleCompleted(): void;
  /** Project names by id: rows then name their project (results from every project). */
  projectNames?: ReadonlyMap<string, string> | undefined;
}

const HEAD = 44;
const ROW = 48;
const TITLE: Record<Section['status'], string> = {
  doing: 'In progress',
  todo: 'To do',
  done: 'Completed',
  results: 'Results',
};

const rowSizes = new RowSizes(ROW);

function windows(ids: readonly string[]): (readonly string[])[] {
  const out: (readonly string[])[] = [];
  for (let i = 0; i < ids.length; i += ROW_WINDOW) out.push(ids.slice(i, i + ROW_WINDOW));
  return out;
}

/**
 * The virtualized task list: only rows on screen (plus a few) are in the DOM, each window of
 * 50 rows is one indexed read, and rows may wrap (heights are measured). It scrolls with the
 * page, so a phone has the whole screen for it.
 */
export const TaskList = forwardRef<TaskListHandle, Props>(function TaskList(props, ref) {
  const { sections, users, unsent, today, openId, onOpen, onToggle, onToggleCompleted } = props;
  const { projectNames } = props;
  const items = useMemo(() => {
    const out: Item[] = [];
    for (const s of sections) {
      if (s.status !== 'results' && s.count === 0) continue;
      out.push({ kind: 'head', key: `head:${s.status}`, status: s.status, count: s.count });
      if (s.collapsed) continue;
      const w = windows(s.ids);
      s.ids.forEach((id, i) =>
        out.push({ kind: 'task', key: id, id, window: w[Math.floor(i / ROW_WINDOW)]! }),
      );
      for (let i = s.ids.length; i < s.count; i++)
        out.push({ kind: 'pending', key: `${s.status}:${i}` });
    }
    return out;
  }, [sections]);
  const known = useMemo(
    () => new Map<string, Task>(sections.flatMap((s) => s.rows ?? []).map((t) => [t.id, t])),
    [sections],
  );
  const taskCount = useMemo(() => items.filter((i) => i.kind !== 'head').length, [items]);

  const listRef = useRef<HTMLDivElement>(null);
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const el = listRef.current;
    // Reading the list's offset forces a layout: not on every frame of a scroll (nothing above
    // the list moves then); the render that ends the scroll reads it again.
    if (!el || virtualizer.isScrolling) return;
    const top = el.getBoundingClientRect().top + window.scrollY;
    if (Math.abs(top - margin) > 1) setMargin(top);
  });
  // Rows not measured yet are estimated at the height most rows measured lately (it depends on
  // the width: a row's meta wraps under its title on a phone), and a row still loading is shown
  // that high: each row whose measure differs from its estimate re-lays the list out from there
  // to its end, and a loading row that grows when it loads moves every row below it.
  const virtualizer = useWindowVirtualizer({
    count: items.length,
    estimateSize: (i) => (items[i]?.kind === 'head' ? HEAD : rowSizes.typical),
    measureElement: (el, entry, instance) => {
      const size = measureElement(el, entry, instance);
      if (el.classList.contains('task-item') && !el.firstElementChild?.matches('.placeholder'))
        rowSizes.add(size);
      return size;
    },
    getItemKey: (i) => items[i]?.key ?? i,
    overscan: 6,
    scrollMargin: margin,
  });

  // The keyboard cursor (j/k): an index into `items`, kept on a task.
  const [cursor, setCursor] = useState<string | null>(null);
  const indexOf = useCallback(
    (id: string) => items.findIndex((i) => i.kind === 'task' && i.id === id),
    [items],
  );

  const focusIndex = useCallback(
    (index: number) => {
      const i = Math.max(0, Math.min(items.length - 1, index));
      const item = items[i];
      if (!item) return;
      if (item.kind === 'task') setCursor(item.id);
      virtualizer.scrollToIndex(i, { align: 'auto' });
      const tryFocus = (left: number) => {
        const el = listRef.current?.querySelector<HTMLElement>(
          `[data-index="${i}"] .task-title, [data-index="${i}"] button`,
        );
        if (el) el.focus({ preventScroll: true });
        else if (left > 0) requestAnimationFrame(() => tryFocus(left - 1));
      };
      requestAnimationFrame(() => tryFocus(10));
    },
    [items, virtualizer],
  );

  // Focus requests (after undo, delete, closing the detail) wait until the row exists.
  const request = useSyncExternalStore(focusRequest.subscribe, focusRequest.getSnapshot);
  useEffect(() => {
    if (!request) return;
    if (Date.now() - request.at >= FOCUS_REQUEST_TTL_MS) return focusRequest.set(null);
    if ('taskId' in request) {
      const i = indexOf(request.taskId);
      if (i < 0) return; // Not in the list yet (an undone delete is coming back): try again on change.
      focusRequest.set(null);
      focusIndex(i);
    } else {
      // The leaving row is still listed until the mirror catches up; a stale request is dropped.
      if (request.leaving && indexOf(request.leaving) >= 0) return;
      focusRequest.set(null);
      const tasks = items.map((it, i) => (it.kind === 'task' ? i : -1)).filter((i) => i >= 0);
      if (tasks.length === 0) return;
      focusIndex(tasks.find((i) => i >= request.index) ?? tasks.at(-1)!);
    }
  }, [request, indexOf, focusIndex, items]);

  // A completed row leaves its section: focus moves to the row taking its place, never to the page.
  const toggle = useCallback(
    (task: Task, done: boolean) => {
      const row = listRef.current?.querySelector(`[data-task-id="${task.id}"]`);
      const hadFocus = row?.contains(document.activeElement) ?? false;
      const index = indexOf(task.id);
      const result = onToggle(task, done);
      if (hadFocus && index >= 0) void result.then(() => requestFocus({ index, leaving: task.id }));
      return result;
    },
    [indexOf, onToggle],
  );

  useImperativeHandle(
    ref,
    () => ({
      move(delta) {
        const focused =
          document.activeElement?.closest<HTMLElement>('[data-index]')?.dataset['index'];
        const from = focused !== undefined ? Number(focused) : cursor ? indexOf(cursor) : -1;
        let i = from + delta;
        while (items[i] && items[i]!.kind !== 'task') i += delta;
        if (from < 0 && delta === 1) i = items.findIndex((it) => it.kind === 'task');
        if (i >= 0 && items[i]) focusIndex(i);
      },
      activeId() {
        const focused =
          document.activeElement?.closest<HTMLElement>('[data-task-id]')?.dataset['taskId'];
        return focused ?? (cursor && indexOf(cursor) >= 0 ? cursor : null);
      },
      indexOf,
      focusActive() {
        const i = cursor ? indexOf(cursor) : -1;
        if (i >= 0) focusIndex(i);
      },
    }),
    [cursor, indexOf, items, focusIndex],
  );

  const virtualItems = virtualizer.getVirtualItems();
  // The windows of rows on screen: one read each, here, rather than one hook per row.
  const shownWindows = useRef<readonly (readonly string[])[]>([]);
  const wanted: (readonly string[])[] = [];
  const want = (index: number) => {
    const item = items[index];
    if (item?.kind === 'task' && !known.has(item.id) && !wanted.includes(item.window))
      wanted.push(item.window);
  };
  for (const v of virtualItems) want(v.index);
  // A window ahead in the scroll's direction and half a window behind are read too, so
  // scrolling rarely meets a row still loading.
  if (virtualItems.length) {
    const direction = virtualizer.scrollDirection;
    want(virtualItems[0]!.index - ROW_WINDOW / (direction === 'backward' ? 1 : 2));
    want(virtualItems.at(-1)!.index + ROW_WINDOW / (direction === 'forward' ? 1 : 2));
  }
  if (
    wanted.length !== shownWindows.current.length ||
    wanted.some((w, i) => w !== shownWindows.current[i])
  )
    shownWindows.current = wanted;
  const loaded = useTaskWindows(shownWindows.current);
  // While a moved window loads, a row keeps showing what it showed (no placeholder flash).
  const seen = useRef(new Map<string, Task>());
  for (const [id, t] of known) seen.current.set(id, t);
  for (const [id, t] of loaded) seen.current.set(id, t);
  if (seen.current.size > 4 * ROW_WINDOW) {
    for (const id of seen.current.keys()) {
      if (seen.current.size <= 2 * ROW_WINDOW) break;
      if (!loaded.has(id)) seen.current.delete(id);
    }
  }
  const positions = useMemo(() => {
    const map = new Map<string, number>();
    for (const it of items) if (it.kind !== 'head') map.set(it.key, map.size + 1);
    return map;
  }, [items]);

  return (
    <div
      ref={listRef}
      className="task-list"
      role="list"
      aria-label="Tasks"
      style={{ height: virtualizer.getTotalSize() }}
    >
      {virtualItems.map((v) => {
        const item = items[v.index]!;
        const task =
          item.kind === 'task'
            ? (loaded.get(item.id) ?? known.get(item.id) ?? seen.current.get(item.id))
            : undefined;
        return (
          <div
            key={v.key}
            ref={virtualizer.measureElement}
            data-index={v.index}
            role="listitem"
            aria-setsize={item.kind !== 'head' ? taskCount : undefined}
            aria-posinset={item.kind !== 'head' ? positions.get(item.key) : undefined}
            className={item.kind === 'head' ? 'task-section' : 'task-item'}
            style={{
              transform: `translateY(${v.start - virtualizer.options.scrollMargin}px)`,
              height: item.kind !== 'head' && !task ? rowSizes.typical : undefined,
            }}
          >
            {item.kind === 'head' ? (
              item.status === 'done' ? (
                <button
                  type="button"
                  className="section-toggle"
                  aria-expanded={!sections.find((s) => s.status === 'done')?.collapsed}
                  onClick={onToggleCompleted}
                >
                  {TITLE.done} ({item.count})
                </button>
              ) : (
                <h3>
                  {item.status === 'results'
                    ? `${item.count} matching task${item.count === 1 ? '' : 's'}`
                    : `${TITLE[item.status]} (${item.count})`}
                </h3>
              )
            ) : item.kind === 'pending' ? (
              <div className="task-row placeholder" aria-busy="true" aria-label="Loading task" />
            ) : (
              <TaskRow
                task={task}
                users={users}
                unsent={unsent?.has(item.id) ?? false}
                active={openId === item.id}
                today={today}
                showStatus={sections.length === 1}
                project={
                  projectNames && task
                    ? (projectNames.get(task.projectId) ?? 'Unknown project')
                    : undefined
                }
                onOpen={onOpen}
                onToggle={toggle}
              />
            )}
          </div>
        );
      })}
    </div>
  );
});

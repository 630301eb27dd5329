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
  type ReactNode,
} from 'react';
import {
  defaultRangeExtractor,
  measureElement,
  useWindowVirtualizer,
  type Range,
} from '@tanstack/react-virtual';
import { unreachable, type Task, type TaskStatus, type User } from '@outpost/shared';
import { ROW_WINDOW, useStoredTask, useTaskWindows } from '../../../data';
import { FOCUS_REQUEST_TTL_MS, focusRequest, requestFocus } from '../../ui/focus';
import { count, STATUS_LABEL } from '../../ui/format';
import { insets, useTopInset } from '../../ui/insets';
import { isTypingTarget } from '../../ui/shortcuts';
import { watchUserScroll } from '../../ui/user-scroll';
import {
  createLeftPlaces,
  edge,
  pageStep,
  placeIn,
  step,
  takePlace,
  unreadBetween,
} from './cursor';
import { listCommands, type ListCommand, type ListView, type Press } from './list-commands';
import { listItems, type Item, type ListItems, type Section } from './list-items';
import { RowSizes } from './row-sizes';
import { TaskRow } from './TaskRow';
import type { ListPlace } from './view-state';

export type { Section } from './list-items';

export interface TaskListHandle {
  /** Runs the keys waiting in `listCommands` that can run now (see list-commands.ts). */
  drain(): void;
  /** Position of a task in the list (-1 when not listed). */
  indexOf(id: string): number;
  /**
   * Its position, or where it stood if it just left the list: for focus on the row in its
   * place after a write that takes it out (asked once the write resolves, which may be before
   * or after the list hears of it). -1 when neither.
   */
  placeOf(id: string): number;
  /** The task the keyboard cursor is on (the row j/k moved to), null for none. */
  cursor(): string | null;
  /**
   * Focus back on the list from a field backed out of (Escape in the empty "Add a task…"): on
   * the cursor's row (the row the keyboard was on before), else on the list itself with no row
   * designated, so j takes the first row as it does from anywhere.
   */
  takeFocus(): void;
  /** Focus on the first task listed (from the search field, ↓ or Enter); false for none. */
  focusFirst(): boolean;
  /**
   * Calls `then` once the task is listed, with whether its row is on screen (a new task at
   * the end of a long section lands below the fold); with false if it is not listed in time.
   */
  whenListed(id: string, then: (onScreen: boolean) => void): void;
}

interface Props {
  /** Whose rows these are (a project's id): rows not measured yet are estimated per list. */
  rowsOf: string;
  sections: readonly Section[];
  users: ReadonlyMap<string, User>;
  unsent: ReadonlySet<string> | undefined;
  today: string;
  openId: string | null;
  onOpen(id: string): void;
  onToggle(task: Task, done: boolean): Promise<unknown>;
  onToggleCompleted(): void;
  /**
   * Whether this list shows a task as it now is (its section, the search shown): a row asked
   * for focus that it does not show is not awaited (an undo outside the search shown, a task
   * back in the folded Completed section).
   */
  shows(task: Task): boolean;
  /**
   * Where this list was left (see `onPlace`): once its rows are listed, the first of them
   * still listed is where it stood in the window again (the top row gone, its nearest
   * neighbour), and the cursor is on its task again (in view, when no row held the place);
   * `onPlaced` says it was (or is not coming), so it is taken back once. Given up once the user
   * scrolls (or moves the cursor) before it is: they are not pulled back.
   */
  place?: ListPlace | null | undefined;
  onPlaced?(): void;
  /**
   * Where the list is: told when a scroll or change settles, and when the list goes (its
   * screen left). Not while a `place` is being taken back.
   */
  onPlace?(place: ListPlace): void;
  /** Rows can be selected for a bulk action (a project's list): see selection.ts. */
  selection?: ListSelection | undefined;
  /** The words searched for, marked in each title (`queryWords`; keep the array stable). */
  words?: readonly string[] | undefined;
}

export interface ListSelection {
  ids: ReadonlySet<string>;
  /** Rows show a select box, and a click on a title selects (see TaskRow). */
  picking: boolean;
  /**
   * A row in or out ('toggle'), or the range up to it ('range'); `cursor` is the task the
   * keyboard cursor was on before (where a range with nothing anchored starts), `byKey` says
   * the range comes from Shift+j/k (it starts again at the cursor when that row is not selected).
   */
  onSelect(id: string, how: 'toggle' | 'range', cursor: string | null, byKey?: boolean): void;
}

const HEAD = 44;
const ROW = 48;
/** Room kept between a row the keys scroll to and the header or status bar over the page. */
const CLEAR = 8;
/** Rows kept of a place (see ListPlace): from the window's top down, and above it. */
const PLACE_BELOW = 8;
const PLACE_ABOVE = 3;
/** Rows under the window's top row that can hold the place when it leaves. */
const NEXT_ROWS = 4;
/** A window not scrolled for this long is still (see `anchor`). */
const STILL_MS = 150;

/**
 * Whether a row (page coordinates) is wholly in view between the header (and the section
 * heading stuck under it) and the status bar.
 */
function onScreen(row: { start: number; end: number }): boolean {
  const { top, bottom } = insets();
  return (
    row.start >= window.scrollY + top + HEAD &&
    row.end <= window.scrollY + window.innerHeight - bottom
  );
}
const TITLE: Record<Section['status'], string> = {
  doing: STATUS_LABEL.doing,
  todo: STATUS_LABEL.todo,
  // The folded section of finished tasks.
  done: STATUS_LABEL.done,
  results: 'Results',
};

const rowSizes = new RowSizes(ROW);

/**
 * The virtualized task list: only rows on screen (plus a few) are in the DOM, each window of
 * 50 rows is one indexed read, and rows may wrap (heights are measured). It scrolls with the
 * page, so a phone has the whole screen for it.
 */
export const TaskList = forwardRef<TaskListHandle, Props>(function TaskList(props, ref) {
  const { sections, users, unsent, today, openId, onOpen, onToggle, onToggleCompleted } = props;
  const { shows, place, onPlaced, selection, words, rowsOf } = props;
  // A list whose rows can be selected is a grid of rows (aria-selected is a row's state).
  const grid = selection !== undefined;
  // Patched from the items before when a section gained or lost a task (an add to a list of
  // 10,000 copies one array, not 10,000 items and their map of positions: list-items.ts).
  const builtItems = useRef<ListItems | null>(null);
  const list = useMemo(
    () => (builtItems.current = listItems(builtItems.current, sections)),
    [sections],
  );
  const { items, heads } = list;
  const known = useMemo(
    () => new Map<string, Task>(sections.flatMap((s) => s.rows ?? []).map((t) => [t.id, t])),
    [sections],
  );
  const taskCount = items.length - heads.length;
  /** The key of the heading of the section item `i` is in. */
  const sectionOf = (i: number): string | undefined => {
    let key: string | undefined;
    for (const h of heads) {
      if (h > i) break;
      key = items[h]!.key;
    }
    return key;
  };
  const positionOf = (i: number) => i + 1 - heads.filter((h) => h < i).length;

  const listRef = useRef<HTMLDivElement>(null);
  const [margin, setMargin] = useState(0);
  const insetTop = useTopInset();
  // The section heading whose rows are under the header's edge stays there (as in Linear):
  // it is rendered however far its own place has scrolled away (see `stuck` below). That is the
  // last heading at or before the first item in the window (`range.startIndex`, read from the
  // same measures and scroll): a heading after it is on screen, so in the range anyway. Its
  // identity follows the headings, so the virtualizer, which keeps its range while the count, the
  // measures and the scroll are, computes it again when they move.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const shown = defaultRangeExtractor(range);
      let stuck = -1;
      for (const h of heads) {
        if (h > range.startIndex) break;
        stuck = h;
      }
      return stuck >= 0 && !shown.includes(stuck) ? [stuck, ...shown] : shown;
    },
    [heads],
  );
  useLayoutEffect(() => {
    const el = listRef.current;
    // Reading the list's offset forces a layout: not on every frame of a scroll (nothing above
    // the list moves then); the render that ends the scroll reads it again.
    if (!el || virtualizer.isScrolling) return;
    const top = el.getBoundingClientRect().top + window.scrollY;
    if (Math.abs(top - margin) > 1) setMargin(top);
  });
  // Rows not measured yet are estimated at the height most of the first rows of this list (this
  // project's) measured at this width measured (a row's meta wraps under its title on a phone),
  // kept while the width is (see row-sizes.ts), and a row still loading is shown that high: each row whose measure differs from
  // its estimate re-lays the list out from there to its end, and a loading row that grows when it
  // loads moves every row below it.
  // A measured row keeps its measure as its estimate: the virtualizer records only measures
  // that differ from the estimate, so a row measured at the typical height would otherwise
  // move with the typical height (offline rows grow a dot) and leave a gap its DOM never shows.
  const measured = useRef(new Map<string, number>());
  // The same function while the items are the same: the virtualizer lays every item out again
  // (10,000 estimates) whenever its key function changes, which was every render.
  const getItemKey = useCallback((i: number) => items[i]?.key ?? i, [items]);
  const virtualizer = useWindowVirtualizer({
    count: items.length,
    estimateSize: (i) => {
      const item = items[i];
      return (
        (item && measured.current.get(item.key)) ??
        (item?.kind === 'head' ? HEAD : rowSizes.typical(rowsOf))
      );
    },
    measureElement: (el, entry, instance) => {
      const size = measureElement(el, entry, instance);
      const key = items[instance.indexFromElement(el)]?.key;
      if (key !== undefined) measured.current.set(key, size);
      // (its width costs no layout: the row's height was just read)
      if (el.classList.contains('task-item') && !el.firstElementChild?.matches('.placeholder'))
        rowSizes.add(rowsOf, size, el.getBoundingClientRect().width);
      return size;
    },
    getItemKey,
    overscan: 6,
    scrollMargin: margin,
    rangeExtractor,
    // The sticky header (and a section heading under it) and the status bar, notices and
    // toasts cover the window's ends: j/k stop short of them (the bottom is read again as a key
    // scrolls: see `focusIndex`).
    scrollPaddingStart: insetTop + HEAD + CLEAR,
    scrollPaddingEnd: insets().bottom + CLEAR,
  });

  // Rows as last read, by id (filled below, after the windows on screen are read).
  const seen = useRef(new Map<string, Task>());

  // The keyboard cursor: a task id (and its last index, for when the task leaves), read and set
  // at the key press, never from the last render's state or from where focus has got to yet.
  const cursor = useRef<{ id: string | null; index: number }>({ id: null, index: -1 });
  // The task whose row last had focus: its title is the list's Tab stop (see `tabStop` below).
  const [stopId, setStopId] = useState<string | null>(null);
  const indexOf = useCallback((id: string) => list.indexOf(id), [list]);
  // What the keys act on: the list as last committed (a key may come before the next render).
  const committed = useRef({ items, indexOf });
  // Where rows just left it (see `placeOf`).
  const [left] = useState(() => createLeftPlaces(FOCUS_REQUEST_TTL_MS));
  const placeOf = (id: string) => {
    const i = committed.current.indexOf(id);
    return i >= 0 ? i : left.of(id);
  };
  // When the cursor was last set: a scroll since then means the user left its row behind.
  const cursorSetAt = useRef(0);
  const setCursorAt = (i: number) => {
    cursorSetAt.current = Date.now();
    const item = committed.current.items[i];
    cursor.current = item?.kind === 'task' ? { id: item.id, index: i } : { id: null, index: -1 };
  };

  // Whether the keyboard is on the list: focus came into a row and the user has not taken it
  // elsewhere since (a click outside the list, Tab out of it). A row removed with focus in it
  // leaves focus on the page (its focusout has no relatedTarget) but the keyboard still here.
  const holdsKeys = useRef(false);
  useEffect(() => {
    const down = (e: PointerEvent) => {
      if (!listRef.current?.contains(e.target as Node)) holdsKeys.current = false;
    };
    document.addEventListener('pointerdown', down, true);
    return () => document.removeEventListener('pointerdown', down, true);
  }, []);

  // Focus follows the cursor: at once when its row is in the DOM, else once it is rendered —
  // if focus is free then (see below); wanted by a key (`wantedBy`), if the user has done
  // nothing else since the key was pressed either.
  const focusWanted = useRef(0);
  const wantedBy = useRef<Press | null>(null);
  const focusCursor = useCallback((press?: Press) => {
    const { id } = cursor.current;
    const el =
      id === null
        ? null
        : listRef.current?.querySelector<HTMLElement>(`[data-task-id="${id}"] .task-title`);
    if (el) el.focus({ preventScroll: true });
    focusWanted.current = el || id === null ? 0 : Date.now();
    wantedBy.current = focusWanted.current ? (press ?? null) : null;
  }, []);
  /**
   * Whether a key pressed a while ago (before this list or its rows were there) may still take
   * focus: nothing but list keys pressed and nothing clicked since, and focus is where the key
   * left it (not in a field: a user who went on to type keeps their field) or on nothing (the
   * page, or this list).
   */
  const keyMayFocus = (press: Press): boolean => {
    const active = document.activeElement;
    const free = !active || active === document.body || !!listRef.current?.contains(active);
    return (
      listCommands.untouched(press) && (free || (active === press.from && !isTypingTarget(active)))
    );
  };
  // Keys pressed before this list was shown (the project still being read) run once it is.
  const [shownAfter] = useState(() => listCommands.inputs());
  const focusIndex = (i: number, press?: Press, bringIntoView = true) => {
    const setAt = cursorSetAt.current;
    setCursorAt(i);
    // Moved for the user out of sight (the row they scrolled away from left): still left behind,
    // so the next row to leave from under the cursor does not pull the window back to it.
    if (!bringIntoView) cursorSetAt.current = setAt;
    if (cursor.current.id === null) return;
    if (bringIntoView) {
      // A toast shown since the last render (it re-renders nothing) covers the bottom too.
      const end = insets().bottom + CLEAR;
      if (virtualizer.options.scrollPaddingEnd !== end)
        virtualizer.setOptions({ ...virtualizer.options, scrollPaddingEnd: end });
      virtualizer.scrollToIndex(i, { align: 'auto' });
    }
    focusCursor(press);
  };

  // Focus requests (after undo, delete, closing the detail) wait until the row exists; a key
  // pressed meanwhile waits for them.
  const request = useSyncExternalStore(focusRequest.subscribe, focusRequest.getSnapshot);
  // A task asked for that is not listed: read as the database now holds it, to tell whether its
  // row is coming. Not from the list's windows: a request made after a local write (an undo)
  // comes before Dexie announces that write to them (see `useStoredTask`).
  const awaited =
    request && 'taskId' in request && indexOf(request.taskId) < 0 ? request.taskId : null;
  const awaitedTask = useStoredTask(awaited, request);
  // When the user last moved the window themselves (see `userMoved` below).
  const userMovedAt = useRef(0);
  const rendered = request;
  const takeRequest = () => {
    const request = focusRequest.getSnapshot();
    if (!request) return;
    if (Date.now() - request.at >= FOCUS_REQUEST_TTL_MS) return focusRequest.set(null);
    // Scrolled away meanwhile (a tick's write landing after the user moved on): the cursor
    // still moves to its row, but the window stays where the user took it.
    const inView = userMovedAt.current < request.at;
    if ('taskId' in request) {
      const i = indexOf(request.taskId);
      if (i < 0) {
        // Not in the list yet (an undone delete is coming back): try again on change — unless
        // this list does not show the task as it now is; then its row is not coming.
        const task = request === rendered ? awaitedTask : undefined;
        if (!task || shows(task)) return;
        focusRequest.set(null);
        // It just left this list (an undo that takes it out of the search shown): the row now
        // in its place takes focus, as when a row leaves with focus in it.
        const at = left.of(request.taskId);
        const i = at < 0 ? -1 : takePlace(items, at);
        if (i >= 0) focusIndex(i, undefined, inView);
        return;
      }
      focusRequest.set(null);
      focusIndex(i, undefined, inView);
    } else {
      // The leaving row is still in its place until the mirror catches up.
      if (request.leaving && indexOf(request.leaving) === request.index) return;
      focusRequest.set(null);
      // Gone up into a section above (reopened from Completed): the rows between moved down one,
      // so the row that followed it is one further on than its old index.
      const now = request.leaving ? indexOf(request.leaving) : -1;
      const i = takePlace(
        items,
        now >= 0 && now < request.index ? request.index + 1 : request.index,
      );
      if (i >= 0) focusIndex(i, undefined, inView);
    }
  };

  const view: ListView = {
    has: (id) => committed.current.indexOf(id) >= 0,
    row: (id) => seen.current.get(id),
  };
  const results = sections.some((s) => s.status === 'results');
  // The last task ticked here, and the section it left.
  const ticked = useRef<{ id: string; from: TaskStatus } | null>(null);
  // A completed (or reopened) row leaves its section: focus moves to the row taking its place.
  // The same function while the list changes (its place is read from the list as committed), so
  // a change of the list does not render every row on screen again.
  const toggle = useCallback(
    (task: Task, done: boolean, byKey = false) => {
      const row = listRef.current?.querySelector(`[data-task-id="${task.id}"]`);
      const hadFocus = byKey || (row?.contains(document.activeElement) ?? false);
      const at = committed.current.indexOf(task.id);
      if (hadFocus && at >= 0 && !results) requestFocus({ index: at, leaving: task.id });
      ticked.current = { id: task.id, from: task.status };
      const mine = focusRequest.getSnapshot();
      // Keys wait until the row shows its new state (or has left a list of results).
      const end = listCommands.waitFor(
        (v) => !v.has(task.id) || v.row(task.id)?.status === (done ? 'done' : 'todo'),
      );
      const result = onToggle(task, done);
      result.catch(() => {
        end();
        if (mine && focusRequest.getSnapshot() === mine) focusRequest.set(null);
      });
      return result;
    },
    [onToggle, results],
  );

  const selectionRef = useRef(selection);
  selectionRef.current = selection;
  // A click that selects (see TaskRow): the range starts at the cursor as it was, then the
  // cursor (and focus) is on the clicked row. The same function while the list changes.
  const select = useCallback(
    (id: string, how: 'toggle' | 'range') => {
      const before = cursor.current.id;
      selectionRef.current?.onSelect(id, how, before);
      const i = committed.current.indexOf(id);
      if (i < 0) return;
      setCursorAt(i);
      focusCursor();
      holdsKeys.current = true;
    },
    [focusCursor],
  );

  /** The end of the items a key moves towards: past the last (j, End) or before the first. */
  const end = (command: ListCommand) =>
    command === 'next' || command === 'last' || command === 'extend-next' || command === 'page-down'
      ? committed.current.items.length
      : -1;
  const run = (command: ListCommand, press: Press): boolean => {
    const { id } = cursor.current;
    const from = id === null ? -1 : committed.current.indexOf(id);
    // A key pressed before the list was shown, when the user has gone on to something else
    // since (a click, another key, typing in a field), is dropped.
    if (press.input <= shownAfter && !keyMayFocus(press)) return true;
    switch (command) {
      case 'next':
      case 'previous': {
        const i = step(committed.current.items, from, command === 'next' ? 1 : -1);
        // Rows on the way not read yet (the head of a section shown, its ids still coming): the
        // key waits for them rather than jumping over them.
        if (unreadBetween(committed.current.items, from, i < 0 ? end(command) : i)) return false;
        if (i >= 0) focusIndex(i, press);
        return true;
      }
      case 'first':
      case 'last': {
        const i = edge(committed.current.items, command);
        const { items: all } = committed.current;
        if (
          command === 'first'
            ? unreadBetween(all, -1, i < 0 ? all.length : i)
            : unreadBetween(all, i, all.length)
        )
          return false;
        if (i < 0) return true;
        if (command === 'first') {
          // The list's top is the page's: Home shows the page from its top (the project's name,
          // its quick add), as a page's Home does, rather than the first row under the header.
          window.scrollTo(0, 0);
          focusIndex(i, press, false);
          cursorSetAt.current = Date.now();
        } else focusIndex(i, press);
        return true;
      }
      case 'page-down':
      case 'page-up': {
        // A page: the rows the window shows between the sticky header and what covers its foot.
        const { scrollPaddingStart, scrollPaddingEnd } = virtualizer.options;
        const height = Math.max(1, window.innerHeight - scrollPaddingStart - scrollPaddingEnd);
        const sizes = virtualizer.measurementsCache;
        const i = pageStep(
          committed.current.items,
          from,
          command === 'page-down' ? 1 : -1,
          (k) => sizes[k]?.start ?? 0,
          height,
        );
        if (unreadBetween(committed.current.items, from, i < 0 ? end(command) : i)) return false;
        if (i >= 0) focusIndex(i, press);
        return true;
      }
      case 'extend-next':
      case 'extend-previous': {
        const i = step(committed.current.items, from, command === 'extend-next' ? 1 : -1);
        if (unreadBetween(committed.current.items, from, i < 0 ? end(command) : i)) return false;
        const item = committed.current.items[i];
        if (item?.kind !== 'task') return true;
        selectionRef.current?.onSelect(item.id, 'range', from < 0 ? null : id, true);
        focusIndex(i, press);
        return true;
      }
      case 'select':
        if (from >= 0) selectionRef.current?.onSelect(id!, 'toggle', id);
        return true;
      case 'toggle': {
        if (from < 0) return true;
        const task = seen.current.get(id!);
        if (!task) return false; // Its row is still being read: the key waits for it.
        void toggle(task, task.status !== 'done', true).catch(() => undefined);
        return true;
      }
      case 'open':
        if (from >= 0) onOpen(id!);
        return true;
      default:
        return unreachable(command);
    }
  };
  // Tasks added here whose row is awaited (see whenListed).
  const listedWatch = useRef(new Map<string, { then(onScreen: boolean): void; at: number }>());
  const checkListed = () => {
    for (const [id, watch] of listedWatch.current) {
      const i = committed.current.indexOf(id);
      const late = Date.now() - watch.at >= FOCUS_REQUEST_TTL_MS;
      if (i < 0 && !late) continue;
      listedWatch.current.delete(id);
      const row = i < 0 ? undefined : virtualizer.measurementsCache[i];
      watch.then(row !== undefined && onScreen(row));
    }
  };

  // A focus request still waiting for its row holds the keys (they then start from that row).
  const focusPending = () => {
    const request = focusRequest.getSnapshot();
    return request !== null && Date.now() - request.at < FOCUS_REQUEST_TTL_MS;
  };
  const drain = () => listCommands.drain(view, focusPending, run);
  useSyncExternalStore(listCommands.subscribe, listCommands.getSnapshot);

  // After every commit: the cursor keeps its task (or takes the place of one that left), then
  // waiting focus and keys are served from the list as it now is.
  const wasResults = useRef(results);
  // The row at the top of the window and where it stood, as of the last commit.
  // The rows under it: the first still listed holds the place when the top one leaves.
  const anchor = useRef<{
    items: readonly Item[];
    id: string;
    start: number;
    /** The page's scroll it was seen at. */
    offset: number;
    /** Its section's heading (see `sectionOf`). */
    section: string | undefined;
    next: { id: string; start: number }[];
  } | null>(null);
  // When the page last scrolled: the rows under a row that left hold the place only in a still
  // window (scrolled by script, the list's own measures would be fought: see 706bd34).
  const scrolledAt = useRef(0);
  useEffect(() => {
    const scrolled = () => (scrolledAt.current = performance.now());
    window.addEventListener('scroll', scrolled, { passive: true });
    return () => window.removeEventListener('scroll', scrolled);
  }, []);
  const [shownAt] = useState(Date.now);
  // The task a link opened the list at (see below), until its row is brought into view.
  const linked = useRef(openId);
  // The place last told (as JSON), and whether a place is being taken back (its scroll waits
  // for the next frame).
  const told = useRef('');
  const restoring = useRef(false);
  // A place just taken back, placed again as the list changes until the user scrolls or
  // `until` passes (see below), and the scroll it left.
  const settling = useRef<{ rows: ListPlace['rows']; until: number; scrollY: number } | null>(null);
  // Whether the user has moved the window (a wheel, a touch, a key, the scrollbar) since the list
  // was shown: a place or a link still waiting for its rows is then given up, and a place just
  // taken back is not placed again — the list never pulls the user back from where they went.
  const userMoved = useRef(false);
  useEffect(
    () =>
      watchUserScroll(() => {
        userMoved.current = true;
        userMovedAt.current = Date.now();
        settling.current = null;
      }),
    [],
  );
  /** Scrolls the first of `rows` still listed to where it stood; false for none listed. */
  const placeAt = (rows: ListPlace['rows']): boolean => {
    const { indexOf } = committed.current;
    const row = rows.find((r) => indexOf(r.id) >= 0);
    const start = row && virtualizer.measurementsCache[indexOf(row.id)]?.start;
    const list = listRef.current;
    if (!row || start === undefined || !list) return false;
    // Where the list stands on the page now: its margin is not measured again while the page
    // scrolls (the browser's own restoring of a Back scrolls it too).
    const listTop = list.getBoundingClientRect().top + window.scrollY;
    const rowTop = listTop + start - virtualizer.options.scrollMargin;
    window.scrollTo(0, rowTop - row.y - insets().top);
    // The virtualizer reads that scroll a frame later: until then, its offset is the old one.
    placedAt.current = { scrollY: window.scrollY, until: Date.now() + FOCUS_REQUEST_TTL_MS };
    return true;
  };
  const tellPlace = useRef(props.onPlace);
  tellPlace.current = props.onPlace;
  const taking = useRef(false);
  const placedAt = useRef<{ scrollY: number; until: number } | null>(null);
  const tell = useCallback(() => {
    // Not from a list hidden while the next screen loads (the page's scroll is that screen's),
    // nor before the virtualizer has read the scroll a place was taken back with.
    for (let el: HTMLElement | null = listRef.current; el; el = el.parentElement)
      if (el.style.display === 'none') return;
    const placed = placedAt.current;
    if (placed && Date.now() < placed.until) {
      if (Math.abs((virtualizer.scrollOffset ?? 0) - placed.scrollY) >= 1) return;
      placedAt.current = null;
    }
    // The rows at the window's top as the virtualizer last saw the scroll, below the header.
    const { items } = committed.current;
    const top = (virtualizer.scrollOffset ?? 0) + insets().top;
    const shown = virtualizer.getVirtualItems();
    const f = shown.findIndex((v) => v.end > top);
    const rows: { id: string; y: number }[] = [];
    const add = (v: (typeof shown)[number]) => {
      const it = items[v.index];
      if (it?.kind === 'task') rows.push({ id: it.id, y: Math.round((v.start - top) * 10) / 10 });
    };
    if (f >= 0 && top > virtualizer.options.scrollMargin) {
      shown.slice(f, f + PLACE_BELOW).forEach(add);
      shown
        .slice(Math.max(0, f - PLACE_ABOVE), f)
        .reverse()
        .forEach(add);
    }
    const at: ListPlace = { cursor: cursor.current.id, rows };
    const json = JSON.stringify(at);
    if (json === told.current) return;
    told.current = json;
    tellPlace.current?.(at);
  }, [virtualizer]);
  // Reaching the section tabs scrolls the page to its top: the rows at the top then say the
  // list's top, and the cursor says better where one was. Not while a place is taken back.
  useLayoutEffect(
    () => () => {
      if (!taking.current) tell();
    },
    [tell],
  );
  useLayoutEffect(() => {
    const changed = committed.current.items !== items;
    if (changed) left.replaced(committed.current.indexOf);
    committed.current = { items, indexOf };
    const c = cursor.current;
    // Rows added or removed above it (a teammate's tick, an undo out of sight) leave what is
    // being read where it is instead of moving it; not when this list's own focus or keys move
    // it, nor from a search to the whole list (see below), nor at the list's top.
    const a = anchor.current;
    const s = settling.current;
    let placed = false;
    if (s && changed) {
      // (a pixel or two: rows measured above the window move it that much)
      if (Date.now() < s.until && Math.abs(window.scrollY - s.scrollY) <= 2 && placeAt(s.rows))
        s.scrollY = window.scrollY;
      else settling.current = null;
      placed = settling.current !== null;
    }
    const found =
      a && a.items !== items && wasResults.current === results && !focusPending() && !placed
        ? indexOf(a.id)
        : -1;
    // The top row gone into another section (ticked with Completed open) left its place as a
    // row gone from the list does: the window is not taken after it to Completed.
    const at = found >= 0 && sectionOf(found) !== a!.section ? -1 : found;
    let moved = at >= 0 ? (virtualizer.measurementsCache[at]?.start ?? a!.start) - a!.start : 0;
    // The top row left (a teammate ticked it): the first of the rows under it still listed in its
    // section holds the place — only when the list changed under a still window (no scroll for a
    // while, none since the virtualizer last read it) and not at the page's top, where the list
    // simply shows its new first row. One scroll, this one, per change.
    if (
      a &&
      at < 0 &&
      a.items !== items &&
      wasResults.current === results &&
      !focusPending() &&
      !placed &&
      performance.now() - scrolledAt.current > STILL_MS &&
      window.scrollY > 0 &&
      Math.abs(window.scrollY - a.offset) < 1 &&
      Math.abs((virtualizer.scrollOffset ?? 0) - a.offset) < 1
    ) {
      const row = a.next.find((r) => {
        const i = indexOf(r.id);
        return i >= 0 && sectionOf(i) === a.section;
      });
      const start = row && virtualizer.measurementsCache[indexOf(row.id)]?.start;
      if (row && start !== undefined) moved = start - row.start;
    }
    if (Math.abs(moved) >= 1 && !listCommands.waiting()) {
      // A list grown shorter above the window (rows estimated again at a smaller height) has
      // already pulled a page scrolled to its end up by the browser, as far as the page lost:
      // moved from where the page was, not a second time from there (from the end of 10,000
      // rows, a quick add left the page some 2,000 rows up the list, its row out of sight).
      const y = window.scrollY;
      const end = document.documentElement.scrollHeight - window.innerHeight;
      const from = y < a!.offset && y >= end - 1 ? a!.offset : y;
      // Through the virtualizer, which then forgets a scroll of its own the browser cut short
      // as the page shrank (a row above measured meanwhile): written directly, that one was
      // written again at the next render, and a page near the list's end was taken to its end.
      virtualizer.scrollToOffset(from + moved);
    }
    // A search cleared: the task the cursor was on (or, ticked done meanwhile, the one now in
    // its place) stays in view instead of the whole list opening at its top, and takes focus if
    // focus fell to the page (its row, or Clear, left). A focus request (Show on a quick add's
    // toast) goes where it asks instead.
    const i =
      wasResults.current && !results && c.id !== null && !focusRequest.getSnapshot()
        ? ticked.current?.id === c.id && indexOf(c.id) < 0
          ? placeIn(items, ticked.current.from, c.id)
          : indexOf(c.id)
        : -1;
    wasResults.current = results;
    if (i >= 0) {
      setCursorAt(i);
      // In the next frame: a search cleared by typing has the browser scroll the field (its
      // caret) into view after this commit.
      requestAnimationFrame(() => virtualizer.scrollToIndex(i, { align: 'center' }));
      const active = document.activeElement;
      if (active === null || active === document.body || active === listRef.current) focusCursor();
    }
    if (c.id !== null) {
      const i = indexOf(c.id);
      if (i >= 0) c.index = i;
      else {
        // Its row went with focus in it (focus fell to the page): the row in its place takes both.
        const active = document.activeElement;
        const lost =
          holdsKeys.current &&
          (active === null || active === document.body || active === listRef.current);
        // Not brought into view if the user scrolled away from it since (the tick's write
        // landed after they moved on).
        if (lost)
          focusIndex(
            takePlace(items, c.index),
            undefined,
            userMovedAt.current < cursorSetAt.current,
          );
        else cursor.current = { id: null, index: -1 };
      }
    }
    // The place this list was left at: the cursor is on its task again (j goes on from there)
    // and its row is in view — in the next frame, after the screen's heading took focus (which
    // scrolls the page to it). Not waited for past a focus request's life, nor once every row's
    // id is read without it.
    if (place) {
      // The top row, else the cursor's, is awaited; then the first of the rows still listed.
      const first = place.rows[0]?.id ?? place.cursor;
      const late = Date.now() - shownAt >= FOCUS_REQUEST_TTL_MS;
      // Moved by the user meanwhile: given up (the cursor is still on its task, if listed).
      const moved = userMoved.current;
      if (
        moved ||
        (first !== null && indexOf(first) >= 0) ||
        late ||
        !items.some((it) => it.kind === 'pending')
      ) {
        onPlaced?.();
        const row = place.rows.find((r) => indexOf(r.id) >= 0);
        const c = place.cursor === null ? -1 : indexOf(place.cursor);
        if (c >= 0 && !late && cursor.current.id === null) setCursorAt(c);
        if ((row || c >= 0) && !late && !moved) {
          restoring.current = true;
          requestAnimationFrame(() => {
            restoring.current = false;
            if (userMoved.current) return;
            const placed = row !== undefined && placeAt(place.rows);
            // The cursor's row out of that window (the page scrolled to the section tabs on
            // the way out): in view, as the keys go on from it.
            const i = place.cursor === null ? -1 : committed.current.indexOf(place.cursor);
            const cursorRow = i >= 0 ? virtualizer.measurementsCache[i] : undefined;
            if (i >= 0 && (!cursorRow || !onScreen(cursorRow))) {
              placedAt.current = null;
              virtualizer.scrollToIndex(i, { align: 'center' });
            } else if (placed) {
              // The list read first may be older than the replica (a list read before, kept
              // while the screen was away): until the user scrolls, it is placed again as it
              // changes, a short while.
              settling.current = {
                rows: place.rows,
                until: Date.now() + FOCUS_REQUEST_TTL_MS,
                scrollY: window.scrollY,
              };
            }
          });
        }
      }
    }
    // A link to a task (the list opened with it open, its place not taken back): its row is
    // brought into view once it is listed, if it is not in view — in the next frame, after the
    // screen's heading took focus. Not once another task is opened, nor past a focus request's
    // life, nor once every row's id is read without it, nor once the user moved the window.
    const link = linked.current;
    if (link !== null) {
      const i = place || openId !== link ? -1 : indexOf(link);
      const late = Date.now() - shownAt >= FOCUS_REQUEST_TTL_MS;
      const waiting = items.some((it) => it.kind === 'pending');
      const moved = userMoved.current;
      if (i >= 0 || place || openId !== link || late || !waiting || moved) linked.current = null;
      if (i >= 0 && !moved)
        requestAnimationFrame(() => {
          if (userMoved.current) return;
          const at = committed.current.indexOf(link);
          const row = at >= 0 ? virtualizer.measurementsCache[at] : undefined;
          if (at >= 0 && (!row || !onScreen(row)))
            virtualizer.scrollToIndex(at, { align: 'center' });
        });
    }
    takeRequest();
    checkListed();
    // Still wanted, and focus has not gone elsewhere meanwhile: it is on nothing (the page, or
    // this list); for a key, also still where the key left it (the screen's heading, as a
    // project just opened draws its rows) if nothing else was done since.
    const active = document.activeElement;
    const free = !active || active === document.body || listRef.current?.contains(active);
    const by = wantedBy.current;
    if (
      focusWanted.current &&
      Date.now() - focusWanted.current < FOCUS_REQUEST_TTL_MS &&
      (by ? keyMayFocus(by) : free)
    )
      focusCursor(by ?? undefined);
    drain();
    // The scroll as the virtualizer last saw it (reading the window's would force a layout),
    // below the header.
    const top = (virtualizer.scrollOffset ?? 0) + insetTop;
    const shown = virtualizer.getVirtualItems();
    const f = shown.findIndex((v) => v.end > top);
    const first = shown[f];
    const item = first && top > virtualizer.options.scrollMargin ? items[first.index] : undefined;
    const next: { id: string; start: number }[] = [];
    for (const v of shown.slice(f + 1, f + 1 + NEXT_ROWS)) {
      const it = items[v.index];
      if (it?.kind === 'task') next.push({ id: it.id, start: v.start });
    }
    anchor.current =
      item?.kind === 'task'
        ? {
            items,
            id: item.id,
            start: first!.start,
            next,
            offset: virtualizer.scrollOffset ?? 0,
            section: sectionOf(first!.index),
          }
        : null;
    // Where the list is, once a scroll or change has settled (not while a place is taken back).
    taking.current = !!place || restoring.current;
    if (!taking.current && !virtualizer.isScrolling) tell();
  });
  // The cursor's row scrolled out of the rendered range (the wheel, a drag of the scrollbar)
  // with focus in it: the row is gone from the DOM and focus fell to the page. The list itself
  // takes it (without scrolling), so the keyboard stays here: j/k, Enter and x go on from the
  // cursor, which is still on that task. (A row that left the list is another case: above.)
  // Drawn again (wheeled back to; out of the drawn rows only for a moment, as a teammate's
  // change took many rows above it away), the row takes focus back, and shows it.
  useLayoutEffect(() => {
    const { id } = cursor.current;
    const active = document.activeElement;
    const list = listRef.current;
    if (!list || !holdsKeys.current || id === null) return;
    if (active && active !== document.body && active !== list) return;
    if (committed.current.indexOf(id) < 0) return;
    const row = list.querySelector<HTMLElement>(`[data-task-id="${id}"] .task-title`);
    // Drawn: the row takes focus from the list, or from the page when its element was replaced
    // in the same render (out of the drawn rows and back, or keyed anew: focus fell to the page
    // with the element, and no render without the row came between to give it to the list).
    if (row) row.focus({ preventScroll: true });
    else if (active !== list) list.focus({ preventScroll: true });
  });

  useImperativeHandle(ref, () => ({
    drain,
    indexOf,
    placeOf,
    cursor() {
      const { id } = cursor.current;
      return id !== null && committed.current.indexOf(id) >= 0 ? id : null;
    },
    takeFocus() {
      const { id } = cursor.current;
      const i = id === null ? -1 : committed.current.indexOf(id);
      if (i >= 0) return focusIndex(i);
      listRef.current?.focus({ preventScroll: true });
    },
    focusFirst() {
      const i = step(committed.current.items, -1, 1);
      if (i < 0) return false;
      focusIndex(i);
      return true;
    },
    whenListed(id, then) {
      listedWatch.current.set(id, { then, at: Date.now() });
      checkListed();
    },
  }));

  // The rows in the window, and the stuck heading (see `rangeExtractor`). First: it measures
  // the items as they now are, which the heading stuck is read from.
  const virtualItems = virtualizer.getVirtualItems();
  // The heading stuck under the header: the last one whose place scrolled up past it. The next
  // heading, coming up, pushes it out of the way rather than sliding under it.
  const offset = virtualizer.scrollOffset ?? 0;
  let stuck = -1;
  for (const h of heads) {
    const at = virtualizer.measurementsCache[h];
    if (!at || at.start >= offset + insetTop) break;
    stuck = h;
  }
  const next = stuck >= 0 ? heads[heads.indexOf(stuck) + 1] : undefined;
  const nextAt = next === undefined ? undefined : virtualizer.measurementsCache[next];
  const stuckTop = Math.min(
    insetTop,
    nextAt
      ? nextAt.start - offset - (virtualizer.measurementsCache[stuck]?.size ?? HEAD)
      : insetTop,
  );
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
  for (const [id, t] of known) seen.current.set(id, t);
  for (const [id, t] of loaded) seen.current.set(id, t);
  if (seen.current.size > 4 * ROW_WINDOW) {
    for (const id of seen.current.keys()) {
      if (seen.current.size <= 2 * ROW_WINDOW) break;
      if (!loaded.has(id)) seen.current.delete(id);
    }
  }
  // The list is one Tab stop (a roving tabindex): the title of the row the keyboard was last on
  // (else the open task's); that row not drawn (scrolled away, or gone), the first drawn row in
  // view. Tab goes on past the list; the keys move between its rows.
  const drawn = (i: number) => {
    const item = items[i];
    return (
      item?.kind === 'task' &&
      (loaded.has(item.id) || known.has(item.id) || seen.current.has(item.id))
    );
  };
  const stopFor = stopId ?? openId;
  const stopAt = stopFor === null ? -1 : indexOf(stopFor);
  const inView = virtualItems.filter((v) => drawn(v.index) && v.end > offset + insetTop + HEAD);
  const tabStop =
    virtualItems.some((v) => v.index === stopAt) && drawn(stopAt)
      ? stopAt
      : ((inView[0] ?? virtualItems.find((v) => drawn(v.index)))?.index ?? -1);

  return (
    <div
      ref={listRef}
      className="task-list"
      role={grid ? 'grid' : 'list'}
      aria-label="Tasks"
      aria-multiselectable={grid || undefined}
      aria-rowcount={grid ? items.length : undefined}
      style={{ height: virtualizer.getTotalSize() }}
      // Focusable by script only (takeFocus): the keyboard is on the list, no row designated.
      tabIndex={-1}
      onFocus={(e) => {
        // Focus moved into a row (Tab, a click, our own focusing): the cursor is on that task.
        const at = e.target.closest<HTMLElement>('[data-index]')?.dataset['index'];
        const item = at === undefined ? undefined : committed.current.items[Number(at)];
        if (item?.kind !== 'task') return;
        setCursorAt(Number(at));
        focusWanted.current = 0;
        holdsKeys.current = true;
        setStopId(item.id);
      }}
      onBlur={(e) => {
        if (e.relatedTarget && !listRef.current?.contains(e.relatedTarget))
          holdsKeys.current = false;
      }}
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
            role={grid ? 'row' : 'listitem'}
            // A grid's rows are counted with the headings' rows (a row's position is a grid's).
            aria-rowindex={grid ? v.index + 1 : undefined}
            aria-selected={grid && item.kind === 'task' ? selection.ids.has(item.id) : undefined}
            aria-setsize={!grid && item.kind !== 'head' ? taskCount : undefined}
            aria-posinset={!grid && item.kind !== 'head' ? positionOf(v.index) : undefined}
            className={
              item.kind !== 'head'
                ? 'task-item'
                : v.index === stuck
                  ? 'task-section stuck'
                  : 'task-section'
            }
            style={
              v.index === stuck
                ? { position: 'sticky', top: stuckTop }
                : {
                    transform: `translateY(${v.start - virtualizer.options.scrollMargin}px)`,
                    height: item.kind !== 'head' && !task ? rowSizes.typical(rowsOf) : undefined,
                  }
            }
          >
            {item.kind === 'head' ? (
              <Cell grid={grid}>
                {item.status === 'done' ? (
                  <button
                    type="button"
                    className="section-toggle"
                    aria-expanded={!sections.find((s) => s.status === 'done')?.collapsed}
                    onClick={onToggleCompleted}
                  >
                    {TITLE.done} ({count(item.count)})
                  </button>
                ) : item.label !== undefined ? (
                  // Under the results' count: one project's results.
                  <h4 className="task-group">
                    {item.label} ({count(item.count)})
                  </h4>
                ) : (
                  <h3>
                    {item.status === 'results'
                      ? `${count(item.count)} matching task${item.count === 1 ? '' : 's'}`
                      : `${TITLE[item.status]} (${count(item.count)})`}
                  </h3>
                )}
              </Cell>
            ) : item.kind === 'pending' ? (
              <div
                className="task-row placeholder"
                role={grid ? 'gridcell' : undefined}
                aria-busy="true"
                aria-label="Loading task"
              />
            ) : (
              <TaskRow
                task={task}
                users={users}
                unsent={unsent?.has(item.id) ?? false}
                active={openId === item.id}
                today={today}
                showStatus={results}
                onOpen={onOpen}
                onToggle={toggle}
                cell={grid}
                selected={selection?.ids.has(item.id) ?? false}
                picking={selection?.picking ?? false}
                onSelect={grid ? select : undefined}
                words={words}
                tabStop={v.index === tabStop}
              />
            )}
          </div>
        );
      })}
    </div>
  );
});

/** A heading's cell in a grid (in a plain list, the heading alone). */
function Cell({ grid, children }: { grid: boolean; children: ReactNode }) {
  return grid ? (
    <div role="gridcell" className="task-section-cell">
      {children}
    </div>
  ) : (
    <>{children}</>
  );
}

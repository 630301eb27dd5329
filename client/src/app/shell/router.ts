import { unreachable } from '@outpost/shared';
import { useSyncExternalStore } from 'react';
import { DEFAULT_SORT, parseSort, type TaskSort } from '../screens/tasks/sort';

/**
 * Hash routes: they work offline from the cached shell with no server fallback, and the
 * service worker only ever has to serve one document.
 */
export type Route =
  | { name: 'projects' }
  /** `sort`: the list's order (`?sort=` in the hash), absent for the default. */
  | { name: 'project'; id: string; taskId?: string; sort?: TaskSort }
  /** The org's activity, or one row's history (`entityId`: a task's, read from the server). */
  | { name: 'activity'; entityId?: string }
  | { name: 'sync' }
  | { name: 'resources' }
  | { name: 'members' }
  /** Search across every project's tasks (with one task's detail open beside the results). */
  | { name: 'search'; taskId?: string }
  /** An address the app has no screen for (a mistyped or old link): said so, not Projects. */
  | { name: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const [path = '/', search = ''] = (hash.replace(/^#/, '') || '/').split('?', 2);
  // The default order is left out, as a URL naming an order this version does not know.
  const sort = parseSort(new URLSearchParams(search).get('sort'));
  const sorted = sort === DEFAULT_SORT ? {} : { sort };
  const task = /^\/projects\/([^/?#]+)\/tasks\/([^/?#]+)$/.exec(path);
  if (task?.[1] && task[2])
    return {
      name: 'project',
      id: decodeURIComponent(task[1]),
      taskId: decodeURIComponent(task[2]),
      ...sorted,
    };
  const project = /^\/projects\/([^/?#]+)$/.exec(path);
  if (project?.[1]) return { name: 'project', id: decodeURIComponent(project[1]), ...sorted };
  const found = /^\/search\/tasks\/([^/?#]+)$/.exec(path);
  if (found?.[1]) return { name: 'search', taskId: decodeURIComponent(found[1]) };
  if (path === '/search') return { name: 'search' };
  const history = /^\/activity\/([^/?#]+)$/.exec(path);
  if (history?.[1]) return { name: 'activity', entityId: decodeURIComponent(history[1]) };
  if (path === '/activity') return { name: 'activity' };
  if (path === '/sync') return { name: 'sync' };
  if (path === '/resources') return { name: 'resources' };
  if (path === '/members') return { name: 'members' };
  if (path === '/' || path === '/projects' || path === '/projects/') return { name: 'projects' };
  return { name: 'not-found', path };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'projects':
      return '#/';
    case 'project':
      return `#/projects/${encodeURIComponent(route.id)}${route.taskId ? `/tasks/${encodeURIComponent(route.taskId)}` : ''}${route.sort && route.sort !== DEFAULT_SORT ? `?sort=${route.sort}` : ''}`;
    case 'activity':
      return `#/activity${route.entityId ? `/${encodeURIComponent(route.entityId)}` : ''}`;
    case 'sync':
      return '#/sync';
    case 'resources':
      return '#/resources';
    case 'members':
      return '#/members';
    case 'search':
      return `#/search${route.taskId ? `/tasks/${encodeURIComponent(route.taskId)}` : ''}`;
    case 'not-found':
      return `#${route.path}`;
    default:
      return unreachable(route);
  }
}

function subscribe(fn: () => void) {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

/** The location a task was closed from, until the Back that closes it lands (see `closing`). */
let leaving: string | null = null;
if (typeof window !== 'undefined') window.addEventListener('hashchange', () => (leaving = null));

export function navigate(route: Route): void {
  leaving = null;
  window.location.hash = href(route);
}

/** Marks a history entry as a task opened over its list: the entry before it is that list. */
const OVER_LIST = 'outpost:over-list';

function isOverList(): boolean {
  const state: unknown = window.history.state;
  return typeof state === 'object' && state !== null && OVER_LIST in state;
}

/**
 * Opens a task over its list. The first one adds a history entry, so Back (a phone's back
 * gesture) closes it; going on to another task replaces that entry rather than stacking one
 * per task, so Back still returns to the list.
 */
export function openOver(route: Route): void {
  leaving = null;
  const current = parseRoute(window.location.hash);
  if (current.name === route.name && 'taskId' in current && current.taskId) {
    const over = isOverList();
    window.location.replace(href(route));
    if (over) window.history.replaceState({ [OVER_LIST]: true }, '');
    return;
  }
  window.location.hash = href(route);
  window.history.replaceState({ [OVER_LIST]: true }, '');
}

/**
 * Shows `route` in place of the current one, adding no history entry (a list's order changed:
 * Back leaves the list rather than stepping through each order tried). A task opened over its
 * list stays marked so (see `openOver`).
 */
export function replaceRoute(route: Route): void {
  leaving = null;
  const over = isOverList();
  window.location.replace(href(route));
  if (over) window.history.replaceState({ [OVER_LIST]: true }, '');
}

/**
 * A task is being closed: the Back that closes it (`closeTo`) has not landed yet — a moment
 * on a quick device, longer on a busy one. Keys pressed meanwhile act as if it were closed.
 */
export function closing(): boolean {
  return leaving !== null && leaving === window.location.hash;
}

/**
 * Closes a task (×, Escape, after a delete) back to `list`: back through the entry that
 * opened it when there is one, so Back afterwards leaves the list instead of reopening the
 * task (or showing a deleted one); else (a task opened from a link or a reload) in place.
 */
export function closeTo(list: Route): void {
  leaving = window.location.hash;
  if (!isOverList()) return window.location.replace(href(list));
  // The list's order may have changed while the task was open (`replaceRoute`): the entry
  // gone back to then takes the order the list has now.
  const want = href(list);
  window.addEventListener(
    'hashchange',
    () => {
      if (window.location.hash === want) return;
      const back = parseRoute(window.location.hash);
      if (list.name === 'project' && back.name === 'project' && back.id === list.id && !back.taskId)
        window.location.replace(want);
    },
    { once: true },
  );
  window.history.back();
}

import { activitySchema, type Activity } from '@outpost/shared';
import Dexie, { type ObservabilitySet } from 'dexie';
import { useEffect } from 'react';
import { parseRows, readTask, whenIdle } from '../../data';
import { useEngine } from '../engine/context';
import { count } from '../ui/count';
import { andList } from '../ui/format';
import { localStorageOrNull } from '../ui/local-storage';
import { named, toasts } from '../ui/toasts';
import { reportClientError } from '../ui/report-error';
import { navigate } from './router';
import { NO_QUERY } from '../screens/tasks/filter';
import { listViews, SEARCH_VIEW } from '../screens/tasks/view-state';

/** A task a teammate assigned to the reader, as it is now. */
export interface Assigned {
  taskId: string;
  projectId: string;
  title: string;
  /** Who assigned it (their name, "Someone" when not known). */
  by: string;
}

/**
 * The task a teammate's create or update gave to `me`: its id, or null. The reader's own
 * writes (any of their devices) are not news, and neither is a system write.
 */
export function assignedTo(a: Activity, me: string): string | null {
  if (a.entity !== 'task' || a.entityId === null) return null;
  if (a.action !== 'create' && a.action !== 'update') return null;
  if (a.actorId === null || a.actorId === me) return null;
  return a.changes.some((c) => c.field === 'assigneeId' && c.to === me) ? a.entityId : null;
}

/** What to tell: one task by name with "Open", or many in one line with "Show". */
export type AssignedToast =
  { kind: 'one'; message: string; task: Assigned } | { kind: 'many'; message: string };

/**
 * "Ana assigned “X” to you" for one; "Ana assigned you 5 tasks" (or "Ana and Bo", "Ana, Bo
 * and 2 others") when several arrive together — a first sync, a backlog after being away, a
 * batch — so the reader is told once, not flooded. Null when there is nothing to tell.
 */
export function assignedToast(list: readonly Assigned[]): AssignedToast | null {
  const [first] = list;
  if (!first) return null;
  if (list.length === 1)
    return {
      kind: 'one',
      message: `${named(first.by)} assigned “${first.title}” to you`,
      task: first,
    };
  const people = [...new Set(list.map((t) => named(t.by)))];
  const who =
    people.length > 3
      ? andList([...people.slice(0, 2), `${people.length - 2} others`])
      : andList(people);
  return { kind: 'many', message: `${who} assigned you ${count(list.length)} tasks` };
}

/** Assignments told in some tab of the reader's (`taskId@version`), newest last. */
export const toldKey = (orgId: string, me: string) => `outpost-assigned-told:${orgId}:${me}`;
const TOLD_MAX = 200;

/**
 * Of these assignments (`taskId@version`), those no tab has told yet, now marked told: read and
 * written in one go (`claimInOneTab` holds a Web Lock around it, so two tabs never both get one).
 */
export function claimUntold(
  storage: Storage | null,
  key: string,
  keys: readonly string[],
): string[] {
  if (!storage) return [...keys];
  let told: string[] = [];
  try {
    const v: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    if (Array.isArray(v)) told = v.filter((x): x is string => typeof x === 'string');
  } catch {
    // Unreadable: none told.
  }
  const fresh = keys.filter((k) => !told.includes(k));
  if (fresh.length > 0)
    try {
      storage.setItem(key, JSON.stringify([...told, ...fresh].slice(-TOLD_MAX)));
    } catch {
      // Storage full or blocked: this tab tells it; another may too.
    }
  return fresh;
}

/** `claimUntold` under the reader's lock: each assignment is told in one tab only. */
async function claimInOneTab(key: string, keys: readonly string[]): Promise<Set<string>> {
  const claim = () => new Set(claimUntold(localStorageOrNull(), key, keys));
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? locks.request(key, claim) : claim();
}

/** Quiet time after the last arrival before telling: a burst of pulled pages is one. */
const SETTLE_MS = 400;
/**
 * How much longer a tab in view but without focus waits before telling: with two windows of
 * the app side by side, the one the reader is using claims first (every tab sees the change
 * within milliseconds of the one that pulled it), so the toast shows where they look. With no
 * window focused (the reader in another app), the first tab in view tells, this much later.
 */
const UNFOCUSED_MS = 1200;
const SHOW_MS = 8000;
/** New activities are read when the page is next idle, this long after they were stored at most. */
const READ_WITHIN_MS = 200;

/**
 * Tells the reader when a change that arrives by sync assigns them a task: one toast (a polite
 * live region, as every toast) with "Open", or one summary with "Show" (the "Assigned to you"
 * view) when several arrive together or while the last such toast still shows. Activities this device had when the workspace opened
 * are old news; new ones are gathered while a sync runs and told once it is over, and only
 * tasks still open and still the reader's are told.
 */
export function useAssignedToYou(): void {
  const { replica, client, session } = useEngine();
  useEffect(() => {
    const me = session.user.id;
    const { db } = replica;
    let seen: number | null = null;
    // Each assigned task, with the version of the newest change that gave it to the reader.
    const pending = new Map<string, number>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    // The toast this tab last told, and the tasks it tells of.
    let told: { id: number; list: Assigned[] } | null = null;
    const idle = () => {
      const s = client.status.getSnapshot();
      return !s.syncing && s.download === null;
    };
    const tell = async () => {
      // A hidden tab keeps them until it shows, by when the tab in view has told them: each is
      // told in one tab only (the first to claim it), so in the one in view if there is one,
      // and of those in the focused one (`settle`).
      if (document.visibilityState === 'hidden') return;
      const entries = [...pending];
      pending.clear();
      const fresh = await claimInOneTab(
        toldKey(replica.orgId, me),
        entries.map(([id, v]) => `${id}@${v}`),
      );
      const list: Assigned[] = [];
      for (const [id, v] of entries) {
        if (!fresh.has(`${id}@${v}`)) continue; // told in another tab
        const task = await readTask(db, id);
        if (!task || task.assigneeId !== me || task.status === 'done') continue;
        const by = await lastAssigner(id);
        list.push({ taskId: id, projectId: task.projectId, title: task.title, by });
      }
      if (stopped || list.length === 0) return;
      // Told while the last one still shows (a teammate giving out tasks one after another):
      // that toast counts them all ("Ana assigned you 2 tasks"), in its place, rather than a
      // second toast stacked on it.
      const showing = told && toasts.left(told.id) !== null ? told : null;
      const all = [
        ...(showing?.list.filter((t) => !list.some((n) => n.taskId === t.taskId)) ?? []),
        ...list,
      ];
      const toast = assignedToast(all);
      if (!toast) return;
      const content = {
        message: toast.message,
        durationMs: SHOW_MS,
        // Once the task is open, in any way and in any tab, there is nothing left to offer.
        ...(toast.kind === 'one' ? { leadsTo: toast.task.taskId } : {}),
        action:
          toast.kind === 'one'
            ? {
                label: 'Open',
                run: () =>
                  navigate({
                    name: 'project',
                    id: toast.task.projectId,
                    taskId: toast.task.taskId,
                  }),
              }
            : {
                label: 'Show',
                run: () => {
                  listViews.update(me, SEARCH_VIEW, {
                    query: { ...NO_QUERY, status: 'open', assignee: me },
                  });
                  navigate({ name: 'search' });
                },
              },
      };
      const id = showing ? toasts.update(showing.id, content) : toasts.show(content);
      told = { id, list: all };
    };
    /** The name of whoever last gave this task to the reader (its newest such activity). */
    const lastAssigner = async (taskId: string): Promise<string> => {
      const rows = parseRows(
        activitySchema,
        await db.activities.where('entityId').equals(taskId).toArray(),
      );
      const by = rows
        .filter((a) => assignedTo(a, me))
        .sort((x, y) => y.version - x.version)[0]?.actorId;
      const user = by ? await db.users.get(by) : undefined;
      return user?.name ?? 'Someone';
    };
    // The database closed under a read: another tab upgraded it, and this one stops and offers
    // the reload (db.ts); there is nothing left to tell. Anything else is reported.
    const guarded = (run: () => Promise<void>) => () =>
      void run().catch((err: unknown) => {
        if (err instanceof Error && err.name === 'DatabaseClosedError') stopped = true;
        else reportClientError(err instanceof Error ? err : new Error(String(err)));
      });
    const settle = () => {
      clearTimeout(timer);
      if (pending.size === 0) return;
      timer = setTimeout(
        () => {
          if (idle() && !stopped) guarded(tell)();
        },
        SETTLE_MS + (document.hasFocus() ? 0 : UNFOCUSED_MS),
      );
    };
    const unStatus = client.status.subscribe(() => {
      if (idle()) settle();
    });
    const onVisibility = () => {
      if (document.visibilityState === 'visible' && idle()) settle();
    };
    document.addEventListener('visibilitychange', onVisibility);
    // Focused while waiting: tell at the focused tab's pace.
    window.addEventListener('focus', onVisibility);
    // Activities stored since the last read, read once the page is idle: a live query re-read
    // them in the commit's wake, one more transaction ahead of the views' reads (2 ms of a
    // teammate's change reaching the screen), for a toast told SETTLE_MS later anyway.
    const activities = `idb://${db.name}/activities/`;
    let cancelRead: (() => void) | null = null;
    const read = async () => {
      cancelRead = null;
      const rows = await db.activities
        .where('version')
        .above(seen ?? 0)
        .toArray();
      if (stopped) return;
      for (const r of rows) seen = Math.max(seen ?? 0, r.version);
      for (const a of parseRows(activitySchema, rows)) {
        const task = assignedTo(a, me);
        if (task) pending.set(task, Math.max(pending.get(task) ?? 0, a.version));
      }
      settle();
    };
    const readSoon = () => {
      if (cancelRead === null && seen !== null && !stopped)
        cancelRead = whenIdle(guarded(read), READ_WITHIN_MS);
    };
    const onMutated = (parts: ObservabilitySet) => {
      if (Object.keys(parts).some((p) => p.startsWith(activities))) readSoon();
    };
    Dexie.on('storagemutated', onMutated);
    guarded(async () => {
      // What this device already had is not news: only activities stored from now on are.
      const last = (await db.activities.orderBy('version').last())?.version ?? 0;
      if (stopped) return;
      seen = last;
      readSoon();
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      cancelRead?.();
      Dexie.on('storagemutated').unsubscribe(onMutated);
      unStatus();
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', onVisibility);
    };
  }, [replica, client, session.user.id]);
}

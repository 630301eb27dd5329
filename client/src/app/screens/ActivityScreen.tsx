import type { Activity } from '@outpost/shared';
import { useEffect, useMemo, useState, type MouseEvent } from 'react';
import {
  useActivities,
  useEntityNames,
  useProjects,
  useSyncStatus,
  useTaskProjects,
  useUsers,
} from '../../data';
import { ActivityFilters } from './activity/ActivityFilters';
import { ActivityItem, BurstItem } from './activity/ActivityItem';
import { collapseBursts } from './activity/bursts';
import {
  NO_FILTER,
  dayLabel,
  groupByDay,
  learn,
  matches,
  type Filter,
  type Lookup,
} from './activity/describe';
import { useOlderActivity } from './activity/older';
import { useEngine } from '../engine/context';
import { href } from '../shell/router';
import { SetupProgress } from '../ui/SetupProgress';
import { Skeleton } from '../ui/Skeleton';
import { useDocumentTitle } from '../ui/use-document-title';

/** Local entries shown per step; beyond what the device keeps, older ones come from the server. */
const STEP = 250;

/**
 * How the feed was left, per workspace (its engine; another org's starts afresh): Back from an
 * entry opened finds the filters as they were, and focus on the name that was opened, instead
 * of every filter reset and focus at the top (2026-12-07).
 */
const left = new WeakMap<object, { filter: Filter; opened: string | null }>();

/**
 * The org's activity, newest first and grouped by day: what this device synced (the recent
 * window), then older entries paged from the server on demand. Every entry names its row —
 * deleted ones by the name their delete recorded — with its project and values in words; a
 * batch of creates or deletes by one person reads as one line. With `entityId`, one row's
 * history only: what the device has of it, and the rest read from the server at once.
 */
export function ActivityScreen({ entityId }: { entityId?: string | undefined }) {
  const [limit, setLimit] = useState(STEP);
  const local = useActivities({ limit });
  const older = useOlderActivity(entityId);
  const loadOlder = older.load;
  useEffect(() => {
    if (entityId !== undefined) void loadOlder();
  }, [entityId, loadOlder]);
  const users = useUsers();
  const engine = useEngine();
  const me = engine.session.user.id;
  const projects = useProjects();
  const status = useSyncStatus();
  // One row's history is opened afresh each time; the whole feed is found as it was left.
  const kept = entityId === undefined ? left.get(engine) : undefined;
  const [filter, setFilter] = useState<Filter>(kept?.filter ?? NO_FILTER);
  useEffect(() => {
    if (entityId !== undefined) return;
    left.set(engine, { filter, opened: left.get(engine)?.opened ?? null });
  }, [engine, entityId, filter]);

  const all = useMemo(() => {
    const seen = new Set<string>();
    // By seq, the server's order (one push shares one timestamp).
    return [...(local.data ?? []), ...older.items]
      .filter((a) => entityId === undefined || a.entityId === entityId)
      .filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)))
      .sort((a, b) => b.version - a.version);
  }, [local.data, older.items, entityId]);
  const ids = useActivityEntityIds(all, entityId);
  const live = useEntityNames(ids);
  const taskProjects = useTaskProjects(ids);
  const learnt = useMemo(() => learn(all), [all]);
  const lookup = useMemo<Lookup>(
    () => ({
      name: (id) =>
        live?.get(id) ?? users.data?.find((u) => u.id === id)?.name ?? learnt.names.get(id) ?? null,
      projectOf: (taskId) => taskProjects?.get(taskId) ?? learnt.projects.get(taskId) ?? null,
      open: (entity, id) => {
        // Only rows this device has now: a deleted one would open on "not found".
        if (entity === 'project')
          return projects.data?.some((p) => p.id === id) ? href({ name: 'project', id }) : null;
        const projectId = taskProjects?.get(id);
        return projectId ? href({ name: 'project', id: projectId, taskId: id }) : null;
      },
      me,
    }),
    [live, users.data, learnt, taskProjects, projects.data, me],
  );
  // One task's history names it: "Fix login · History · Outpost".
  const historyOf = entityId === undefined ? null : (lookup.name(entityId) ?? 'Task');
  useDocumentTitle(historyOf === null ? 'Activity' : `${historyOf} · History`);
  const days = useMemo(
    () =>
      groupByDay(all.filter((a) => matches(a, filter, lookup))).map((g) => ({
        day: g.day,
        entries: collapseBursts(g.items, lookup),
      })),
    [all, filter, lookup],
  );

  // Until this device has completed a sync, no activity means "not here yet", not "none".
  const settingUp = status.setUp !== true;
  const localDone = local.data !== undefined && local.data.length < limit;
  const oldest = all.reduce((m, a) => Math.min(m, a.version), Number.MAX_SAFE_INTEGER);
  const showOlder = () => {
    // One row's history: the device's entries of it are the newest, the server has the rest.
    if (entityId !== undefined) void older.load(all.length > 0 ? oldest : undefined);
    else if (!localDone) setLimit((l) => l + STEP);
    else if (oldest > 1) void older.load(oldest);
  };
  // Offline with nothing more on the device: say so before anyone has to ask.
  const offlineAtEnd = localDone && !status.online;
  // Online at the end of what the device keeps, ask the server once whether it keeps anything
  // older, so a feed with nothing more (a new org's) ends plainly.
  const probeOlder = older.probe;
  const atLocalEnd =
    entityId === undefined && localDone && !settingUp && status.online && older.items.length === 0;
  const probeFrom = all.length > 0 ? oldest : undefined;
  useEffect(() => {
    if (atLocalEnd) void probeOlder(probeFrom);
  }, [atLocalEnd, probeFrom, probeOlder]);
  const needsConnection = older.state === 'offline' || offlineAtEnd;

  // Back from an entry opened: focus on its name once the feed shows it, unless focus has gone
  // on from the screen's heading (or the page) meanwhile.
  const hasEntries = days.length > 0;
  useEffect(() => {
    const memo = entityId === undefined ? left.get(engine) : undefined;
    if (!memo?.opened || !hasEntries) return;
    const opened = memo.opened;
    memo.opened = null;
    const active = document.activeElement;
    const atTop = !active || active === document.body || active.matches('main, #activity-heading');
    if (!atTop) return;
    const name = [...document.querySelectorAll<HTMLAnchorElement>('main ol a[href]')].find(
      (a) => a.getAttribute('href') === opened,
    );
    name?.focus();
  }, [engine, entityId, hasEntries]);
  const remember = (e: MouseEvent<HTMLElement>) => {
    const name = e.target instanceof Element ? e.target.closest('ol a[href]') : null;
    const memo = left.get(engine);
    if (name && memo && entityId === undefined) memo.opened = name.getAttribute('href');
  };

  return (
    <section aria-labelledby="activity-heading" className="stack" onClick={remember}>
      <h2 id="activity-heading">Activity</h2>
      {entityId !== undefined ? (
        <p className="row" style={{ margin: 0 }}>
          <span>
            The history of <strong>{lookup.name(entityId) ?? 'one task'}</strong> only.
          </span>
          <a href={href({ name: 'activity' })}>Show all activity</a>
        </p>
      ) : (
        <ActivityFilters
          filter={filter}
          onChange={setFilter}
          projects={projects.data ?? []}
          users={users.data ?? []}
          me={me}
        />
      )}
      <SetupProgress what="Entries" />
      {local.data === undefined ||
      (settingUp && all.length === 0) ||
      (entityId !== undefined && all.length === 0 && older.state === 'loading') ? (
        <Skeleton label={settingUp ? 'Activity arriving' : 'Loading activity'} rows={6} />
      ) : all.length === 0 ? (
        <p className="muted">
          {entityId === undefined ? 'Nothing has happened yet.' : 'No history loaded yet.'}
        </p>
      ) : days.length === 0 ? (
        // With all the server keeps loaded, "so far" (and "That is everything…" under nothing
        // shown) would contradict itself: say plainly that nothing matches.
        <p className="muted">
          {older.state === 'end'
            ? 'No activity matches these filters.'
            : 'Nothing loaded so far matches these filters. “Show older activity” looks further back.'}
        </p>
      ) : (
        days.map((g) => (
          <section key={g.day} aria-labelledby={`day-${g.day}`} className="stack activity-day">
            <h3 id={`day-${g.day}`}>{dayLabel(g.day)}</h3>
            <ol className="list panel" aria-label={`Activity feed, ${dayLabel(g.day)}`}>
              {g.entries.map((e) =>
                e.kind === 'burst' ? (
                  <BurstItem key={e.items[0]!.id} burst={e} lookup={lookup} />
                ) : (
                  <ActivityItem key={e.activity.id} activity={e.activity} lookup={lookup} />
                ),
              )}
            </ol>
          </section>
        ))
      )}
      {local.data !== undefined && older.state !== 'end' && (
        <div className="row">
          <button
            type="button"
            onClick={showOlder}
            disabled={older.state === 'loading' || offlineAtEnd}
          >
            {older.state === 'loading' ? 'Loading older activity…' : 'Show older activity'}
          </button>
          {needsConnection ? (
            <p role="status" className="muted" style={{ margin: 0 }}>
              Older activity needs a connection. What this device has is shown above.
            </p>
          ) : older.state === 'failed' ? (
            <p role="status" className="muted" style={{ margin: 0 }}>
              Could not load older activity ({older.error}). Try again.
            </p>
          ) : (
            <p role="status" className="visually-hidden">
              {older.loaded > 0 ? `Loaded ${older.loaded} older entries.` : ''}
            </p>
          )}
        </div>
      )}
      {older.state === 'end' && days.length > 0 && (
        <p className="muted">That is everything the server keeps.</p>
      )}
    </section>
  );
}

/** The rows the shown activities talk about (and the ids in their changes), to name them. */
export function useActivityEntityIds(
  activities: readonly Activity[] | undefined,
  also?: string,
): string[] {
  return useMemo(() => {
    const ids = new Set<string>(also === undefined ? [] : [also]);
    for (const a of activities ?? []) {
      if (a.entityId) ids.add(a.entityId);
      for (const c of a.changes)
        for (const v of [c.to, c.from])
          if (c.field.endsWith('Id') && typeof v === 'string') ids.add(v);
    }
    return [...ids];
  }, [activities, also]);
}

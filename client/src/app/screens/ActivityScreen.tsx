import type { Activity } from '@outpost/shared';
import { useMemo, useState } from 'react';
import {
  useActivities,
  useEntityNames,
  useProjects,
  useSyncStatus,
  useTaskProjects,
  useUsers,
} from '../../data';
import {
  KINDS,
  carriedName,
  dayLabel,
  describeChange,
  describeConflict,
  groupByDay,
  learn,
  matches,
  projectOf,
  type Filter,
  type Kind,
  type Lookup,
} from './activity/describe';
import { useOlderActivity } from './activity/older';
import { SetupProgress } from '../ui/SetupProgress';
import { Skeleton } from '../ui/Skeleton';

/** Local entries shown per step; beyond what the device keeps, older ones come from the server. */
const STEP = 250;

/**
 * The org's activity, newest first and grouped by day: what this device synced (the recent
 * window), then older entries paged from the server on demand. Every entry names its row —
 * deleted ones by the name their delete recorded — with its project and values in words.
 */
export function ActivityScreen() {
  const [limit, setLimit] = useState(STEP);
  const local = useActivities({ limit });
  const older = useOlderActivity();
  const users = useUsers();
  const projects = useProjects();
  const [filter, setFilter] = useState<Filter>({ projectId: '', personId: '', kind: 'all' });
  // During the first sync an empty feed is "not here yet", not "nothing happened".
  const settingUp = useSyncStatus().setUp !== true;

  const all = useMemo(() => {
    const seen = new Set<string>();
    // By seq, the server's order (one push shares one timestamp).
    return [...(local.data ?? []), ...older.items]
      .filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)))
      .sort((a, b) => b.version - a.version);
  }, [local.data, older.items]);
  const ids = useActivityEntityIds(all);
  const live = useEntityNames(ids);
  const taskProjects = useTaskProjects(ids);
  const learnt = useMemo(() => learn(all), [all]);
  const lookup = useMemo<Lookup>(
    () => ({
      name: (id) =>
        live?.get(id) ?? users.data?.find((u) => u.id === id)?.name ?? learnt.names.get(id) ?? null,
      projectOf: (taskId) => taskProjects?.get(taskId) ?? learnt.projects.get(taskId) ?? null,
    }),
    [live, users.data, learnt, taskProjects],
  );
  const shown = useMemo(() => all.filter((a) => matches(a, filter, lookup)), [all, filter, lookup]);

  const localDone = local.data !== undefined && local.data.length < limit;
  const oldest = all.reduce((m, a) => Math.min(m, a.version), Number.MAX_SAFE_INTEGER);
  const showOlder = () => {
    if (!localDone) setLimit((l) => l + STEP);
    else if (oldest > 1) void older.load(oldest);
  };
  const set = (patch: Partial<Filter>) => setFilter((f) => ({ ...f, ...patch }));

  return (
    <section aria-labelledby="activity-heading" className="stack">
      <h2 id="activity-heading">Activity</h2>
      <div className="row" role="group" aria-label="Filter activity">
        <label className="stack" style={{ gap: 2 }}>
          <span className="muted">Project</span>
          <select value={filter.projectId} onChange={(e) => set({ projectId: e.target.value })}>
            <option value="">All projects</option>
            {(projects.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="stack" style={{ gap: 2 }}>
          <span className="muted">Person</span>
          <select value={filter.personId} onChange={(e) => set({ personId: e.target.value })}>
            <option value="">Everyone</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label className="stack" style={{ gap: 2 }}>
          <span className="muted">Kind</span>
          <select value={filter.kind} onChange={(e) => set({ kind: e.target.value as Kind })}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <SetupProgress what="Entries" />
      {local.data === undefined || (settingUp && all.length === 0) ? (
        <Skeleton label={settingUp ? 'Activity arriving' : 'Loading activity'} rows={6} />
      ) : all.length === 0 ? (
        <p className="muted">Nothing has happened yet.</p>
      ) : shown.length === 0 ? (
        <p className="muted">No activity loaded so far matches these filters.</p>
      ) : (
        groupByDay(shown).map((g) => (
          <section key={g.day} aria-label={dayLabel(g.day)} className="stack" style={{ gap: 4 }}>
            <h3 style={{ margin: 0, fontSize: '0.95rem' }}>{dayLabel(g.day)}</h3>
            <ol className="list panel" aria-label={`Activity feed, ${dayLabel(g.day)}`}>
              {g.items.map((a) => (
                <ActivityItem key={a.id} activity={a} lookup={lookup} />
              ))}
            </ol>
          </section>
        ))
      )}
      {local.data !== undefined && older.state !== 'end' && (
        <div className="row">
          <button type="button" onClick={showOlder} disabled={older.state === 'loading'}>
            {older.state === 'loading' ? 'Loading older activity…' : 'Show older activity'}
          </button>
          {older.state === 'offline' && (
            <p role="status" className="muted">
              Older activity needs a connection. What this device has is shown above.
            </p>
          )}
          {older.state === 'failed' && (
            <p role="status" className="muted">
              Could not load older activity ({older.error}). Try again.
            </p>
          )}
        </div>
      )}
      {older.state === 'end' && <p className="muted">That is everything the server keeps.</p>}
    </section>
  );
}

/** The rows the shown activities talk about (and the ids in their changes), to name them. */
export function useActivityEntityIds(activities: readonly Activity[] | undefined): string[] {
  return useMemo(() => {
    const ids = new Set<string>();
    for (const a of activities ?? []) {
      if (a.entityId) ids.add(a.entityId);
      for (const c of a.changes)
        if (c.field.endsWith('Id') && typeof c.to === 'string') ids.add(c.to);
    }
    return [...ids];
  }, [activities]);
}

const NOUN: Record<Activity['entity'], string> = {
  task: 'task',
  project: 'project',
  user: 'member',
  activity: 'activity',
  'shared-resource': 'shared resource',
};

function ActivityItem({ activity: a, lookup }: { activity: Activity; lookup: Lookup }) {
  const actor = a.actorId ? (lookup.name(a.actorId) ?? 'Someone') : 'The system';
  const name = (a.entityId ? lookup.name(a.entityId) : null) ?? carriedName(a);
  const subject = (
    <>
      {name ? `the ${NOUN[a.entity]} ` : `a ${NOUN[a.entity]}`}
      {name && `“${name}”`}
    </>
  );
  const project = projectOf(a, lookup);
  const projectName = a.entity === 'task' && project ? lookup.name(project) : null;
  const time = new Date(a.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const sentence =
    a.action === 'create' ? (
      <>
        <strong>{actor}</strong> created {subject}
      </>
    ) : a.action === 'update' ? (
      <>
        <strong>{actor}</strong> changed {subject}
      </>
    ) : a.action === 'delete' ? (
      <>
        <strong>{actor}</strong> deleted {subject}
      </>
    ) : a.action === 'conflict' ? (
      // A conflict blames nobody: its lines say whose value was kept and whose was lost.
      <>Edits collided on {subject}</>
    ) : a.action === 'rejected' ? (
      <>
        <strong>{actor}</strong>’s change to {subject} was refused
      </>
    ) : (
      <>
        <strong>{actor}</strong> was refused access to {subject}
      </>
    );
  const lines =
    a.action === 'conflict'
      ? a.changes.map((c) => describeConflict(c, lookup))
      : a.action === 'update' || a.action === 'rejected'
        ? a.changes.slice(0, 6).map((c) => describeChange(c, lookup))
        : [];
  const tone =
    a.action === 'conflict'
      ? 'pending'
      : a.action === 'rejected' || a.action === 'access-denied'
        ? 'bad'
        : '';
  return (
    <li className="stack" style={{ gap: 4 }} data-action={a.action}>
      <div className="row">
        <span className="grow" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
          {sentence}
          {projectName && <span className="muted"> · in {projectName}</span>}
        </span>
        {tone && (
          <span className={`badge ${tone}`}>
            {a.action === 'conflict' ? 'conflict' : 'refused'}
          </span>
        )}
        <time className="muted" dateTime={a.createdAt}>
          {time}
        </time>
      </div>
      {a.reason && <p className="muted">Why: {a.reason}</p>}
      {lines.length > 0 && (
        <ul className="muted" style={{ margin: 0, paddingLeft: 18, overflowWrap: 'anywhere' }}>
          {lines.map((l, i) => (
            <li key={i} data-testid={a.action === 'conflict' ? 'conflict-line' : undefined}>
              {l}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

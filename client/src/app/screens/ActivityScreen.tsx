import type { Activity, FieldChange } from '@outpost/shared';
import { useMemo } from 'react';
import { useActivities, useEntityNames, useUsers } from '../../data';
import { conflictLine } from '../ui/conflict-text';
import { relativeTime, showValue } from '../ui/format';
import { Skeleton } from '../ui/Skeleton';

const LIMIT = 200;

/** The org's audit log as synced to this device, newest first — conflicts and rejections included. */
export function ActivityScreen() {
  const activities = useActivities({ limit: LIMIT });
  const users = useUsers();
  const names = useEntityNames(useActivityEntityIds(activities.data));
  const userName = (id: string | null) =>
    id ? (users.data?.find((u) => u.id === id)?.name ?? 'someone') : 'the system';

  return (
    <section aria-labelledby="activity-heading" className="stack">
      <h2 id="activity-heading">Activity</h2>
      {activities.data === undefined ? (
        <Skeleton label="Loading activity" rows={6} />
      ) : activities.data.length === 0 ? (
        <p className="muted">Nothing has happened yet.</p>
      ) : (
        <ol className="list panel" aria-label="Activity feed">
          {activities.data.map((a) => (
            <ActivityItem
              key={a.id}
              activity={a}
              actor={userName(a.actorId)}
              userName={userName}
              subject={names?.get(a.entityId ?? '') ?? null}
              names={(id) =>
                typeof id === 'string'
                  ? (names?.get(id) ?? users.data?.find((u) => u.id === id)?.name ?? id)
                  : id
              }
            />
          ))}
        </ol>
      )}
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

const VERB: Record<Activity['action'], string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  conflict: 'edited at the same time as someone else',
  rejected: 'had a change rejected on',
  'access-denied': 'was denied access to',
};

function ActivityItem({
  activity: a,
  actor,
  subject,
  names,
  userName,
}: {
  activity: Activity;
  actor: string;
  userName: (id: string | null) => string;
  subject: string | null;
  names: (id: unknown) => unknown;
}) {
  const titleChange = a.changes.find((c) => c.field === 'title' || c.field === 'name');
  const label = subject ?? (typeof titleChange?.to === 'string' ? titleChange.to : null);
  const tone =
    a.action === 'conflict'
      ? 'warn'
      : a.action === 'rejected' || a.action === 'access-denied'
        ? 'bad'
        : '';
  return (
    <li className="stack" style={{ gap: 4 }} data-action={a.action}>
      <div className="row">
        <span className="grow">
          {/* A conflict blames nobody: its lines say whose value won and whose was lost. */}
          {a.action === 'conflict' ? (
            'Edits collided on'
          ) : (
            <>
              <strong>{actor}</strong> {VERB[a.action]}
            </>
          )}{' '}
          {a.entity === 'shared-resource' ? 'a shared resource' : `the ${a.entity}`}
          {label ? <> “{label}”</> : null}
        </span>
        {tone && <span className={`badge ${tone === 'bad' ? 'bad' : 'pending'}`}>{a.action}</span>}
        <time className="muted" dateTime={a.createdAt}>
          {relativeTime(a.createdAt)}
        </time>
      </div>
      {a.reason && <p className="muted">Why: {a.reason}</p>}
      {a.action === 'conflict' ? (
        <ConflictChanges changes={a.changes} userName={userName} />
      ) : a.action === 'update' || a.action === 'rejected' ? (
        <Changes changes={a.changes} names={names} />
      ) : null}
    </li>
  );
}

/** Who won and whose value was lost, in words (`conflictLine`): nothing is lost silently. */
export function ConflictChanges({
  changes,
  userName,
}: {
  changes: readonly FieldChange[];
  userName: (id: string | null) => string;
}) {
  return (
    <ul className="muted" style={{ margin: 0, paddingLeft: 18 }}>
      {changes.map((c, i) => (
        <li key={i} data-testid="conflict-line">
          {conflictLine(c, { user: userName })}
        </li>
      ))}
    </ul>
  );
}

/** Field changes of an update; ids (assignee, project) are shown as names. */
function Changes({
  changes,
  names,
}: {
  changes: readonly FieldChange[];
  names: (id: unknown) => unknown;
}) {
  if (changes.length === 0) return null;
  const show = (field: string, v: unknown) => showValue(field.endsWith('Id') ? names(v) : v);
  return (
    <ul className="muted" style={{ margin: 0, paddingLeft: 18 }}>
      {changes.slice(0, 6).map((c, i) => (
        <li key={i}>
          {c.field}: {c.from !== undefined ? <>{show(c.field, c.from)} → </> : null}
          {show(c.field, c.to)}
        </li>
      ))}
    </ul>
  );
}

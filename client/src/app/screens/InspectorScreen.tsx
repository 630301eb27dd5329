import { lostToDelete, type Activity } from '@outpost/shared';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import {
  useActivities,
  useEntityNames,
  useOutbox,
  useSyncStatus,
  useUsers,
  type OutboxItem,
} from '../../data';
import { useEngine } from '../engine/context';
import { syncedAgo } from '../engine/headline';
import { readDeviceStorage, type DeviceStorage } from '../engine/device-storage';
import { conflictRestoreWords, describeMutation } from '../engine/notice-text';
import { conflictLine } from '../ui/conflict-text';
import { bytesLabel, relativeTime, sentenceCase, showValue } from '../ui/format';
import { restoreOrSay } from '../ui/restore';
import { Skeleton } from '../ui/Skeleton';
import { useNow } from '../ui/use-now';
import { useActivityEntityIds } from './ActivityScreen';
import { useDocumentTitle } from '../ui/use-document-title';

/**
 * The sync inspector: what this device has not sent, what it sent and what the server said,
 * and which of its writes lost or were refused — the history other apps never show.
 */
export default function InspectorScreen() {
  useDocumentTitle('Sync');
  const { client, replica } = useEngine();
  const status = useSyncStatus();
  const history = useSyncExternalStore(
    client.notices.history.subscribe,
    client.notices.history.getSnapshot,
  );
  const outbox = useOutbox().data;
  const activities = useActivities({ limit: 500 });
  const activityIds = useActivityEntityIds(activities.data);
  const names = useEntityNames(
    useMemo(
      () => [...activityIds, ...(outbox ?? []).map((e) => e.entityId)],
      [activityIds, outbox],
    ),
  );
  const mine = (activities.data ?? []).filter(
    (a) => a.clientId === replica.clientId || a.actorId === replica.userId,
  );
  const rejections = mine.filter((a) => a.action === 'rejected');
  const conflicts = (activities.data ?? []).filter((a) => a.action === 'conflict');
  const name = (id: string) => names?.get(id) ?? `${id.slice(0, 8)}…`;
  const users = useUsers().data;
  const userName = (id: string | null) =>
    id ? (users?.find((u) => u.id === id)?.name ?? 'someone') : 'someone';

  return (
    <section aria-labelledby="inspector-heading" className="stack">
      <h2 id="inspector-heading">Sync inspector</h2>
      <div className="panel">
        <dl className="row" style={{ margin: 0, gap: '4px 16px' }}>
          <Fact
            term="App version"
            value={<span data-testid="app-version">{__APP_VERSION__}</span>}
          />
          <Fact term="Client id" value={<code>{replica.clientId}</code>} />
          <Fact
            term="This tab"
            value={status.isLeader ? 'syncs for all tabs' : 'follows the syncing tab'}
          />
          <Fact term="Unsent" value={String(status.pending)} />
          <Fact term="Last synced" value={<LastSynced at={status.lastSyncedAt} />} />
          <Fact
            term="Last error"
            value={
              status.lastError
                ? `${status.lastError.name}: ${status.lastError.message} (${relativeTime(status.lastError.at)}${status.failures > 1 ? `, ${status.failures} failures in a row` : ''})`
                : 'none'
            }
          />
        </dl>
        <div className="row" style={{ marginTop: 8 }}>
          <button type="button" onClick={() => void client.syncNow()}>
            Sync now
          </button>
        </div>
      </div>

      <StoragePanel />

      <section aria-labelledby="outbox-heading" className="panel">
        <h3 id="outbox-heading">Outbox ({outbox?.length ?? 0})</h3>
        {outbox === undefined ? (
          <Skeleton label="Loading outbox" />
        ) : outbox.length === 0 ? (
          <p className="muted">Every change on this device has reached the server.</p>
        ) : (
          <div className="scroll-x">
            <table className="stack-table" aria-label="Pending mutations">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Change</th>
                  <th scope="col">Fields</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {outbox.map((e) => (
                  <OutboxRow key={e.mutationId} entry={e} name={name(e.entityId)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="pushes-heading" className="panel">
        <h3 id="pushes-heading">Recent pushes</h3>
        {history.length === 0 ? (
          <p className="muted">No push from this tab yet.</p>
        ) : (
          <ol className="list" aria-label="Recent pushes">
            {history.map((p, i) => (
              <li key={`${p.at}-${i}`}>
                <div className="row">
                  <span className="grow">
                    {p.mutations.length} mutation{p.mutations.length === 1 ? '' : 's'} (#
                    {p.mutations[0]?.id}
                    {p.mutations.length > 1 ? `–${p.mutations.at(-1)?.id}` : ''})
                  </span>
                  <span className="muted">{relativeTime(p.at)}</span>
                </div>
                {p.error ? (
                  <p className="muted">Failed: {p.error}</p>
                ) : (
                  <p className="muted">
                    {p.results
                      .map(
                        (r) =>
                          `#${r.id} ${r.status}${r.status === 'rejected' ? ` (${r.reason})` : ''}`,
                      )
                      .join(' · ')}
                  </p>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="rejections-heading" className="panel">
        <h3 id="rejections-heading">Rejected changes</h3>
        {rejections.length === 0 ? (
          <p className="muted">The server has not refused any change from you.</p>
        ) : (
          <ul className="list">
            {rejections.map((a) => (
              <li key={a.id}>
                <strong>{a.entity}</strong> {a.entityId ? name(a.entityId) : ''} —{' '}
                {a.reason ?? 'no reason given'}{' '}
                <span className="muted">({relativeTime(a.createdAt)})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="conflicts-heading" className="panel">
        <h3 id="conflicts-heading">Conflicts</h3>
        {conflicts.length === 0 ? (
          <p className="muted">No concurrent edits have collided.</p>
        ) : (
          <div className="scroll-x">
            <table className="stack-table" aria-label="Conflicts">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">What happened</th>
                  <th scope="col">When</th>
                  <th scope="col">
                    <span className="visually-hidden">Restore</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {conflicts.map((a) => (
                  <ConflictRows
                    key={a.id}
                    activity={a}
                    name={name}
                    names={names}
                    userName={userName}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}

/** Whether the browser may evict this device's offline copy, and how much room is left. */
function StoragePanel() {
  // undefined: not read yet; null: the browser does not say.
  const [storage, setStorage] = useState<DeviceStorage | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void readDeviceStorage(false).then((s) => live && setStorage(s));
    return () => {
      live = false;
    };
  }, []);
  return (
    <section aria-labelledby="storage-heading" className="panel">
      <h3 id="storage-heading">Storage on this device</h3>
      {storage === undefined ? null : storage === null ? (
        <p className="muted">This browser does not report storage details.</p>
      ) : (
        <>
          <p>
            {storage.persisted ? (
              'Persistent: the browser will not clear Outpost’s offline data on its own.'
            ) : (
              <>
                <strong className="warn-link">Not persistent:</strong> the browser may clear offline
                data (including unsent changes) when the device runs low on space. Installing the
                app usually makes storage persistent.
              </>
            )}
          </p>
          <p className="muted">
            Using {storage.usage === null ? '?' : bytesLabel(storage.usage)} of{' '}
            {storage.quota === null ? '?' : bytesLabel(storage.quota)}.
          </p>
          {!storage.persisted && (
            <button type="button" onClick={() => void readDeviceStorage(true).then(setStorage)}>
              Ask to keep data on this device
            </button>
          )}
        </>
      )}
    </section>
  );
}

function Fact({ term, value }: { term: string; value: React.ReactNode }) {
  return (
    <div>
      <dt className="muted" style={{ fontSize: '0.8rem' }}>
        {term}
      </dt>
      <dd style={{ margin: 0 }}>{value}</dd>
    </div>
  );
}

function OutboxRow({ entry: e, name }: { entry: OutboxItem; name: string }) {
  const fields = 'fields' in e.mutation ? Object.entries(e.mutation.fields) : [];
  return (
    <tr>
      <td data-label="#">{e.mutationId}</td>
      <td data-label="Change">
        {sentenceCase(describeMutation(e.mutation.type))} <em>{name}</em>
      </td>
      <td data-label="Fields">
        {fields.length ? fields.map(([k, v]) => `${k}: ${showValue(v)}`).join(', ') : '—'}
      </td>
      <td data-label="State">
        {e.acked === 1
          ? 'accepted, waiting for pull'
          : e.lastError
            ? `retrying (${e.attempts}× — ${e.lastError})`
            : e.attempts > 0
              ? `sent ${e.attempts}×`
              : 'not sent yet'}
      </td>
    </tr>
  );
}

/** One line per lost field: who won, whose value lost, when, and (for this user's) a restore. */
function ConflictRows({
  activity: a,
  name,
  names,
  userName,
}: {
  activity: Activity;
  name: (id: string) => string;
  /** Rows' names as this device knows them (a restore's toast names the row, never its id). */
  names: ReadonlyMap<string, string> | undefined;
  userName: (id: string | null) => string;
}) {
  const { client, replica } = useEngine();
  return a.changes.map((c, i) => {
    const mine = c.loser?.userId === replica.userId;
    const deleted = lostToDelete(a);
    return (
      <tr key={`${a.id}-${i}`} data-testid="inspector-conflict">
        <td data-label="Row">{a.entityId ? name(a.entityId) : a.entity}</td>
        <td data-label="What">{conflictLine(c, { user: userName }, deleted)}</td>
        <td data-label="When">
          <time dateTime={a.createdAt}>{relativeTime(a.createdAt)}</time>
        </td>
        <td data-label="">
          {mine && !deleted && a.entityId && (
            <button
              type="button"
              onClick={() =>
                void restoreOrSay(
                  client,
                  { entity: a.entity, entityId: a.entityId!, field: c.field, mine: c.lost },
                  { row: names?.get(a.entityId!) ?? null, value: showValue(c.lost) },
                )
              }
            >
              {conflictRestoreWords(c, replica.userId, replica.clientId)}
            </button>
          )}
        </td>
      </tr>
    );
  });
}

/**
 * When this device last synced, in the status bar's words ("just now" for its first 45 s), and
 * moving on as the status bar does: the inspector said "12 s ago" under a status bar saying
 * "Synced just now", and kept its first answer until the screen re-rendered.
 */
export function LastSynced({ at }: { at: number | null }) {
  const now = useNow(15_000);
  if (at === null) return <>never</>;
  return <time dateTime={new Date(at).toISOString()}>{syncedAgo(at, now)}</time>;
}

import { useEffect, useState, useSyncExternalStore } from 'react';
import { useEngine } from '../engine/context';
import { relativeTime } from '../ui/format';

/** Always-visible sync state: network, unsent changes, last sync, errors, initial download. */
export function StatusBar() {
  const { client } = useEngine();
  const s = useSyncExternalStore(client.status.subscribe, client.status.getSnapshot);
  const now = useNow(15_000);
  const state = !s.online ? 'offline' : s.lastError ? 'error' : 'online';
  return (
    <footer className="statusbar" aria-label="Sync status">
      <span role="status" aria-live="polite" data-testid="connection">
        <span className={`dot ${state === 'online' ? '' : state}`} aria-hidden="true" />
        {s.online
          ? s.syncing
            ? 'Syncing…'
            : 'Online'
          : 'Offline — changes are kept on this device'}
      </span>
      <span data-testid="pending">
        {s.pending === 0
          ? 'All changes synced'
          : `${s.pending} unsent change${s.pending === 1 ? '' : 's'}`}
      </span>
      <span className="muted last-synced">
        {s.lastSyncedAt ? `Synced ${relativeTime(s.lastSyncedAt, now)}` : 'Not synced yet'}
      </span>
      {s.initialSync && (
        <label className="row" style={{ fontWeight: 400 }}>
          Downloading
          <progress max={Math.max(s.initialSync.total, 1)} value={s.initialSync.done} />
        </label>
      )}
      {s.storage && !s.storage.persisted && (
        <a href="#/sync" className="warn-link">
          Storage not persistent
        </a>
      )}
      {s.lastError && s.online && (
        <span className="muted" title={s.lastError.message}>
          Last error: {s.lastError.message.slice(0, 80)}
        </span>
      )}
      <button type="button" className="link" onClick={() => client.syncNow()}>
        Sync now
      </button>
    </footer>
  );
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

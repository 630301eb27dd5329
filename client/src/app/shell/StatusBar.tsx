import { useEffect, useRef, useState } from 'react';
import { headlineText, syncHeadline, syncNowFeedback, type SyncHeadline } from '../engine/headline';
import { useEngine } from '../engine/context';
import { useHiddenTaskIds, useSyncStatus } from '../../data';
import { useInset } from '../ui/insets';
import { useNow } from '../ui/use-now';

const DOT: Record<SyncHeadline['kind'], string> = {
  'action-needed': 'error',
  offline: 'offline',
  unreachable: 'error',
  syncing: 'busy',
  held: 'busy',
  synced: '',
};

/**
 * Always-visible sync state: exactly one headline (`syncHeadline`) and "Sync now", which
 * always answers. Errors, storage and timings in detail live in the sync inspector.
 */
export function StatusBar() {
  const { client } = useEngine();
  const s = useSyncStatus();
  // Deletes waiting out their undo window are unsent too: never "Synced" while one is held.
  const held = useHiddenTaskIds().size;
  const h = syncHeadline(s, held);
  // A countdown ("retrying in 8 s") ticks every second; otherwise "synced 2 min ago" is enough.
  const now = useNow(h.kind === 'unreachable' ? 1_000 : 15_000);
  const [feedback, setFeedback] = useState<string | null>(null);
  const feedbackTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const bar = useRef<HTMLElement>(null);
  // Its height places the notices and toasts above it: offline, it can wrap to three lines.
  useInset('bottom', bar, '--statusbar-height');
  useEffect(() => () => clearTimeout(feedbackTimer.current), []);

  function syncNow() {
    client.syncNow();
    setFeedback(syncNowFeedback(h));
    clearTimeout(feedbackTimer.current);
    feedbackTimer.current = setTimeout(() => setFeedback(null), 4_000);
  }

  return (
    <footer ref={bar} className="statusbar" aria-label="Sync status">
      <span role="status" aria-live="polite" data-testid="connection" data-state={h.kind}>
        <span className={`dot ${DOT[h.kind]}`} aria-hidden="true" />
        {h.kind === 'unreachable' ? (
          <>
            {/* A countdown in a live region is read out every second: it is heard once, as "soon". */}
            <span className="visually-hidden">{headlineText({ ...h, retryAt: null }, now)}</span>
            <span aria-hidden="true">{headlineText(h, now)}</span>
          </>
        ) : (
          headlineText(h, now)
        )}
      </span>
      {h.kind === 'syncing' && h.download && (
        <progress
          aria-label="Download progress"
          max={Math.max(h.download.total, 1)}
          value={h.download.done}
        />
      )}
      {h.kind === 'action-needed' && h.reason === 'update-app' && (
        <button type="button" className="link" onClick={() => window.location.reload()}>
          Reload
        </button>
      )}
      <span className="grow" />
      {feedback && (
        <span className="muted" role="status" data-testid="sync-now-feedback">
          {feedback}
        </span>
      )}
      {/* Removed (or let in as no one: EMAIL_IN_USE), there is nothing to sync: the engine
          keeps checking on its own, and syncs once an admin has acted (sign out stays, in the
          top bar). */}
      {!(h.kind === 'action-needed' && (h.reason === 'removed' || h.reason === 'email-in-use')) && (
        <button type="button" className="link" onClick={syncNow}>
          {h.kind === 'unreachable' ? 'Retry' : 'Sync now'}
        </button>
      )}
    </footer>
  );
}

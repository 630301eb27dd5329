import { startTransition, useEffect, useState, type ReactNode } from 'react';
import type { Session } from '../auth/session';
import type { Pwa } from '../pwa/service-worker';
import { Skeleton } from '../ui/Skeleton';
import { EngineContext, type Engine } from './context';
import { createEngine } from './engine';
import { createQueryClient, OutpostDataProvider } from '../../data';

interface Props {
  session: Session;
  pwa: Pwa;
  children: ReactNode;
}

/** Creates the signed-in user's engine, runs it while mounted (sign-out, switching org stop it) and provides it. */
export function EngineProvider({ session, pwa, children }: Props) {
  const [engine, setEngine] = useState<Engine | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);
  // The database's upgrade waits on another tab at an older version (see `createEngine`).
  const [blocked, setBlocked] = useState(false);
  const userId = session.user.id;

  useEffect(() => {
    const abort = new AbortController();
    const opened = createEngine(session, pwa, () => {
      if (!abort.signal.aborted) setBlocked(true);
    });
    opened.then(
      (running) => {
        if (abort.signal.aborted) return;
        setBlocked(false);
        // The first screen under the engine is the largest render of the boot: as a transition
        // React renders it in slices that give the main thread back every few ms, instead of
        // one long task (the skeleton stays until it is ready, as before).
        startTransition(() => setEngine(running));
        // The engine's start (leader election, the first sync) in a task of its own.
        setTimeout(() => {
          if (!abort.signal.aborted) running.start(abort.signal);
        }, 0);
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        setBlocked(false);
        setError(err instanceof Error ? err : new Error(String(err)));
      },
    );
    return () => {
      abort.abort();
      void opened.then(
        (running) => running.close(),
        () => undefined,
      );
      setEngine(null);
      setBlocked(false);
    };
    // The session object may be recreated on re-render; the user is what matters.
  }, [userId, attempt]);

  if (error) {
    return (
      <div role="alert" className="panel error-panel">
        <h2>Could not open your local data</h2>
        <p className="muted">{error.message}</p>
        <button type="button" onClick={() => (setError(null), setAttempt((n) => n + 1))}>
          Try again
        </button>
      </div>
    );
  }
  if (!engine && blocked) return <BlockedByOlderTab />;
  if (!engine) return <Skeleton label="Opening your workspace" rows={6} />;
  return (
    <EngineContext.Provider value={engine}>
      <QueryLayer engine={engine}>{children}</QueryLayer>
    </EngineContext.Provider>
  );
}

/**
 * The open waits on a tab (or devtools snippet) holding the local database at an older version
 * that does not let go when asked: nothing is wrong here, the workspace opens as soon as it closes.
 */
function BlockedByOlderTab() {
  return (
    <div role="status" className="panel waiting-panel">
      <h2>Waiting for another tab</h2>
      <p>Outpost is open in another tab with an older version.</p>
      <p className="muted">
        Close that tab (or reload it) to continue. Your workspace opens here by itself.
      </p>
    </div>
  );
}

function QueryLayer({ engine, children }: { engine: Engine; children: ReactNode }) {
  // One QueryClient per signed-in user (the Workspace is keyed by user id).
  const [queryClient] = useState(createQueryClient);
  return (
    <OutpostDataProvider
      client={engine.client}
      cacheFreshness={engine.cacheFreshness}
      queryClient={queryClient}
      appVersion={__APP_VERSION__}
    >
      {children}
    </OutpostDataProvider>
  );
}

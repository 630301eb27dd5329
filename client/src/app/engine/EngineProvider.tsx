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
  const userId = session.user.id;

  useEffect(() => {
    const abort = new AbortController();
    const opened = createEngine(session, pwa);
    opened.then(
      (running) => {
        if (abort.signal.aborted) return;
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
        if (!abort.signal.aborted) setError(err instanceof Error ? err : new Error(String(err)));
      },
    );
    return () => {
      abort.abort();
      void opened.then(
        (running) => running.close(),
        () => undefined,
      );
      setEngine(null);
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
  if (!engine) return <Skeleton label="Opening your workspace" rows={6} />;
  return (
    <EngineContext.Provider value={engine}>
      <QueryLayer engine={engine}>{children}</QueryLayer>
    </EngineContext.Provider>
  );
}

function QueryLayer({ engine, children }: { engine: Engine; children: ReactNode }) {
  // One QueryClient per signed-in user (the Workspace is keyed by user id).
  const [queryClient] = useState(createQueryClient);
  return (
    <OutpostDataProvider
      client={engine.client}
      queryClient={queryClient}
      appVersion={__APP_VERSION__}
    >
      {children}
    </OutpostDataProvider>
  );
}

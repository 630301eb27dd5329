import { useEffect, useState, type ReactNode } from 'react';
import { AuthRequestError } from '../auth/dev-auth';
import type { Session } from '../auth/session';
import { registerBackgroundSyncOnFailure } from '../pwa/background-sync';
import type { Pwa } from '../pwa/service-worker';
import { Skeleton } from '../ui/Skeleton';
import { EngineContext, type Engine } from './context';
import { createQueryClient, OutpostDataProvider } from '../../data';
import { createSyncClient } from '../../sync/client';
import { NetworkError } from '../../sync/errors';
import { createHttpTransport } from '../../sync/http-transport';
import { openReplica } from '../../sync/replica';
import { connectPokes, pokeUrl } from '../../sync/pokes';
import { journalUnsent, readUnsentJournal } from './unsent-journal';

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // Storage disabled: eviction notices then give counts only.
  }
}

interface Props {
  session: Session;
  pwa: Pwa;
  children: ReactNode;
}

/**
 * Opens the signed-in user's replica, starts the sync engine (leader election, push/pull loop,
 * WebSocket pokes, Background Sync registration) and provides it — all stopped on unmount
 * (sign-out, switching org).
 */
export function EngineProvider({ session, pwa, children }: Props) {
  const [engine, setEngine] = useState<Engine | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);
  const userId = session.user.id;

  useEffect(() => {
    const abort = new AbortController();
    let closeReplica: (() => void) | null = null;
    (async () => {
      // Read before the journal is rewritten from the (possibly new, empty) outbox.
      const unsentBefore = readUnsentJournal(localStorageOrNull(), userId);
      const replica = await openReplica({ userId, orgId: session.user.orgId, user: session.user });
      closeReplica = replica.close;
      if (abort.signal.aborted) return replica.close();
      const getToken = async () => {
        try {
          return { token: await session.getToken(), userId };
        } catch (err) {
          // Offline, the token request fails like any request would: a retryable network error.
          if (err instanceof AuthRequestError && err.status !== 0) throw err;
          throw new NetworkError('Cannot reach the server to refresh the session', err);
        }
      };
      const transport = createHttpTransport({ baseUrl: window.location.origin, getToken });
      const client = createSyncClient({ replica, transport });
      void client.start(abort.signal);
      journalUnsent(replica, localStorageOrNull(), abort.signal);
      // Real time: the server pokes when the org's log advances; the engine then pulls.
      void connectPokes({
        url: pokeUrl(window.location.origin),
        getToken: async () => (await getToken()).token,
        clientId: replica.clientId,
        onPoke: (cursor) => client.poke(cursor),
        signal: abort.signal,
      }).catch(() => undefined);
      registerBackgroundSyncOnFailure({
        userId,
        status: client.status,
        registration: pwa.registration,
        signal: abort.signal,
      });
      // The service worker replayed our outbox while we were away: refresh now.
      const onSwMessage = (e: MessageEvent) => {
        if ((e.data as { type?: string } | null)?.type === 'BACKGROUND_PUSH') client.syncNow();
      };
      navigator.serviceWorker?.addEventListener('message', onSwMessage);
      abort.signal.addEventListener('abort', () =>
        navigator.serviceWorker?.removeEventListener('message', onSwMessage),
      );
      // The device credential lets the service worker push after the session token expired.
      const ensureCredential = () => void client.ensureCredential().catch(() => undefined);
      ensureCredential();
      window.addEventListener('online', ensureCredential, { signal: abort.signal });
      setEngine({
        session,
        replica,
        client,
        unsentBeforeEviction: replica.vanished ? unsentBefore : [],
      });
    })().catch((err: unknown) => {
      if (!abort.signal.aborted) setError(err instanceof Error ? err : new Error(String(err)));
    });
    return () => {
      abort.abort();
      closeReplica?.();
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

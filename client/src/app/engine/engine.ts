import { AuthRequestError } from '../auth/dev-auth';
import type { Session } from '../auth/session';
import { registerBackgroundSyncOnFailure } from '../pwa/background-sync';
import { credentialRequests, keepSyncCredential } from '../pwa/sync-credential';
import type { Pwa } from '../pwa/service-worker';
import {
  createHttpTransport,
  createSyncClient,
  defaultEnvironment,
  HttpError,
  NetworkError,
  observeNativeWrites,
  openReplica,
  pokeUrl,
} from '@outpost/sync';
import { nativeTaskWrites, writtenRowsMiddleware } from '../../data/written-rows';
import { readProject, readTask } from '../../data/reads';
import type { Engine } from './context';
import { readDeviceStorage } from './device-storage';
import { journalUnsent, unsentAtEviction } from './unsent-journal';
import { closeAfterWrites } from './close-after-writes';
import { forgetCacheUnderKeptEdits, keepEditsAsPageCloses, writeKeptEdits } from './kept-edits';
import { queryCacheKey } from '../../data/queryClient';
import { refuseWritesWhenRemoved, wrapWrites } from './removed';
import { createCacheFreshness } from '../../data/cache-freshness';
import { toasts } from '../ui/toasts';
import { localStorageOrNull } from '../ui/local-storage';

/** How long a refused write's toast shows. */
const REFUSED_MS = 6000;

export interface RunningEngine extends Engine {
  /** Runs the engine (leader election, sync loop, poke socket, Background Sync) until abort. */
  start(signal: AbortSignal): void;
  close(): void;
}

/**
 * The session's token for a sync request. Offline, the token request fails like any request
 * would: a retryable network error. A removed member's refresh is refused with the same answer
 * a sync request gets (403 `MEMBER_REMOVED`), so the status says they were removed rather than
 * asking them to sign in again (which the server would refuse too); so is a refresh refused
 * because another member has the email (403 `EMAIL_IN_USE`: a dev sign-in whose member was
 * taken over by a Clerk sign-in).
 */
export async function sessionToken(session: Pick<Session, 'getToken'>): Promise<string> {
  try {
    return await session.getToken();
  } catch (err) {
    if (!(err instanceof AuthRequestError) || err.status === 0)
      throw new NetworkError('Cannot reach the server to refresh the session', err);
    if (err.code === 'MEMBER_REMOVED' || err.code === 'EMAIL_IN_USE')
      throw new HttpError(err.message, err.status, err.code);
    throw err;
  }
}

/**
 * Opens the signed-in user's replica and wires the sync engine to this page: the session's
 * tokens, the server's origin and the service worker. `onBlocked`: the open waits on another
 * tab holding the database at an older version (it goes on by itself once that tab closes).
 */
export async function createEngine(
  session: Session,
  pwa: Pwa,
  onBlocked?: () => void,
): Promise<RunningEngine> {
  const userId = session.user.id;
  const replica = await openReplica({
    userId,
    orgId: session.user.orgId,
    user: session.user,
    addons: [
      (db) => {
        db.use(writtenRowsMiddleware);
        observeNativeWrites(db, nativeTaskWrites(db));
      },
    ],
    ...(onBlocked ? { onBlocked } : {}),
  });
  // Another tab runs a newer version that upgraded the database: this one must reload. Its
  // toasts go: their Undo would only meet the closed database (a held delete stays held, and
  // is sent when the page opens again — pending-deletes.ts).
  replica.db.outdated.add(() => {
    pwa.requireReload();
    toasts.clear();
  });
  // Read before `start` rewrites the journal from the (possibly new, empty) outbox.
  const unsentBeforeEviction = await unsentAtEviction(replica, localStorageOrNull());
  const token = () => sessionToken(session);
  const origin = window.location.origin;
  const transport = createHttpTransport({
    baseUrl: origin,
    getToken: async () => ({ token: await token(), userId }),
  });
  // Real time: the server pokes the leader tab when the org's log advances; the engine pulls.
  const engineClient = createSyncClient({
    replica,
    transport,
    pokes: { url: pokeUrl(origin), getToken: token },
  });
  // What a page closed before its edit committed kept (kept-edits.ts): written before any
  // screen may edit again, so it goes out with the first push (and the query cache that page
  // left, older than it, is not painted from).
  forgetCacheUnderKeptEdits(localStorageOrNull(), userId, queryCacheKey(userId));
  const keptUnsaved = await writeKeptEdits(
    engineClient,
    localStorageOrNull(),
    userId,
    (kind, id) => (kind === 'task' ? readTask(replica.db, id) : readProject(replica.db, id)),
  );
  let refusal: number | null = null;
  // Once the server says this user was removed, every screen's writes are refused, saying why.
  const writes = closeAfterWrites(
    refuseWritesWhenRemoved(
      // An edit saved as the page closes is kept in localStorage until it commits.
      keepEditsAsPageCloses(engineClient, localStorageOrNull(), userId),
      // One refusal shown at a time: a second try replaces it rather than stacking the same words.
      (message) => {
        if (refusal !== null) toasts.dismiss(refusal);
        refusal = toasts.show({ message, durationMs: REFUSED_MS });
      },
    ),
    // A field's text saved as the workspace goes is written before the database closes.
    replica.close,
  );
  // The query cache is stored for the next start only while it holds what the database does.
  const cacheFreshness = createCacheFreshness(() =>
    localStorageOrNull()?.removeItem(queryCacheKey(userId)),
  );
  const client = wrapWrites(
    writes.client,
    (write) =>
      (...args) =>
        cacheFreshness.write(() => write(...args)),
  );
  return {
    session,
    replica,
    client,
    cacheFreshness,
    unsentBeforeEviction,
    keptUnsaved,
    close: () => void writes.close(),
    start(signal) {
      void client.start(signal);
      // The browser may clear data it was not asked to keep, unsent writes included.
      void readDeviceStorage(true);
      // Hidden: the page may be closing, so a rewrite due is made at once.
      journalUnsent(replica, localStorageOrNull(), signal, { environment: defaultEnvironment() });
      registerBackgroundSyncOnFailure({
        userId,
        status: client.status,
        registration: pwa.registration,
        signal,
      });
      // What the service worker's replay pushes with (session tokens expire within a minute).
      keepSyncCredential({
        replica,
        requests: credentialRequests(token),
        status: client.status,
        signal,
      });
      // The service worker replayed our outbox while we were away: refresh now.
      const onSwMessage = (e: MessageEvent) => {
        if ((e.data as { type?: string } | null)?.type === 'BACKGROUND_PUSH') client.syncNow();
      };
      navigator.serviceWorker?.addEventListener('message', onSwMessage);
      signal.addEventListener('abort', () =>
        navigator.serviceWorker?.removeEventListener('message', onSwMessage),
      );
    },
  };
}

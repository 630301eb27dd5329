import { liveQuery } from 'dexie';
import { countUnsent } from './outbox';
import { createSyncCycle } from './cycle';
import { HttpError, isQuotaError, ProtocolVersionError, SyncError } from './errors';
import { runLeaderElection, type LockManagerLike } from './leader';
import { createLocalWriter, type NewProject, type NewTask } from './local-writes';
import { getMeta, setMeta } from './meta';
import {
  initialNotices,
  noticesReducer,
  type Notice,
  type NoticesAction,
  type NoticesState,
} from './notices';
import { deleteReplica, type Replica } from './replica';
import { clearSentinel, queryCacheKey } from './sentinel';
import { initialStatus, statusReducer, type StatusAction, type SyncStatus } from './status';
import { createStore, type ReadableStore } from './store';
import {
  defaultBroadcast,
  defaultEnvironment,
  defaultLocks,
  defaultStorage,
  type BroadcastLike,
  type EnvironmentLike,
  type StorageManagerLike,
  type TabMessage,
} from './platform';

export type { BroadcastLike, EnvironmentLike, StorageManagerLike, TabMessage };
import { backoffDelay, realTimers, sleep, type Timers } from './timers';
import type { SyncTransport } from './transport';

export interface SyncClientOptions {
  replica: Replica;
  transport: SyncTransport;
  /** Wall clock (ms). */
  clock?: () => number;
  timers?: Timers;
  random?: () => number;
  /** Web Locks (`navigator.locks`); null forces the meta-table lease. */
  lock?: LockManagerLike | null;
  /** Channel shared by this user's tabs; null disables cross-tab status. */
  broadcast?: BroadcastLike | null;
  storage?: StorageManagerLike | null;
  environment?: EnvironmentLike | null;
  tabId?: string;
  /** Mutations per push (≤ 500 by protocol). */
  pushBatchSize?: number;
  /** Changes per pull page (≤ 1000 by protocol). */
  pullLimit?: number;
  /** Background resync interval while nothing else triggers one. */
  slowSyncMs?: number;
  heartbeatMs?: number;
  staleLeaderMs?: number;
}

export type SyncClient = ReturnType<typeof createSyncClient>;

/**
 * The client sync engine: local writes (mirror + outbox in one transaction), and — in the
 * leader tab only — the push/pull loop with rebase. See client/src/sync/README.md.
 */
export function createSyncClient(options: SyncClientOptions) {
  const { replica, transport } = options;
  const now = options.clock ?? Date.now;
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  const lock = options.lock === undefined ? defaultLocks() : options.lock;
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const environment =
    options.environment === undefined ? defaultEnvironment() : options.environment;
  const tabId = options.tabId ?? `${replica.clientId}:${Math.floor(random() * 1e12).toString(36)}`;
  const pushBatchSize = options.pushBatchSize ?? 100;
  const pullLimit = options.pullLimit ?? 500;
  const slowSyncMs = options.slowSyncMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const staleLeaderMs = options.staleLeaderMs ?? 10_000;
  const ctx = () => ({ userId: replica.userId });

  const status = createStore<SyncStatus, StatusAction>(
    initialStatus(environment?.isOnline() ?? true),
    statusReducer,
  );
  const notices = createStore<NoticesState, NoticesAction>(initialNotices, noticesReducer);
  let broadcast: BroadcastLike | null = null;
  const writer = createLocalWriter({ replica, now });

  let noticeSeq = 0;
  function raise(
    kind: Notice['kind'],
    message: string,
    detail: unknown,
    id?: string,
    share = true,
  ): void {
    const notice: Notice = {
      id: id ?? `${kind}:${now()}:${++noticeSeq}`,
      kind,
      message,
      detail,
      at: now(),
    };
    notices.dispatch({ type: 'raise', notice });
    if (share) broadcast?.postMessage({ type: 'notice', notice });
  }

  // ---- wake-ups -------------------------------------------------------------------------
  let dirty = false;
  let wakeWaiter: (() => void) | null = null;
  /** Consecutive failed cycles of the loop in this tab (0 when healthy). */
  let failures = 0;
  /**
   * `urgent` wake-ups (Sync now, back online, a poke) cut a backoff short; a local write
   * while the server is failing waits for the backoff instead of hammering it.
   */
  function wake(urgent: boolean): void {
    dirty = true;
    if (urgent || failures === 0) wakeWaiter?.();
  }
  /** Any tab may ask; the leader's loop runs, followers forward to the leader. */
  function trigger(urgent: boolean): void {
    if (status.getSnapshot().isLeader) wake(urgent);
    else broadcast?.postMessage({ type: 'wake', urgent });
  }

  function shareStatus(): void {
    const s = status.getSnapshot();
    broadcast?.postMessage({
      type: 'status',
      status: {
        lastSyncedAt: s.lastSyncedAt,
        lastError: s.lastError,
        initialSync: s.initialSync,
        protocol: s.protocol,
        syncing: s.syncing,
      },
    });
  }
  function dispatch(action: StatusAction): void {
    status.dispatch(action);
    if (
      action.type !== 'pending' &&
      action.type !== 'leader' &&
      action.type !== 'online' &&
      status.getSnapshot().isLeader
    ) {
      shareStatus();
    }
  }
  function fail(err: unknown): void {
    dispatch({
      type: 'syncFailed',
      error: {
        name: err instanceof Error ? err.name : 'Error',
        message: err instanceof Error ? err.message : String(err),
        code: err instanceof HttpError ? err.code : null,
        at: now(),
      },
    });
  }

  const cycle = createSyncCycle({
    replica,
    transport,
    now,
    timers,
    pushBatchSize,
    pullLimit,
    raise,
    dispatch,
    recordPush: (record) => notices.dispatch({ type: 'pushed', record }),
  });

  // ---- the loop (leader only) -----------------------------------------------------------
  async function runLoop(signal: AbortSignal): Promise<void> {
    failures = 0;
    let firstCycle = true;
    const onAbort = () => wakeWaiter?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        dirty = false;
        let delay = slowSyncMs;
        if (status.getSnapshot().protocol === 'client_too_old') {
          delay = Number.POSITIVE_INFINITY; // Only an app update helps; the outbox is kept.
        } else {
          dispatch({ type: 'syncStarted' });
          try {
            // Pull first on start: it tells us whether the server knows more of this replica
            // than its database does (eviction) before anything is sent.
            if (firstCycle) await cycle.pullAll(signal);
            // A push that cannot go through must not stop us receiving others' changes.
            let pushError: unknown = null;
            await cycle.pushAll(signal).catch((err: unknown) => {
              pushError = err;
            });
            await cycle.pullAll(signal);
            if (pushError !== null) throw pushError;
            firstCycle = false;
            failures = 0;
            if (signal.aborted) break;
            // Strictly increasing, so "a sync completed after X" is observable.
            const at = Math.max(now(), (status.getSnapshot().lastSyncedAt ?? 0) + 1);
            await setMeta(replica.db, 'lastSyncedAt', at);
            dispatch({ type: 'syncSucceeded', at });
            if (!credentialChecked) {
              credentialChecked = true;
              // Best effort: without it only the service-worker replay is unavailable.
              void ensureCredential().catch(() => {
                credentialChecked = false;
              });
            }
          } catch (err) {
            if (signal.aborted) break;
            fail(err);
            if (err instanceof ProtocolVersionError) {
              dispatch({ type: 'protocol', protocol: err.which });
              raise('update-required', err.message, { which: err.which }, `protocol:${err.which}`);
              delay = err.which === 'client_too_old' ? Number.POSITIVE_INFINITY : slowSyncMs;
            } else if (err instanceof SyncError && err.retryable) {
              failures++;
              delay = backoffDelay(failures, random);
            } else {
              if (isQuotaError(err)) cycle.quotaNotice(err);
              failures++;
              delay = Math.max(slowSyncMs, backoffDelay(failures, random));
            }
          }
        }
        if (dirty && failures === 0) continue;
        await waitForWake(delay, signal);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async function waitForWake(delay: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const ctl = new AbortController();
    wakeWaiter = () => ctl.abort();
    const stop = () => ctl.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      if (Number.isFinite(delay)) await sleep(timers, delay, ctl.signal);
      else
        await new Promise<void>((r) =>
          ctl.signal.addEventListener('abort', () => r(), { once: true }),
        );
    } finally {
      wakeWaiter = null;
      signal.removeEventListener('abort', stop);
    }
  }

  // ---- storage --------------------------------------------------------------------------
  async function refreshStorage(requestPersist: boolean): Promise<void> {
    if (!storage) return;
    try {
      const persisted =
        requestPersist && storage.persist
          ? await storage.persist()
          : ((await storage.persisted?.()) ?? false);
      const est = storage.estimate ? await storage.estimate() : {};
      dispatch({
        type: 'storage',
        storage: { persisted, usage: est.usage ?? null, quota: est.quota ?? null },
      });
    } catch {
      // Storage APIs are advisory; a browser that refuses them still syncs.
    }
  }

  // ---- writes ---------------------------------------------------------------------------
  async function write<T>(op: () => Promise<T>, added = 1): Promise<T> {
    try {
      const result = await op();
      // No count query on the write path: the outbox live query corrects this in a moment.
      status.dispatch({ type: 'pending', pending: status.getSnapshot().pending + added });
      trigger(false);
      return result;
    } catch (err) {
      if (isQuotaError(err)) cycle.quotaNotice(err);
      throw err;
    }
  }

  let started = false;
  const stopCtl = new AbortController();
  let credentialChecked = false;

  /** Obtains (once) and stores the device sync credential for service-worker replay. */
  async function ensureCredential(): Promise<void> {
    const existing = await getMeta(replica.db, 'credential');
    if (
      existing &&
      existing.clientId === replica.clientId &&
      Date.parse(existing.expiresAt) > now() + 24 * 3600_000
    )
      return;
    const credential = await transport.createCredential(replica.clientId, ctx());
    await setMeta(replica.db, 'credential', credential);
  }

  return {
    status: status as ReadableStore<SyncStatus>,
    notices: {
      subscribe: notices.subscribe,
      getSnapshot: (): readonly Notice[] => notices.getSnapshot().notices,
      dismiss: (id: string) => notices.dispatch({ type: 'dismiss', id }),
      /** Recent pushes and their per-mutation results (for a sync inspector). */
      history: { subscribe: notices.subscribe, getSnapshot: () => notices.getSnapshot().history },
    },
    replica,

    /** Starts leader election and (in the leader) the sync loop; everything stops on abort. */
    async start(outerSignal: AbortSignal): Promise<void> {
      if (started) throw new Error('SyncClient.start() called twice');
      started = true;
      // signOut() stops everything too, before the database goes away under the loop.
      const signal = AbortSignal.any([outerSignal, stopCtl.signal]);
      broadcast =
        options.broadcast === undefined ? defaultBroadcast(replica.userId) : options.broadcast;
      const onMessage = (ev: { data: unknown }) => {
        const msg = ev.data as TabMessage;
        switch (msg?.type) {
          case 'wake':
            if (status.getSnapshot().isLeader) wake(msg.urgent === true);
            break;
          case 'status':
            if (!status.getSnapshot().isLeader)
              status.dispatch({ type: 'fromLeader', status: msg.status });
            break;
          case 'notice':
            notices.dispatch({ type: 'raise', notice: msg.notice });
            break;
          default:
            break; // Messages from a newer app version in another tab: ignore.
        }
      };
      broadcast?.addEventListener('message', onMessage);
      const unsubscribeEnv = environment?.subscribe((event) => {
        if (event === 'online') dispatch({ type: 'online', online: true });
        if (event === 'offline') dispatch({ type: 'online', online: false });
        if (event !== 'offline') trigger(true);
      });
      // Every tab keeps its own pending count from the outbox (writes of other tabs included).
      // It also wakes the leader when another tab queued a write (even without BroadcastChannel).
      const pendingSub = liveQuery(() => countUnsent(replica)).subscribe({
        next: (pending) => {
          const grew = pending > status.getSnapshot().pending;
          status.dispatch({ type: 'pending', pending });
          if (grew && status.getSnapshot().isLeader) wake(false);
        },
        error: () => undefined,
      });
      signal.addEventListener(
        'abort',
        () => {
          pendingSub.unsubscribe();
          unsubscribeEnv?.();
          broadcast?.removeEventListener('message', onMessage);
        },
        { once: true },
      );
      await refreshStorage(true);
      const lastSyncedAt = await getMeta(replica.db, 'lastSyncedAt');
      if (lastSyncedAt !== undefined)
        status.dispatch({
          type: 'fromLeader',
          status: { ...pick(status.getSnapshot()), lastSyncedAt },
        });
      void runLeaderElection({
        replica,
        tabId,
        lock,
        now,
        timers,
        heartbeatMs,
        staleMs: staleLeaderMs,
        signal,
        lead: (leaderSignal) => {
          wake(true);
          return runLoop(leaderSignal);
        },
        onChange: (isLeader) => dispatch({ type: 'leader', isLeader }),
      }).finally(() => broadcast?.close());
    },

    createProject: (fields: NewProject) =>
      write(async () => (await writer.createProject(fields)).id),
    updateProject: (id: string, patch: Parameters<typeof writer.updateProject>[1]) =>
      write(async () => void (await writer.updateProject(id, patch))),
    deleteProject: (id: string) => write(async () => void (await writer.deleteProject(id))),
    createTask: (fields: NewTask) => write(async () => (await writer.createTask(fields)).id),
    /** Creates many tasks in one transaction (all or nothing); returns their ids in order. */
    createTasks: (list: readonly NewTask[]) => write(() => writer.createTasks(list), list.length),
    updateTask: (id: string, patch: Parameters<typeof writer.updateTask>[1]) =>
      write(async () => void (await writer.updateTask(id, patch))),
    deleteTask: (id: string) => write(async () => void (await writer.deleteTask(id))),

    /** Sync as soon as possible (a "Sync now" button; also clears a paused push). */
    syncNow(): void {
      cycle.unblock();
      trigger(true);
    },
    /** The WebSocket said the org's log reached `cursor`: pull if we are behind. */
    poke(cursor: number): void {
      void getMeta(replica.db, 'cursor').then((local) => {
        if (local === undefined || cursor > local) trigger(true);
      });
    },
    /** Re-reads `navigator.storage.estimate()` into the status. */
    refreshStorage: () => refreshStorage(false),

    /**
     * Signs this user out of this device: revokes the sync credential, deletes the user's
     * database (mirror, outbox, meta). Unsent changes are discarded — the UI should warn
     * when `status.pending > 0`. Stops this client first; other tabs see the database go.
     */
    async signOut(): Promise<void> {
      const credential = await getMeta(replica.db, 'credential').catch(() => undefined);
      stopCtl.abort();
      if (credential) await transport.revokeCredential(credential.id, ctx()).catch(() => undefined);
      notices.dispatch({ type: 'clear' });
      await deleteReplica(replica);
      if (replica.sentinel) {
        clearSentinel(replica.sentinel, replica.userId);
        replica.sentinel.removeItem(queryCacheKey(replica.userId));
      }
    },

    /** Obtains (if missing or expiring) and stores the device sync credential for service-worker replay. */
    ensureCredential,
  };
}

function pick(s: SyncStatus) {
  return {
    lastSyncedAt: s.lastSyncedAt,
    lastError: s.lastError,
    initialSync: s.initialSync,
    protocol: s.protocol,
    syncing: s.syncing,
  };
}

import {
  newClientId,
  type EntityId,
  type PokeCarried,
  type ProjectFields,
  type TaskFields,
} from '@outpost/shared';
import type { Stored } from './outbox-ids';
import { isQuotaError } from './errors';
import { runLeaderElection, type LockManagerLike } from './leader';
import { createLocalWriter, type NewProject, type NewTask } from './local-writes';
import { createLoop } from './loop';
import { getMetas } from './meta';
import { evictionNotice, noticesForError, type NoticeDraft } from './notice-drafts';
import { initialNotices, noticesReducer, ONCE, type Notice, type NoticesAction } from './notices';
import type { NoticesState } from './notices';
import {
  anySignal,
  defaultBroadcast,
  defaultEnvironment,
  defaultLocks,
  type BroadcastLike,
  type EnvironmentLike,
} from './platform';
import { connectPokes, type ConnectPokesOptions } from './pokes';
import { watchPending, type PendingWatch } from './pending';
import { PULL_LIMIT } from './pull';
import { PUSH_BATCH_SIZE } from './push';
import { deleteReplica, type Replica } from './replica';
import { forgetEvictionNotice } from './recovery';
import { createRunner } from './runner';
import { rememberAnswered, storedNotices } from './stored-notices';
import { withSocketPush, type SocketPusher } from './socket-push';
import { clearSentinel } from './sentinel';
import { initialStatus, statusReducer, type StatusAction, type SyncStatus } from './status';
import { createStore, type ReadableStore } from './store';
import { connectTabs } from './tabs';
import { realTimers, type Timers } from './timers';
import type { SyncTransport } from './transport';

/** The poke WebSocket; only the leader tab opens it. */
export type PokeOptions = Pick<ConnectPokesOptions, 'url' | 'getToken' | 'WebSocket'>;

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
  environment?: EnvironmentLike | null;
  /** Real-time pokes (optional: correctness never depends on them). */
  pokes?: PokeOptions | null;
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
 * The client sync engine — wiring only: local writes (`local-writes.ts`) in every tab; leader
 * election (`leader.ts`); in the leader, the loop (`loop.ts`) running sync cycles
 * (`runner.ts` → `cycle.ts`) and the poke socket (`pokes.ts`); tabs share status and notices
 * (`tabs.ts`). See README.md in this folder.
 */
export function createSyncClient(options: SyncClientOptions) {
  const { replica, transport } = options;
  const now = options.clock ?? Date.now;
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  const lock = options.lock === undefined ? defaultLocks() : options.lock;
  const environment =
    options.environment === undefined ? defaultEnvironment() : options.environment;
  // A fresh UUIDv7, as a new client's id: unique among this user's tabs (a lease names its tab).
  const tabId = options.tabId ?? newClientId();

  const status = createStore<SyncStatus, StatusAction>(
    initialStatus(environment?.isOnline() ?? true),
    statusReducer,
  );
  const notices = createStore<NoticesState, NoticesAction>(initialNotices, noticesReducer);
  const writer = createLocalWriter({ replica, now, timers });
  const loop = createLoop({
    timers,
    random,
    slowSyncMs: options.slowSyncMs ?? 60_000,
    // A server that said how long to wait (429, 503 with Retry-After) is not asked sooner.
    retryAfter: () => runner.takeRetryAfter(),
    // The status shows when the next attempt is due ("retrying in 8 s").
    onWait: (delay, retrying) =>
      status.dispatch({
        type: 'retryAt',
        at: retrying && Number.isFinite(delay) ? now() + delay : null,
      }),
  });
  let tabs: ReturnType<typeof connectTabs> | null = null;
  let pendingWatch: PendingWatch | null = null;
  // In the leader: an urgent wake-up (Sync now, back online, visible) also asks for a pull; a
  // write only needs its push.
  const leaderWake = (urgent: boolean, records?: readonly Stored[]) => {
    if (urgent) runner.wantPull();
    // A write is pushed at once by the lane unless only the loop may push now.
    if (urgent || !runner.pushNow(records)) loop.wake(urgent);
  };
  /**
   * Sync now, in the leader (pressed here or in another tab): un-pauses a paused push, pulls,
   * and a fresh step runs at once or right after the running one — even if that one fails.
   */
  const leaderSyncNow = () => {
    runner.unpause();
    runner.wantPull();
    loop.syncNow();
  };
  const wake = (urgent: boolean) => (tabs ? tabs.wake(urgent) : leaderWake(urgent));
  function raise(drafts: readonly NoticeDraft[]): void {
    for (const draft of drafts) {
      // A draft without an id gets a fresh UUIDv7: unique across this user's tabs too.
      const notice: Notice = { ...draft, id: draft.id ?? newClientId(), at: draft.at ?? now() };
      const before = notices.getSnapshot();
      notices.dispatch({ type: 'raise', notice });
      // Shown or dismissed already (here, so in every tab): nothing new to tell.
      if (notices.getSnapshot() !== before) tabs?.shareNotice(notice);
    }
  }

  /** The open socket's push channel (null: no socket, so pushes go over HTTP and no pokes come). */
  let pusher: SocketPusher | null = null;
  const runner = createRunner({
    replica,
    // Not while the browser says offline: a socket can outlive the network (or its emulation)
    // for a while, and "offline" must mean nothing leaves the device.
    transport: withSocketPush(transport, () => (status.getSnapshot().online ? pusher : null)),
    now,
    timers,
    pushBatchSize: options.pushBatchSize ?? PUSH_BATCH_SIZE,
    pullLimit: options.pullLimit ?? PULL_LIMIT,
    status,
    notices,
    raise,
    pokesLive: () => pusher !== null,
    wake: () => loop.wake(true),
    failing: () => loop.failing,
  });

  /** Leads this user's sync until `signal` aborts: the loop, and the poke socket if any. */
  function lead(signal: AbortSignal): Promise<void> {
    runner.reset(signal);
    loop.wake(true);
    if (options.pokes) openPokes(options.pokes, signal);
    return loop.run(signal, runner.step);
  }

  function openPokes(pokes: PokeOptions, signal: AbortSignal): void {
    let refused = false;
    void connectPokes({
      ...pokes,
      clientId: replica.clientId,
      onPoke: (cursor, carried) => client.poke(cursor, carried),
      onPusher: (p) => {
        const lost = pusher !== null && p === null;
        pusher = p;
        // A live socket dropped: the server may be gone (or restarting). Pull now rather
        // than at the slow timer, so an outage is known (and said) within seconds and what
        // the pokes would have brought meanwhile is caught up.
        if (lost && !signal.aborted) {
          runner.wantPull();
          loop.wake(true);
        }
      },
      // Refused for good (protocol version, member removed, email in use): the socket stops; a
      // cycle now meets the same refusal over HTTP and reports it as any other (status,
      // notices).
      onRefused: () => {
        refused = true;
        runner.wantPull();
        loop.wake(true);
      },
      signal,
    })
      .catch(() => undefined)
      .finally(() => {
        pusher = null;
        if (refused && !signal.aborted) reopenPokesWhenAdmitted(pokes, signal);
      });
  }

  /**
   * A socket refused because this user was removed (4012) or another member has their email
   * (4013) opens again once a sync that met that refusal over HTTP succeeds: an admin added
   * them back, and pokes come at once again rather than at the slow timer.
   */
  function reopenPokesWhenAdmitted(pokes: PokeOptions, signal: AbortSignal): void {
    let refusedOverHttp = false;
    const stop = () => {
      unsubscribe();
      signal.removeEventListener('abort', stop);
    };
    const unsubscribe = status.subscribe(() => {
      const { lastError } = status.getSnapshot();
      if (lastError?.code === 'MEMBER_REMOVED' || lastError?.code === 'EMAIL_IN_USE')
        refusedOverHttp = true;
      else if (lastError === null && refusedOverHttp) {
        stop();
        openPokes(pokes, signal);
      }
    });
    signal.addEventListener('abort', stop);
  }

  /**
   * `added`: how many mutations the write queued (none: nothing to count or push); `records`:
   * what it queued, handed to the leader's push lane when this tab leads.
   */
  async function write<T>(
    written: Promise<T>,
    added: (result: T) => number,
    records?: (result: T) => readonly Stored[],
  ): Promise<T> {
    try {
      const result = await written;
      const n = added(result);
      if (n === 0) return result;
      // No count query on the write path: counted here (`watchPending` recounts what others change).
      status.dispatch({ type: 'pending', pending: status.getSnapshot().pending + n });
      pendingWatch?.counted();
      if (records && status.getSnapshot().isLeader) leaderWake(false, records(result));
      else wake(false);
      return result;
    } catch (err) {
      if (isQuotaError(err)) raise(noticesForError(err));
      throw err;
    }
  }

  /** One edit: its record goes to the leader's push lane. False: it changed nothing, nothing queued. */
  async function single(written: Promise<Stored | null>): Promise<boolean> {
    const record = await write(
      written,
      (r) => (r ? 1 : 0),
      (r) => (r ? [r] : []),
    );
    return record !== null;
  }

  /** One create: its record goes to the lane; the new row's id comes back. */
  function created(written: Promise<{ id: EntityId; record: Stored }>): Promise<{ id: EntityId }> {
    return write(
      written,
      () => 1,
      (r) => [r.record],
    );
  }

  let started = false;
  const stopCtl = new AbortController();
  // Another tab upgraded the database: it closed here for good (db.ts), and only a reload into
  // the newer version syncs again. Said as an outdated app is ("update the app"), not as an
  // unreachable server, and the loop stops at its next step.
  replica.db.outdated.add(() => status.dispatch({ type: 'protocol', protocol: 'client_too_old' }));

  const client = {
    status: status as ReadableStore<SyncStatus>,
    notices: {
      subscribe: notices.subscribe,
      getSnapshot: (): readonly Notice[] => notices.getSnapshot().notices,
      /** Gone from every tab of this user (a conflict's "Use mine" is offered once). */
      dismiss: (id: string) => {
        const kind = notices.getSnapshot().notices.find((n) => n.id === id)?.kind;
        notices.dispatch({ type: 'dismiss', id });
        tabs?.shareDismiss(id);
        // A recovery's notice is kept until it is dismissed (in whichever tab); a conflict or
        // a refusal is raised again at each start until it is answered.
        if (kind === 'evicted') void forgetEvictionNotice(replica, id).catch(() => undefined);
        else if (kind && ONCE.has(kind))
          void rememberAnswered(replica, [id]).catch(() => undefined);
      },
      /** Recent pushes and their per-mutation results (for a sync inspector). */
      history: { subscribe: notices.subscribe, getSnapshot: () => notices.getSnapshot().history },
    },
    replica,

    /** Starts leader election and (in the leader) the sync loop; everything stops on abort. */
    async start(outerSignal: AbortSignal): Promise<void> {
      if (started) throw new Error('SyncClient.start() called twice');
      started = true;
      // signOut() stops everything too, before the database goes away under the loop.
      const signal = anySignal([outerSignal, stopCtl.signal]);
      const broadcast =
        options.broadcast === undefined ? defaultBroadcast(replica.userId) : options.broadcast;
      tabs = connectTabs({
        broadcast,
        status,
        notices,
        onWake: (urgent, now) => (now ? leaderSyncNow() : leaderWake(urgent)),
        signal,
      });
      const unsubscribeEnv = environment?.subscribe((event) => {
        if (event === 'online') status.dispatch({ type: 'online', online: true });
        if (event === 'offline') status.dispatch({ type: 'online', online: false });
        if (event === 'online' || event === 'visible') wake(true);
        // Back to the window while the last sync failed (a removed member added back, a
        // server back up): try now rather than at the next retry, up to a minute away.
        if (event === 'focus' && status.getSnapshot().lastError !== null) wake(true);
        // The page may be closing: the sentinel gets the last writes now.
        if (event === 'hidden') writer.flushSentinel();
      });
      // Every tab keeps its own pending count (writes of other tabs included); it also wakes
      // the leader when another tab queued a write (even without BroadcastChannel).
      pendingWatch = watchPending(
        replica,
        timers,
        (pending) => {
          const grew = pending > status.getSnapshot().pending;
          status.dispatch({ type: 'pending', pending });
          if (grew && status.getSnapshot().isLeader) leaderWake(false);
        },
        () => status.getSnapshot().isLeader,
      );
      signal.addEventListener(
        'abort',
        () => {
          pendingWatch?.stop();
          pendingWatch = null;
          unsubscribeEnv?.();
          writer.flushSentinel();
        },
        { once: true },
      );
      // Until this is read, screens cannot tell a first sync from an empty workspace.
      const [meta, stored] = await Promise.all([
        getMetas(replica.db, ['lastSyncedAt', 'evictionNotice']),
        storedNotices(replica, { userId: replica.userId, clientId: replica.clientId }),
      ]);
      status.dispatch({ type: 'restored', lastSyncedAt: meta.lastSyncedAt ?? null });
      // A recovery told before this start, not dismissed yet (perhaps never seen: the page
      // that recovered closed first).
      if (meta.evictionNotice) raise([evictionNotice(meta.evictionNotice)]);
      // Conflicts and refusals told before this start and not answered (a reload, a closed tab).
      notices.dispatch({ type: 'answered-before', ids: stored.answered });
      raise(stored.drafts);
      void runLeaderElection({
        replica,
        tabId,
        lock,
        now,
        timers,
        heartbeatMs: options.heartbeatMs ?? 2_000,
        staleMs: options.staleLeaderMs ?? 10_000,
        signal,
        lead,
        onChange: (isLeader) => status.dispatch({ type: 'leader', isLeader }),
      }).finally(() => tabs?.close());
    },

    createProject: async (fields: NewProject) =>
      (await created(writer.create('project', fields))).id,
    /**
     * Queues the fields of `patch` that differ from what this replica shows; resolves false
     * when none does (nothing queued: re-saving a value never overrides a teammate's change).
     */
    updateProject: (id: string, patch: Partial<ProjectFields>) =>
      single(writer.update('project', id, patch)),
    deleteProject: async (id: string) => void (await single(writer.delete('project', id))),
    createTask: async (fields: NewTask) => (await created(writer.create('task', fields))).id,
    /** Creates many tasks in one transaction (all or nothing); returns their ids in order. */
    createTasks: (list: readonly NewTask[]) => write(writer.createTasks(list), () => list.length),
    /** As `updateProject`: false when nothing differed, so nothing was queued. */
    updateTask: (id: string, patch: Partial<TaskFields>) =>
      single(writer.update('task', id, patch)),
    /**
     * Edits many tasks in one transaction (all or nothing): a bulk action's one write. Only
     * fields that differ are queued; resolves with the ids of the tasks it changed.
     */
    updateTasks: async (
      list: readonly { id: string; patch: Partial<TaskFields> }[],
    ): Promise<readonly EntityId[]> => {
      const record = await write(
        writer.updateTasks(list),
        (r) => r?.mutations.length ?? 0,
        (r) => (r ? [r] : []),
      );
      return (record?.entityIds ?? []) as EntityId[];
    },
    deleteTask: async (id: string) => void (await single(writer.delete('task', id))),

    /** Sync as soon as possible (a "Sync now" button; also clears a paused push). */
    syncNow(): void {
      if (tabs) tabs.wake(true, true);
      else leaderSyncNow();
    },
    /**
     * The org's log reached `cursor` (a poke): if we are behind, apply the changes it carried
     * (when they continue our cursor) or pull. Checked against the cursor in memory: no
     * IndexedDB read on the path of another device's write.
     */
    poke(cursor: number, carried?: PokeCarried): void {
      if (runner.poke(cursor, carried)) loop.wake(true);
    },

    /**
     * Signs this user out of this device: deletes the user's database (mirror, outbox, meta;
     * the app revokes the device sync credential stored there first). Unsent changes are discarded — the UI should warn
     * when `status.pending > 0`. Stops this client first; other tabs see the database go.
     */
    async signOut(): Promise<void> {
      stopCtl.abort();
      notices.dispatch({ type: 'clear' });
      await deleteReplica(replica);
      if (replica.sentinel) clearSentinel(replica.sentinel, replica.userId);
    },
  };
  return client;
}

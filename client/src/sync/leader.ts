import { PROTOCOL_VERSION } from '@outpost/shared';
import type { Replica } from './replica';
import { getMeta } from './meta';
import { anySignal } from './platform';
import { sleep, type Timers } from './timers';

/**
 * The Web Lock held by the tab that leads a user's sync. The service worker asks for it too
 * (`ifAvailable`) so its Background Sync replay never races an open tab.
 */
export const LEADER_LOCK_PREFIX = 'outpost-sync-';
export const leaderLockName = (userId: string): string => `${LEADER_LOCK_PREFIX}${userId}`;

/** The part of the Web Locks API we use (`navigator.locks`). */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal; steal?: boolean },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
}

export interface LeaderOptions {
  replica: Replica;
  tabId: string;
  lock: LockManagerLike | null;
  now: () => number;
  timers: Timers;
  heartbeatMs: number;
  /** A heartbeat older than this means the leader is frozen or gone: take over. */
  staleMs: number;
  /** The sync protocol this tab's code speaks (default PROTOCOL_VERSION; tests set others). */
  protocolVersion?: number;
  signal: AbortSignal;
  /** Runs while this tab leads; `signal` aborts when leadership ends. */
  lead: (signal: AbortSignal) => Promise<void>;
  onChange: (isLeader: boolean) => void;
}

/**
 * Exactly one tab per user runs the sync loop. With Web Locks the lock decides (instant
 * hand-over when the leader tab closes); a heartbeat in `meta` lets a follower steal the lock
 * from a frozen or hibernated leader, which keeps holding its lock while it sleeps. Without
 * Web Locks the heartbeat record is itself the lease.
 *
 * A tab whose code speaks a newer protocol takes over from a leader speaking an older one (a
 * lease written before leases named their protocol counts as older): after an update the
 * server may refuse the old tab's requests, and an old leader that kept its lock would hold
 * the whole device back until that tab is reloaded.
 */
export async function runLeaderElection(o: LeaderOptions): Promise<void> {
  const { db } = o.replica;
  const protocolVersion = o.protocolVersion ?? PROTOCOL_VERSION;
  /** A lease another tab renews, and whose code is not older than ours: leave it. */
  const heldByPeer = (lease: { tabId: string; heartbeatAt: number; protocolVersion?: number }) =>
    lease.tabId !== o.tabId &&
    o.now() - lease.heartbeatAt < o.staleMs &&
    (lease.protocolVersion ?? 0) >= protocolVersion;
  const ours = () => ({ tabId: o.tabId, heartbeatAt: o.now(), protocolVersion });

  /** Claims (or renews) the lease; false if another tab holds a fresh one. */
  async function claim(force: boolean): Promise<boolean> {
    return db.transaction('rw', db.meta, async () => {
      const lease = await getMeta(db, 'leader');
      if (!force && lease && heldByPeer(lease)) return false;
      await db.meta.put({ key: 'leader', value: ours() });
      return true;
    });
  }

  /**
   * Takes over a stale lease, or one of older code, in one transaction, so that when several
   * followers notice at once only one of them goes on to steal the lock (the others then see
   * a fresh lease of their own protocol and keep waiting).
   */
  async function claimIfStale(): Promise<boolean> {
    return db.transaction('rw', db.meta, async () => {
      const lease = await getMeta(db, 'leader');
      if (lease && (lease.tabId === o.tabId || heldByPeer(lease))) return false;
      await db.meta.put({ key: 'leader', value: ours() });
      return true;
    });
  }

  /** Leads until the outer signal aborts or another tab takes the lease. */
  async function leadWhileHeld(force: boolean): Promise<void> {
    if (!(await claim(force))) return;
    const lost = new AbortController();
    const leading = anySignal([o.signal, lost.signal]);
    o.onChange(true);
    const work = o.lead(leading).catch(() => undefined);
    try {
      while (!leading.aborted) {
        await sleep(o.timers, o.heartbeatMs, leading);
        if (leading.aborted) break;
        // Renewing fails only if another tab decided we were stale and took over.
        if (!(await claim(false).catch(() => false))) lost.abort();
      }
    } finally {
      lost.abort();
      await work;
      o.onChange(false);
      if (o.signal.aborted) await releaseLease();
    }
  }

  async function releaseLease(): Promise<void> {
    await db
      .transaction('rw', db.meta, async () => {
        const lease = await getMeta(db, 'leader');
        if (lease?.tabId === o.tabId) await db.meta.delete('leader');
      })
      .catch(() => undefined);
  }

  // A database closed for good (a newer version upgraded it; the replica was closed or
  // deleted) cannot hold a lease: leave the election rather than queue for the lock, fail at
  // once and queue again, without end.
  while (!o.signal.aborted && !db.hasBeenClosed()) {
    if (o.lock) {
      const lock = o.lock;
      // Queue for the lock; meanwhile watch the heartbeat and steal from a frozen leader.
      const done = new AbortController();
      const waiting = anySignal([o.signal, done.signal]);
      let stole = false;
      const queued = lock
        .request(leaderLockName(o.replica.userId), { signal: waiting }, () => leadWhileHeld(true))
        .catch(() => undefined)
        .finally(() => done.abort());
      while (!waiting.aborted) {
        await sleep(o.timers, o.heartbeatMs, waiting);
        if (waiting.aborted) break;
        if (await claimIfStale().catch(() => false)) {
          stole = true;
          done.abort();
        }
      }
      await queued;
      if (stole && !o.signal.aborted) {
        await lock
          .request(leaderLockName(o.replica.userId), { steal: true }, () => leadWhileHeld(true))
          .catch(() => undefined);
      }
    } else {
      await leadWhileHeld(false).catch(() => undefined);
      if (!o.signal.aborted) await sleep(o.timers, o.heartbeatMs, o.signal);
    }
  }
}

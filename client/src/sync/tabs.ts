import { unreachable } from '@outpost/shared';
import { z } from 'zod/mini';
import { noticeSchema, type NoticesAction } from './notices';
import type { BroadcastLike } from './platform';
import type { StatusAction, SyncStatus } from './status';

/**
 * The protocol between one user's tabs (BroadcastChannel). Another tab may run a different
 * app version, so what arrives is parsed, and what does not parse is ignored.
 */

/** The status fields only the leader knows (it runs the network side); followers adopt them. */
export const sharedStatusSchema = z.object({
  lastSyncedAt: z.nullable(z.number()),
  lastError: z.nullable(
    z.object({
      name: z.string(),
      message: z.string(),
      code: z.nullable(z.string()),
      at: z.number(),
    }),
  ),
  download: z.nullable(
    z.object({
      kept: z.number(),
      received: z.number(),
      remaining: z.number(),
      startedAt: z.number(),
      at: z.number(),
    }),
  ),
  protocol: z.enum(['ok', 'client_too_old', 'server_too_old']),
  syncing: z.boolean(),
  failures: z.number().check(z.int(), z.nonnegative()),
  retryAt: z.nullable(z.number()),
});
export type SharedStatus = z.infer<typeof sharedStatusSchema>;

export const tabMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: sharedStatusSchema }),
  z.object({ type: z.literal('notice'), notice: noticeSchema }),
  /** A follower asks the leader to sync (a local write, back online, "Sync now"). */
  z.object({ type: z.literal('wake'), urgent: z.boolean() }),
]);
export type TabMessage = z.infer<typeof tabMessageSchema>;

export function sharedStatus(s: SyncStatus): SharedStatus {
  return {
    lastSyncedAt: s.lastSyncedAt,
    lastError: s.lastError,
    download: s.download,
    protocol: s.protocol,
    syncing: s.syncing,
    failures: s.failures,
    retryAt: s.retryAt,
  };
}

const SHARED_KEYS = Object.keys(sharedStatusSchema.shape) as (keyof SharedStatus)[];

interface StoreLike<T, A> {
  getSnapshot(): T;
  subscribe(listener: () => void): () => void;
  dispatch(action: A): void;
}

/**
 * Connects this tab's status and notices to the other tabs': the leader posts the shared
 * status fields whenever they change (the single place they are shared), followers adopt
 * them; notices raised by the leader reach every tab. Wake requests go to `onWake` in the
 * leader. Returns the sender for wake-ups and notices.
 */
export function connectTabs(o: {
  broadcast: BroadcastLike | null;
  status: StoreLike<SyncStatus, StatusAction>;
  notices: StoreLike<unknown, NoticesAction>;
  onWake: (urgent: boolean) => void;
  signal: AbortSignal;
}) {
  const { broadcast, status } = o;
  let posted: SharedStatus | null = null;
  const onStatus = () => {
    const s = status.getSnapshot();
    if (!s.isLeader) {
      posted = null;
      return;
    }
    const next = sharedStatus(s);
    if (posted && SHARED_KEYS.every((k) => posted![k] === next[k])) return;
    posted = next;
    broadcast?.postMessage({ type: 'status', status: next });
  };
  const onMessage = (ev: { data: unknown }) => {
    const parsed = tabMessageSchema.safeParse(ev.data);
    if (!parsed.success) return; // A newer app version in another tab: ignore.
    const msg = parsed.data;
    const leader = status.getSnapshot().isLeader;
    switch (msg.type) {
      case 'wake':
        if (leader) o.onWake(msg.urgent);
        return;
      case 'status':
        if (!leader) status.dispatch({ type: 'fromLeader', status: msg.status });
        return;
      case 'notice':
        o.notices.dispatch({ type: 'raise', notice: msg.notice });
        return;
      default:
        unreachable(msg);
    }
  };
  const unsubscribe = status.subscribe(onStatus);
  broadcast?.addEventListener('message', onMessage);
  o.signal.addEventListener(
    'abort',
    () => {
      unsubscribe();
      broadcast?.removeEventListener('message', onMessage);
    },
    { once: true },
  );
  return {
    /** Any tab may ask; the leader's loop runs, followers forward to the leader. */
    wake(urgent: boolean): void {
      if (status.getSnapshot().isLeader) o.onWake(urgent);
      else broadcast?.postMessage({ type: 'wake', urgent });
    },
    shareNotice(notice: z.infer<typeof noticeSchema>): void {
      broadcast?.postMessage({ type: 'notice', notice });
    },
    close(): void {
      broadcast?.close();
    },
  };
}

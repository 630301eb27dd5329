import { unreachable } from '@outpost/shared';
import type { z } from 'zod/mini';
import { check } from './check';
import type { NoticesAction } from './notices';
import type { noticeSchema, sharedStatusSchema, tabMessageSchema } from './schemas';
import type { BroadcastLike } from './platform';
import type { StatusAction, SyncStatus } from './status';

/**
 * The protocol between one user's tabs (BroadcastChannel, `schemas.ts#tabMessageSchema`).
 * Another tab may run a different app version, so what arrives is parsed, and what does not
 * parse is ignored.
 */

/** The status fields only the leader knows (it runs the network side); followers adopt them. */
export type SharedStatus = z.infer<typeof sharedStatusSchema>;
export type TabMessage = z.infer<typeof tabMessageSchema>;

const SHARED_KEYS = check.keys.sharedStatus;

export function sharedStatus(s: SyncStatus): SharedStatus {
  return Object.fromEntries(SHARED_KEYS.map((k) => [k, s[k]])) as SharedStatus;
}

interface StoreLike<T, A> {
  getSnapshot(): T;
  subscribe(listener: () => void): () => void;
  dispatch(action: A): void;
}

/**
 * Connects this tab's status and notices to the other tabs': the leader posts the shared
 * status fields whenever they change (the single place they are shared), followers adopt
 * them; notices raised by the leader reach every tab, and a dismissal in any tab dismisses it in all. Wake requests go to `onWake` in the
 * leader. Returns the sender for wake-ups, notices and dismissals.
 */
export function connectTabs(o: {
  broadcast: BroadcastLike | null;
  status: StoreLike<SyncStatus, StatusAction>;
  notices: StoreLike<unknown, NoticesAction>;
  onWake: (urgent: boolean, syncNow: boolean) => void;
  signal: AbortSignal;
}) {
  const { broadcast, status } = o;
  let posted: SharedStatus | null = null;
  let closed = false;
  /** A closed channel throws on post; a notice or wake-up after the stop has no one to tell. */
  const post = (msg: TabMessage) => {
    if (!closed) broadcast?.postMessage(msg);
  };
  const onStatus = () => {
    const s = status.getSnapshot();
    if (!s.isLeader) {
      posted = null;
      return;
    }
    const next = sharedStatus(s);
    if (posted && SHARED_KEYS.every((k) => posted![k] === next[k])) return;
    posted = next;
    post({ type: 'status', status: next });
  };
  const onMessage = (ev: { data: unknown }) => {
    const parsed = check.tabMessage.safeParse(ev.data);
    if (!parsed.success) return; // A newer app version in another tab: ignore.
    const msg = parsed.data;
    const leader = status.getSnapshot().isLeader;
    switch (msg.type) {
      case 'wake':
        if (leader) o.onWake(msg.urgent, msg.syncNow === true);
        return;
      case 'status':
        if (!leader) status.dispatch({ type: 'fromLeader', status: msg.status });
        return;
      case 'notice':
        o.notices.dispatch({ type: 'raise', notice: msg.notice });
        return;
      case 'dismiss':
        o.notices.dispatch({ type: 'dismiss', id: msg.id });
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
    wake(urgent: boolean, syncNow = false): void {
      if (status.getSnapshot().isLeader) o.onWake(urgent, syncNow);
      else post(syncNow ? { type: 'wake', urgent, syncNow } : { type: 'wake', urgent });
    },
    shareNotice(notice: z.infer<typeof noticeSchema>): void {
      post({ type: 'notice', notice });
    },
    shareDismiss(id: string): void {
      post({ type: 'dismiss', id });
    },
    close(): void {
      closed = true;
      broadcast?.close();
    },
  };
}

import { WS_PUSH_MAX_BYTES, type PushRequest, type PushResponse, type WsUp } from '@outpost/shared';
import { NetworkError } from './errors';
import type { WsDownRead } from './schemas';
import { toHttpError } from './http-transport';
import type { SyncTransport } from './transport';

/** Pushes over the open poke socket (protocol ≥ 6); see `connectPokes`' `onPusher`. */
export interface SocketPusher {
  /** Sends the push, or returns null when it cannot go on the socket (closed, too big). */
  push(req: PushRequest, signal?: AbortSignal): Promise<PushResponse> | null;
}

/**
 * The socket closed before it answered (or before the push was sent): nothing is known, so the
 * push is sent again over HTTP, and the error never leaves `withSocketPush`.
 */
export class SocketClosedError extends NetworkError {
  override name = 'SocketClosedError';
}

type Answer = Extract<WsDownRead, { type: 'pushed' | 'push-failed' }>;

/**
 * The pushes of one open socket: numbered frames, answered in order by the server. Every
 * push still waiting when the socket closes fails with `SocketClosedError`.
 */
export function socketPushes(send: (frame: string) => boolean) {
  let next = 0;
  const waiting = new Map<
    number,
    { resolve: (r: PushResponse) => void; reject: (e: unknown) => void }
  >();
  const pusher: SocketPusher = {
    push(request, signal) {
      const n = next++;
      const frame = JSON.stringify({ type: 'push', n, request } satisfies WsUp);
      // UTF-16 length ≤ UTF-8 bytes: only a frame near the limit is measured.
      const fits =
        frame.length <= WS_PUSH_MAX_BYTES / 3 ||
        new TextEncoder().encode(frame).length <= WS_PUSH_MAX_BYTES;
      if (!fits || signal?.aborted) return null;
      return new Promise<PushResponse>((resolve, reject) => {
        const onAbort = () => {
          waiting.delete(n);
          reject(signal!.reason);
        };
        waiting.set(n, {
          resolve: (r) => (signal?.removeEventListener('abort', onAbort), resolve(r)),
          reject: (e) => (signal?.removeEventListener('abort', onAbort), reject(e)),
        });
        signal?.addEventListener('abort', onAbort, { once: true });
        if (!send(frame)) {
          waiting.delete(n);
          reject(new SocketClosedError('the socket closed'));
        }
      });
    },
  };
  return {
    pusher,
    /** A `pushed` or `push-failed` message arrived. */
    answer(msg: Answer): void {
      const w = waiting.get(msg.n);
      if (!w) return; // Aborted meanwhile.
      waiting.delete(msg.n);
      if (msg.type === 'pushed') w.resolve(msg.response);
      else w.reject(toHttpError(msg.status, msg.error, '/sync/ws push'));
    },
    /** The socket closed: every unanswered push fails (and is sent again). */
    close(): void {
      for (const w of waiting.values()) w.reject(new SocketClosedError('the socket closed'));
      waiting.clear();
    },
  };
}

/**
 * Pushes go over the open socket when they can (no request per write, and the socket keeps
 * them in order), else over `transport`; a push the socket did not answer before closing is
 * sent again over `transport` (ids make a resend harmless). Pulls always use `transport`.
 */
export function withSocketPush(
  transport: SyncTransport,
  pusher: () => SocketPusher | null,
): SyncTransport {
  return {
    ...transport,
    pull: (req, ctx) => transport.pull(req, ctx),
    push: async (req, ctx) => {
      const sent = pusher()?.push(req, ctx.signal);
      if (!sent) return transport.push(req, ctx);
      try {
        return await sent;
      } catch (err) {
        if (err instanceof SocketClosedError) return transport.push(req, ctx);
        throw err;
      }
    },
  };
}

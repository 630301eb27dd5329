import { WS_CLOSE, type WsDown } from '@outpost/shared';

/** The part of a `ws` WebSocket the real-time layer uses (a fake implements it in tests). */
export interface PeerSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  /** Bytes go out as a text frame with `{ binary: false }` (they hold UTF-8 JSON). */
  send(data: Buffer, options: { binary: boolean }): void;
  close(code: number, reason: string): void;
  terminate(): void;
  ping(): void;
}

/** `WebSocket.OPEN` without importing `ws` into pure modules. */
export const OPEN = 1;

/** Close reasons travel in a control frame: at most 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= 123) return text;
  return (
    buf
      .subarray(0, 120)
      .toString('utf8')
      .replace(/\uFFFD+$/, '') + '...'
  );
}

/** The one place a server message becomes wire text. */
export function encodeDown(msg: WsDown): string {
  return JSON.stringify(msg);
}

/**
 * Sends one message unless the peer is not reading: a socket whose outgoing buffer already
 * holds more than `maxBuffered` bytes is closed with 4009 instead of buffering without bound.
 * Returns whether the message was queued.
 */
export function sendBounded(
  socket: PeerSocket,
  frame: string | Buffer,
  maxBuffered: number,
): boolean {
  if (socket.readyState !== OPEN) return false;
  if (socket.bufferedAmount > maxBuffered) {
    socket.close(WS_CLOSE.slowConsumer, 'slow consumer: too much unread data');
    return false;
  }
  if (typeof frame === 'string') socket.send(frame);
  else socket.send(frame, { binary: false });
  return true;
}

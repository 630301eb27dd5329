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
  frame: string | PreparedFrame,
  maxBuffered: number,
): boolean {
  if (socket.readyState !== OPEN) return false;
  if (socket.bufferedAmount > maxBuffered) {
    socket.close(WS_CLOSE.slowConsumer, 'slow consumer: too much unread data');
    return false;
  }
  if (typeof frame === 'string') socket.send(frame);
  else if (!writeWhole(socket, frame.wire)) socket.send(frame.payload, { binary: false });
  return true;
}

/**
 * A message framed once for every socket it goes to: a server's frames are not masked, so
 * the same bytes are a valid frame on each connection.
 */
export interface PreparedFrame {
  /** The UTF-8 JSON text the message carries. */
  readonly payload: Buffer;
  /** The whole WebSocket frame: FIN, opcode 1 (text), the payload's length, the payload. */
  readonly wire: Buffer;
}

/** Frames `payload` (UTF-8 text) as one unfragmented, unmasked text frame (RFC 6455 §5.2). */
export function prepareTextFrame(payload: Buffer): PreparedFrame {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const wire = Buffer.allocUnsafe(headerLength + n);
  wire[0] = 0x81;
  if (n < 126) wire[1] = n;
  else if (n < 65536) {
    wire[1] = 126;
    wire.writeUInt16BE(n, 2);
  } else {
    wire[1] = 127;
    wire.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(wire, headerLength);
  return { payload, wire };
}

/** The parts of a `ws` WebSocket that `writeWhole` relies on (not `ws`'s public API). */
interface WsConnection {
  _socket?: { write(chunk: Buffer): boolean } | null;
  _sender?: { _state?: unknown; _queue?: { length: number } } | null;
}

/**
 * Writes a prepared frame straight to a `ws` socket's connection; false (nothing written)
 * when the socket is not one whose sender is idle. `ws` frames every send itself (a header
 * allocated per call, then two writes under cork, flushed as a writev): poking 1,000 sockets,
 * that was about a quarter of the send loop's JavaScript. Writing past ws is only safe while
 * its sender holds nothing back — no compression (off, ws.ts) and no Blob being read (never
 * sent): state 0 (DEFAULT), empty queue. Anything else, or another shape, takes ws's path.
 */
export function writeWhole(socket: PeerSocket, wire: Buffer): boolean {
  const { _socket: connection, _sender: sender } = socket as unknown as WsConnection;
  if (!connection || !sender || sender._state !== 0 || sender._queue?.length !== 0) return false;
  connection.write(wire);
  return true;
}

// No schema here: the sync engine imports these at runtime, and a bundler without the client
// build's settings keeps every schema of a module it includes, and zod with them (ws.ts).

/** A poke carries its changes only when the whole message stays within this (UTF-8 bytes). */
export const POKE_CARRY_MAX_BYTES = 32 * 1024;

/**
 * A push over the socket (protocol ≥ 6) is one frame of at most this many UTF-8 bytes; a
 * larger batch goes over HTTP. Also the largest frame the server accepts.
 */
export const WS_PUSH_MAX_BYTES = 64 * 1024;

/** The first protocol version whose sockets take pushes. */
export const SOCKET_PUSH_PROTOCOL = 6;

/**
 * A protocol version the server refuses: the client must update, and does not reconnect. Its
 * own constant so a client that acts on no other close code bundles no table of them.
 */
export const WS_CLOSE_PROTOCOL_VERSION = 4010;

/**
 * The user was removed from the org (or deleted): do not reconnect with this identity. Its own
 * constant for the same reason as `WS_CLOSE_PROTOCOL_VERSION`.
 */
export const WS_CLOSE_MEMBER_REMOVED = 4012;

/**
 * The sign-in is refused because another member of the org has its email under another sign-in
 * (403 `EMAIL_IN_USE` over HTTP): do not reconnect with this identity. Its own constant for the
 * same reason as `WS_CLOSE_PROTOCOL_VERSION`.
 */
export const WS_CLOSE_EMAIL_IN_USE = 4013;

/** Close codes (4000–4999 are application-defined). */
export const WS_CLOSE = {
  unauthenticated: 4001,
  invalidMessage: 4002,
  forbidden: 4003,
  tokenExpired: 4004,
  tooManyConnections: 4008,
  slowConsumer: 4009,
  protocolVersion: WS_CLOSE_PROTOCOL_VERSION,
  helloTimeout: 4011,
  memberRemoved: WS_CLOSE_MEMBER_REMOVED,
  emailInUse: WS_CLOSE_EMAIL_IN_USE,
  serverShutdown: 1001,
  /** A frame over `WS_PUSH_MAX_BYTES` that is not a push (RFC 6455's "message too big"). */
  frameTooLarge: 1009,
  /** The server failed handling the connection (RFC 6455's "internal error"): reconnect. */
  internalError: 1011,
} as const;

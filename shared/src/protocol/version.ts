import { z } from '../schema.js';

/**
 * Sync protocol version, carried by every push, pull and socket hello.
 *
 * History:
 *   1 — push/pull with per-field HLC clocks, tombstones, socket pokes (2026-11).
 *   2 — compacted log (one entry per row, seqs have gaps), tombstone purge with 410
 *       RESYNC_REQUIRED below the purge horizon, activities as a windowed stream
 *       (`activityFloor`; older ones via GET /activities). Minimum raised to 2: a v1 client
 *       cannot resync, so it would keep rows whose tombstones were purged (2026-11).
 *   3 — conflict activities name both sides (`changes[].winner` / `loser`: user and client
 *       id); pull pages carry `remaining` (rows left up to the head, for first-sync
 *       progress). A v2 client is still served, without these fields (2026-11).
 *   4 — a pull from 0 leaves out tombstones written before it began (`liveThrough`), so a
 *       new device's first sync costs the live rows only. Older clients are still served,
 *       with every tombstone as before (2026-11).
 *   5 — a poke may carry the committed changes themselves (`carried`: the log entries of
 *       `(from, cursor]` as a pull from `from` would return them, when they fit in 32 KiB),
 *       so a client at `from` applies them without a pull. Older sockets get bare pokes;
 *       push and pull are as in 4 (2026-11).
 *   6 — a push may go over the socket (`push` → `pushed` / `push-failed`, answered in order,
 *       ≤ 64 KiB a frame): no request per write, and the socket keeps pushes in order. HTTP
 *       push and pull are as in 5; older sockets cannot push (2026-12).
 *   7 — a push answer may carry its own log entries (`echo`: as a poke's `carried`, when they
 *       are all of `(from, cursor]`), so the pusher applies them with its ack instead of
 *       pulling them back. Older clients get answers without it (2026-12).
 *
 * Bump PROTOCOL_VERSION on any wire change; raise MIN_PROTOCOL_VERSION only when the server
 * can no longer serve older clients. "Client too old" asks the user to update the app;
 * "server too old" means the app is newer than the server and must wait (never write).
 */
export const PROTOCOL_VERSION = 7;
export const MIN_PROTOCOL_VERSION = 2;

/** The largest value a `protocolVersion` may hold (versions count up from 1). */
export const PROTOCOL_VERSION_LIMIT = 10_000;

/**
 * What a `protocolVersion` that is no version at all is told (400 VALIDATION at
 * `/protocolVersion`; a socket hello closes 4002). A well-formed version this server does not
 * speak is 409 CLIENT_TOO_OLD / SERVER_TOO_OLD instead (a hello: 4010).
 */
// A plain literal, not a template: a template with a substitution may call toString, so a
// bundler keeps it in the sync engine, which never uses it. A unit test keeps it naming
// PROTOCOL_VERSION_LIMIT.
export const PROTOCOL_VERSION_INVALID =
  'must be a sync protocol version: a whole number from 1 to 10000';

/**
 * Whether `value` is a well-formed protocol version — a whole number from 1 to
 * PROTOCOL_VERSION_LIMIT, what `protocolVersionSchema` takes — whether or not this server
 * speaks it. The server reads it before the rest of a push, pull or hello.
 */
export function isProtocolVersion(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= 1 &&
    value <= PROTOCOL_VERSION_LIMIT
  );
}

// Pure: the sync engine imports PROTOCOL_VERSION, and a bundler without the client build's
// settings would keep the schema (and zod with it) however unused.
export const protocolVersionSchema = /* @__PURE__ */ (() =>
  z
    .number({ error: PROTOCOL_VERSION_INVALID })
    .check(
      z.int(),
      z.gte(1, { error: PROTOCOL_VERSION_INVALID }),
      z.lte(PROTOCOL_VERSION_LIMIT, { error: PROTOCOL_VERSION_INVALID }),
    ))();

export type VersionCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: 'client_too_old' | 'server_too_old';
      readonly message: string;
    };

export function checkProtocolVersion(
  clientVersion: number,
  server: { current: number; min: number } = {
    current: PROTOCOL_VERSION,
    min: MIN_PROTOCOL_VERSION,
  },
): VersionCheck {
  if (clientVersion < server.min) {
    return {
      ok: false,
      code: 'client_too_old',
      message: `This app speaks sync protocol ${clientVersion}; the server needs at least ${server.min}. Update the app (reload) to keep syncing — your unsent changes are kept.`,
    };
  }
  if (clientVersion > server.current) {
    return {
      ok: false,
      code: 'server_too_old',
      message: `This app speaks sync protocol ${clientVersion}; the server only knows up to ${server.current}. Changes stay queued until the server is updated.`,
    };
  }
  return { ok: true };
}

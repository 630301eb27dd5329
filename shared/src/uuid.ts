/**
 * UUIDs without a library (the `uuid` package cost the client engine ~0.6 kB gzip): the v7
 * generator, monotonic within a process as `uuid`'s is (a 31-bit sequence seeded at random each
 * millisecond, then counted up), and `uuid`'s own validation pattern.
 */

import type { ClientId, EntityId } from './ids.js';

// No schema here (ids.ts has them): the sync engine runs these, and a bundler without the
// client build's settings keeps every schema of a module it includes, and zod with them.

/** Web Crypto: in browsers, workers and Node ≥ 19 (shared is typed without DOM or Node). */
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

const UUID_PATTERN =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

export function isUuid(s: string): boolean {
  return UUID_PATTERN.test(s);
}

/** A UUIDv7 (entity ids). Refinements are named exports: the engine's compiled checks import them. */
export function isUuidV7(s: string): boolean {
  return isUuid(s) && uuidVersion(s) === 7;
}

/** The version digit of a valid UUID (`isUuid` first). */
export function uuidVersion(s: string): number {
  return parseInt(s.slice(14, 15), 16);
}

let lastMs = -Infinity;
let seq = 0;

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');

/** A UUIDv7: 48 bits of Unix ms, version 7, a 31-bit sequence over 42 bits, variant, random. */
export function uuidv7(now: number = Date.now()): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  if (now > lastMs) {
    seq = ((b[6]! & 0x7f) << 24) | (b[7]! << 16) | (b[8]! << 8) | b[9]!;
    lastMs = now;
  } else {
    // Same (or an earlier) millisecond: count up so ids made in one process stay ordered.
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs++;
  }
  const ms = hex(lastMs, 12);
  // The sequence's bits: 12 after the version digit, 14 after the variant bits, 6 more, then
  // 2 random bits and 40 random bits.
  return `${ms.slice(0, 8)}-${ms.slice(8)}-${hex(0x7000 | ((seq >>> 20) & 0xfff), 4)}-${hex(
    0x8000 | ((seq >>> 6) & 0x3fff),
    4,
  )}-${hex(((seq & 0x3f) << 2) | (b[10]! & 3), 2)}${Array.from(b.subarray(11), (x) => hex(x, 2)).join('')}`;
}

export function newEntityId(): EntityId {
  return uuidv7() as EntityId;
}

export function newClientId(): ClientId {
  return uuidv7() as ClientId;
}

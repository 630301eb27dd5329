/**
 * UUIDs without a library (the `uuid` package cost the client engine ~0.6 kB gzip): the v7
 * generator, monotonic within a process as `uuid`'s is (a 31-bit sequence seeded at random each
 * millisecond, then counted up), and `uuid`'s own validation pattern.
 */

/** Web Crypto: in browsers, workers and Node ≥ 19 (shared is typed without DOM or Node). */
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

const UUID_PATTERN =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

export function isUuid(s: string): boolean {
  return UUID_PATTERN.test(s);
}

/** The version digit of a valid UUID (`isUuid` first). */
export function uuidVersion(s: string): number {
  return parseInt(s.slice(14, 15), 16);
}

let lastMs = -Infinity;
let seq = 0;

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
  const ms = lastMs;
  b[0] = ms / 0x10000000000;
  b[1] = ms / 0x100000000;
  b[2] = ms / 0x1000000;
  b[3] = ms / 0x10000;
  b[4] = ms / 0x100;
  b[5] = ms;
  b[6] = 0x70 | ((seq >>> 28) & 0x0f);
  b[7] = seq >>> 20;
  b[8] = 0x80 | ((seq >>> 14) & 0x3f);
  b[9] = seq >>> 6;
  b[10] = ((seq << 2) & 0xff) | (b[10]! & 0x03);
  const hex = Array.from(b, (x: number) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

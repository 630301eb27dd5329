import { v7 as libV7, validate as libValidate, version as libVersion } from 'uuid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isUuid, uuidVersion, uuidv7 } from './uuid.js';

declare const crypto: {
  randomUUID(): string;
  getRandomValues<T extends Uint8Array>(array: T): T;
};

describe('uuid without the library', () => {
  it('accepts and refuses exactly what the uuid package does', () => {
    const samples = [
      libV7(),
      uuidv7(),
      crypto.randomUUID(),
      crypto.randomUUID().toUpperCase(),
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
      '01a22d63-85ff-91c1-b8e6-be9ae9d7ac97', // version 9
      '01a22d63-85ff-01c1-b8e6-be9ae9d7ac97', // version 0
      '01a22d63-85ff-71c1-c8e6-be9ae9d7ac97', // variant 110
      '01a22d63-85ff-71c1-b8e6-be9ae9d7ac9', // short
      '01a22d63-85ff-71c1-b8e6-be9ae9d7ac97 ',
      '01a22d6385ff71c1b8e6be9ae9d7ac97',
      'g1a22d63-85ff-71c1-b8e6-be9ae9d7ac97',
      '',
    ];
    for (const s of samples) {
      expect(isUuid(s), s).toBe(libValidate(s));
      if (isUuid(s)) expect(uuidVersion(s), s).toBe(libVersion(s));
    }
  });

  it('makes version-7 ids carrying the time, strictly ordered within a millisecond', () => {
    // Ahead of any id made so far in this process (the sequence state is per process).
    const ms = Date.now() + 86_400_000;
    const ids = Array.from({ length: 2000 }, (_, i) => uuidv7(ms + Math.floor(i / 1000)));
    for (const id of ids) {
      expect(libValidate(id)).toBe(true);
      expect(libVersion(id)).toBe(7);
      expect(id[19]).toMatch(/[89ab]/);
    }
    expect(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // A clock that steps back keeps counting up from the last id.
    expect(uuidv7(ms) > ids.at(-1)!).toBe(true);
  });
});

/** The generator as first written (byte by byte): the same bits for the same random bytes. */
function byteWise() {
  let lastMs = -Infinity;
  let seq = 0;
  return (now: number, b: Uint8Array): string => {
    if (now > lastMs) {
      seq = ((b[6]! & 0x7f) << 24) | (b[7]! << 16) | (b[8]! << 8) | b[9]!;
      lastMs = now;
    } else {
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
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

describe('uuidv7', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lays out the time, sequence and random bits as the byte-wise generator does', () => {
    const reference = byteWise();
    let bytes = new Uint8Array(16);
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends Uint8Array>(a: T) => {
      a.set(bytes);
      return a;
    });
    // Ahead of any id made so far in this process. Seven ids a millisecond, one of them with a
    // clock stepped back; every 50th millisecond seeds the sequence with all ones, so it
    // counts past 2^31.
    const start = Date.now() + 2 * 86_400_000;
    let x = 12345;
    for (let i = 0; i < 3500; i++) {
      const ms = Math.floor(i / 7);
      const now = start + ms - (i % 7 === 3 ? 2 : 0);
      bytes = Uint8Array.from({ length: 16 }, () =>
        ms % 50 === 0 ? 0xff : (x = (x * 1103515245 + 12345) >>> 0) >>> 24,
      );
      expect(uuidv7(now)).toBe(reference(now, Uint8Array.from(bytes)));
    }
  });
});

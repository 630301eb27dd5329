import { v7 as libV7, validate as libValidate, version as libVersion } from 'uuid';
import { describe, expect, it } from 'vitest';
import { isUuid, uuidVersion, uuidv7 } from './uuid.js';

declare const crypto: { randomUUID(): string };

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

import type { z } from 'zod/mini';
import { check } from './check';
import type { sentinelSchema } from './schemas';

/** The subset of `Storage` the sentinel needs (localStorage in the browser). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type Sentinel = z.infer<typeof sentinelSchema>;

const keyFor = (userId: string) => `outpost-replica:${userId}`;

export function readSentinel(storage: KeyValueStorage, userId: string): Sentinel | null {
  try {
    const raw = storage.getItem(keyFor(userId));
    if (raw === null) return null;
    const parsed = check.sentinel.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeSentinel(storage: KeyValueStorage, userId: string, value: Sentinel): void {
  try {
    storage.setItem(keyFor(userId), JSON.stringify(value));
  } catch {
    // A full or disabled localStorage only weakens eviction detection; never fail a write for it.
  }
}

export function clearSentinel(storage: KeyValueStorage, userId: string): void {
  try {
    storage.removeItem(keyFor(userId));
  } catch {
    // See writeSentinel.
  }
}

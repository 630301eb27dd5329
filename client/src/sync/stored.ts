import type { z } from 'zod/mini';
import type { Checks } from './check';
import { stored as compiled } from './check.generated.js';
import type { OutpostDb } from './db';
import type { storedSchemas } from './schemas';

/**
 * What the engine keeps in `meta` for the app and never reads itself: the signed-in user's row
 * (`openReplica`'s `user`, for an offline start: the service worker's `openStoredReplica`) and
 * the device credential (`app/pwa/sync-credential.ts`). Read back checked as `getMeta` checks
 * the engine's values, from checks compiled apart (`@outpost/sync/stored`), so the engine's
 * entry does not carry them.
 */
export type StoredKey = keyof typeof storedSchemas;
export type StoredValue<K extends StoredKey> = z.infer<(typeof storedSchemas)[K]>;

const check = compiled as Checks<typeof storedSchemas>;

/** The stored value of `key`, or undefined when absent or when it no longer fits its schema. */
export async function getStored<K extends StoredKey>(
  db: OutpostDb,
  key: K,
): Promise<StoredValue<K> | undefined> {
  const entry = await db.meta.get(key);
  const parsed = check[key].safeParse(entry?.value);
  return entry && parsed.success ? (parsed.data as StoredValue<K>) : undefined;
}

export async function setStored<K extends StoredKey>(
  db: OutpostDb,
  key: K,
  value: StoredValue<K>,
): Promise<void> {
  await db.meta.put({ key, value });
}

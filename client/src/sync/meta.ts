import { z } from 'zod/mini';
import { clientIdSchema, hlcStringSchema, syncCredentialSchema, userSchema } from '@outpost/shared';
import type { OutpostDb } from './db';

/**
 * Typed keys of the `meta` table. Values written by an older app version are parsed on read:
 * a value that no longer fits its schema reads as absent instead of travelling inward.
 */
export const metaSchemas = {
  clientId: clientIdSchema,
  /** Last change-log seq applied to `base`. */
  cursor: z.number().check(z.int(), z.nonnegative()),
  /** The server's purge horizon as of the last applied page (sent back with each pull). */
  purgeHorizon: z.number().check(z.int(), z.nonnegative()),
  /**
   * While a live-snapshot download (a first sync) is under way: its first page's
   * `liveThrough`, sent with the remaining pages (tombstones at or below it are left out).
   */
  liveThrough: z.number().check(z.int(), z.positive()),
  /** Lowest seq of the synced activity window; older activity is paged from the server. */
  activityFloor: z.number().check(z.int(), z.nonnegative()),

  protocolVersion: z.number().check(z.int(), z.positive()),
  /** The signed-in user this database belongs to (for offline start). */
  user: userSchema,
  /** Last HLC stamp issued or received here; the clock resumes from it. */
  lastHlc: hlcStringSchema,
  /** Highest mutation id ever assigned by this replica (ids never repeat, even after ack). */
  lastMutationId: z.number().check(z.int(), z.nonnegative()),
  /** Device sync credential for service-worker replay. */
  credential: syncCredentialSchema,
  /** Multi-tab leader heartbeat (also the lease when Web Locks are missing). */
  leader: z.object({ tabId: z.string(), heartbeatAt: z.number() }),
  lastSyncedAt: z.number(),
  /**
   * Set when the database was found empty although this browser had a replica for the user
   * (evicted/cleared); cleared once the first pull has told us what the server processed.
   */
  vanished: z.object({ lastMutationId: z.number().check(z.int(), z.nonnegative()) }),
} as const;

export type MetaKey = keyof typeof metaSchemas;
export type MetaValue<K extends MetaKey> = z.infer<(typeof metaSchemas)[K]>;

export async function getMeta<K extends MetaKey>(
  db: OutpostDb,
  key: K,
): Promise<MetaValue<K> | undefined> {
  const entry = await db.meta.get(key);
  if (!entry) return undefined;
  const parsed = metaSchemas[key].safeParse(entry.value);
  return parsed.success ? (parsed.data as MetaValue<K>) : undefined;
}

export async function setMeta<K extends MetaKey>(
  db: OutpostDb,
  key: K,
  value: MetaValue<K>,
): Promise<void> {
  await db.meta.put({ key, value });
}

/** Several keys in one read transaction (each parsed like `getMeta`). */
export async function getMetas<K extends MetaKey>(
  db: OutpostDb,
  keys: readonly K[],
): Promise<{ [P in K]?: MetaValue<P> }> {
  return parseMetas(keys, await db.meta.bulkGet([...keys]));
}

/** The entries of `keys` (as `meta.bulkGet` answers them), each parsed like `getMeta`. */
export function parseMetas<K extends MetaKey>(
  keys: readonly K[],
  entries: readonly ({ value: unknown } | undefined)[],
): { [P in K]?: MetaValue<P> } {
  const out: { [P in K]?: MetaValue<P> } = {};
  keys.forEach((key, i) => {
    const parsed = metaSchemas[key].safeParse(entries[i]?.value);
    if (entries[i] && parsed.success) out[key] = parsed.data as MetaValue<K>;
  });
  return out;
}

import type { z } from 'zod/mini';
import { check } from './check';
import type { OutpostDb } from './db';
import type { metaSchemas } from './schemas';

/** Typed keys of the `meta` table (`schemas.ts#metaSchemas`), each value checked on read. */
export type MetaKey = keyof typeof metaSchemas;
export type MetaValue<K extends MetaKey> = z.infer<(typeof metaSchemas)[K]>;

export async function getMeta<K extends MetaKey>(
  db: OutpostDb,
  key: K,
): Promise<MetaValue<K> | undefined> {
  return (await getMetas(db, [key]))[key];
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
    const parsed = check.meta[key].safeParse(entries[i]?.value);
    if (entries[i] && parsed.success) out[key] = parsed.data as MetaValue<K>;
  });
  return out;
}

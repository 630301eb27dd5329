import type Database from 'better-sqlite3';
import type { SyncedEntity } from '@outpost/shared';
import type { StoreMaintenance } from './types.js';

const BATCH = 500;
type Rewrite = Parameters<StoreMaintenance['rewriteAll']>[0];

/** One table's JSON column, walked in keyset pages: rows by id, log and activities by (org, seq). */
interface Walk {
  select: string;
  update: string;
  json: string;
  entity: (r: Record<string, unknown>) => SyncedEntity;
  key: (r: Record<string, unknown>) => unknown[];
}

const WALKS: readonly Walk[] = [
  {
    select: 'SELECT id, entity, data FROM rows WHERE id > ? ORDER BY id LIMIT ?',
    update: 'UPDATE rows SET data = ? WHERE id = ?',
    json: 'data',
    entity: (r) => r['entity'] as SyncedEntity,
    key: (r) => [r['id']],
  },
  {
    select:
      'SELECT org_id, seq, entity, row FROM changes WHERE (org_id, seq) > (?, ?) ORDER BY org_id, seq LIMIT ?',
    update: 'UPDATE changes SET row = ? WHERE org_id = ? AND seq = ?',
    json: 'row',
    entity: (r) => r['entity'] as SyncedEntity,
    key: (r) => [r['org_id'], r['seq']],
  },
  {
    select:
      'SELECT org_id, seq, data FROM activities WHERE (org_id, seq) > (?, ?) ORDER BY org_id, seq LIMIT ?',
    update: 'UPDATE activities SET data = ? WHERE org_id = ? AND seq = ?',
    json: 'data',
    entity: () => 'activity',
    key: (r) => [r['org_id'], r['seq']],
  },
];

/**
 * Rewrites rows, change-log entries and activities in one write transaction (run under the
 * store's `exclusive`), in keyset-paged batches so memory stays flat. Afterwards the old bytes
 * are purged from the file: the WAL is truncated and the file vacuumed, so plaintext from
 * before encryption does not linger in free pages.
 */
export function sqliteMaintenance(
  db: Database.Database,
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>,
): StoreMaintenance {
  function walk(w: Walk, fn: Rewrite): number {
    const select = db.prepare(w.select);
    const update = db.prepare(w.update);
    let n = 0;
    for (let after: unknown[] = w.key({ id: '', org_id: '', seq: 0 }); ;) {
      const page = select.all(...after, BATCH) as Record<string, unknown>[];
      for (const r of page) {
        const next = fn(w.entity(r), JSON.parse(r[w.json] as string) as Record<string, unknown>);
        if (next) n += update.run(JSON.stringify(next), ...w.key(r)).changes;
      }
      if (page.length < BATCH) return n;
      after = w.key(page.at(-1)!);
    }
  }
  return {
    async getMeta(key) {
      const r = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
        { value: string } | undefined;
      return r?.value ?? null;
    },
    async rewriteAll(fn: Rewrite, set) {
      const changed = await exclusive(async () => {
        const n = WALKS.reduce((sum, w) => sum + walk(w, fn), 0);
        db.prepare(
          'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        ).run(set.key, set.value);
        return n;
      });
      if (changed > 0) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.exec('VACUUM');
      }
      return changed;
    },
  };
}

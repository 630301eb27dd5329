import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ClientId, OrgId } from '@outpost/shared';
import { AppError } from '../errors.js';
import { Mutex } from './mutex.js';
import { sqliteCredentials } from './sqlite-credentials.js';
import { sqliteMembership } from './sqlite-membership.js';
import { sqliteMaintenance } from './sqlite-maintenance.js';
import { migrate } from './sqlite-schema.js';
import {
  PointReads,
  SqliteTx,
  Statements,
  toChange,
  type ChangeRecord,
} from './sqlite-statements.js';
import type {
  ActivityQuery,
  CredentialStore,
  MembershipStore,
  RowListQuery,
  Store,
  StoreMaintenance,
  StoreTx,
  StoredChange,
} from './types.js';

interface ActivityRecord {
  seq: number;
  id: string;
  data: string;
}

function activityChange(r: ActivityRecord): StoredChange {
  return {
    seq: r.seq,
    entity: 'activity',
    entityId: r.id,
    row: JSON.parse(r.data) as Record<string, unknown>,
    clocks: {},
    deleted: null,
  };
}

/** Rows a purge removes per transaction, so it never holds the write lock for long. */
const PURGE_BATCH = 500;

/**
 * The seq of an org's `?`-th newest activity (0-based): the activity window's start by count,
 * read before every poke and pull. It walks that many entries of `activities_by_seq` (schema 7),
 * not of the table itself, whose entries carry each activity's data.
 */
export const WINDOW_START_BY_COUNT =
  'SELECT seq FROM activities WHERE org_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?';

export interface SqliteStoreOptions {
  /** Directory holding `outpost.db`. */
  dataDir: string;
  /** How long a writer waits for another process's write lock (ms). */
  busyTimeoutMs?: number;
  /** Waits between attempts to take the write lock; injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * How often to checkpoint the WAL into the database file (ms). Checkpoints run on a timer
   * rather than inside whichever commit crosses SQLite's page threshold, so a request never
   * pays for copying the WAL and its fsync; while writes come in, right after the next commit
   * (its answer and pokes sent), not whenever the timer fires: the checkpoint blocks this
   * process for 1.5–12 ms, which a push arriving meanwhile waited out.
   */
  checkpointIntervalMs?: number;
  /**
   * `FULL` (default): every commit is fsynced before it is acknowledged, so an acknowledged
   * push survives power loss. `NORMAL`: in WAL mode a commit survives a crash of the process
   * and the file is never corrupted, but an OS crash or power loss may lose the last commits.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * Page cache per connection, MiB (default 2, SQLite's own default). better-sqlite3 builds
   * SQLite with 16 MiB, which two connections fill on a first sync: ~30 MiB of the server's
   * RSS for pages the OS already caches.
   */
  cacheMib?: number;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `fn` again while it fails with SQLITE_BUSY, for up to `ms`. Switching a file that two
 * processes open at once to WAL can fail at once, without waiting out busy_timeout: SQLite
 * skips the busy handler where waiting could deadlock (3 of 300 paired first starts on a
 * loaded machine, the soak's two servers among them). Open is synchronous, so it sleeps by
 * blocking.
 */
export function retryWhileBusy<T>(ms: number, fn: () => T): T {
  const deadline = Date.now() + ms;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      const busy = (err as { code?: unknown }).code === 'SQLITE_BUSY';
      if (!busy || Date.now() >= deadline) throw err;
      Atomics.wait(pause, 0, 0, Math.min(50, 2 ** attempt));
    }
  }
}

function open(
  file: string,
  busyTimeoutMs: number,
  synchronous: 'NORMAL' | 'FULL',
  cacheMib: number,
): Database.Database {
  // The busy timeout from the start: switching to WAL needs a lock another process may hold.
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    db.pragma(`cache_size = ${-cacheMib * 1024}`);
    // Only takes effect on a new, empty file: lets purges hand freed pages back to the OS.
    retryWhileBusy(busyTimeoutMs, () => db.pragma('auto_vacuum = INCREMENTAL'));
    retryWhileBusy(busyTimeoutMs, () => db.pragma('journal_mode = WAL'));
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Embedded store on one SQLite file. Writes run in `BEGIN IMMEDIATE` transactions, so several
 * processes can share the file: the write lock serializes them, and the per-org seq is read
 * and bumped under it (commit order = seq order). Reads outside a transaction use a second
 * connection, which only ever sees committed data.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  readonly #writeDb: Database.Database;
  readonly #readDb: Database.Database;
  readonly #write: Statements;
  /** The read connection: scans (change log, activity pages) and reads during a transaction. */
  readonly #read: Statements;
  /** Point reads: the write connection's warm cache when no transaction is open. */
  readonly #point: Statements;
  readonly #mutex = new Mutex();
  readonly #checkpointTimer: NodeJS.Timeout;
  /** Commits since the last timer tick. */
  #committed = false;
  /** A tick found commits: checkpoint after the next one (or at the next tick). */
  #checkpointDue = false;
  readonly #busyTimeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly credentials: CredentialStore;
  readonly membership: MembershipStore;
  readonly maintenance: StoreMaintenance;

  constructor(options: SqliteStoreOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.file = path.join(options.dataDir, 'outpost.db');
    const busy = options.busyTimeoutMs ?? 10_000;
    const sync = options.synchronous ?? 'FULL';
    const cacheMib = options.cacheMib ?? 2;
    this.#writeDb = open(this.file, busy, sync, cacheMib);
    try {
      migrate(this.#writeDb);
    } catch (err) {
      this.#writeDb.close();
      throw err;
    }
    this.#readDb = open(this.file, busy, sync, cacheMib);
    this.#write = new Statements(this.#writeDb);
    this.#read = new Statements(this.#readDb);
    this.#point = new PointReads(this.#writeDb, this.#write, this.#read);
    this.credentials = sqliteCredentials(this.#write, this.#point, (fn) => this.#exclusive(fn));
    this.membership = sqliteMembership(this.#write, this.#point, (fn) => this.#exclusive(fn));
    this.maintenance = sqliteMaintenance(this.#writeDb, (fn) => this.#exclusive(fn));
    // From here on the write lock is awaited asynchronously (see #begin), not by blocking
    // the thread inside SQLite.
    this.#writeDb.pragma('busy_timeout = 0');
    this.#busyTimeoutMs = busy;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#writeDb.pragma('wal_autocheckpoint = 0');
    // Keep the WAL file from staying large after a burst.
    this.#writeDb.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    this.#checkpointTimer = setInterval(() => this.#tick(), options.checkpointIntervalMs ?? 1000);
    this.#checkpointTimer.unref();
  }

  /** The write connection's `PRAGMA synchronous`, as SQLite reports it. */
  get synchronous(): 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA' {
    const level = this.#writeDb.pragma('synchronous', { simple: true }) as number;
    return (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[level]!;
  }

  /** Each connection's page cache limit, MiB (as SQLite reports it). */
  get cacheMib(): { write: number; read: number } {
    const mib = (db: Database.Database) =>
      -(db.pragma('cache_size', { simple: true }) as number) / 1024;
    return { write: mib(this.#writeDb), read: mib(this.#readDb) };
  }

  getRow(id: string) {
    return this.#point.getRow(id);
  }
  purgedRow(id: string) {
    return this.#point.purgedRow(id);
  }
  purgedMember(orgId: OrgId, externalId: string) {
    return this.#point.purgedMember(orgId, externalId);
  }
  listRows(q: RowListQuery) {
    return this.#point.listRows(q);
  }
  head(orgId: OrgId) {
    return this.#point.head(orgId);
  }
  getClient(clientId: ClientId) {
    return this.#point.getClient(clientId);
  }
  async liveVersion(id: string): Promise<number | null> {
    return this.#point.liveVersionSync(id);
  }

  async changes(
    orgId: OrgId,
    afterSeq: number,
    limit: number,
    liveThrough = 0,
  ): Promise<StoredChange[]> {
    const rows = this.#read
      .prepare(
        'SELECT seq, entity, entity_id, row, clocks, deleted FROM changes WHERE org_id = ? AND seq > ? AND (deleted IS NULL OR seq > ?) ORDER BY seq LIMIT ?',
      )
      .all(orgId, afterSeq, liveThrough, limit) as ChangeRecord[];
    return rows.map(toChange);
  }

  async countChanges(
    orgId: OrgId,
    afterSeq: number,
    upToSeq: number,
    liveThrough = 0,
  ): Promise<number> {
    const row = this.#read
      .prepare(
        'SELECT count(*) AS n FROM changes WHERE org_id = ? AND seq > ? AND seq <= ? AND (deleted IS NULL OR seq > ?)',
      )
      .get(orgId, afterSeq, upToSeq, liveThrough) as { n: number };
    return row.n;
  }

  async ping(): Promise<void> {
    // Touches the tables every request needs, not just the connection.
    this.#read.prepare('SELECT (SELECT count(*) FROM orgs), (SELECT 1 FROM rows LIMIT 1)').get();
  }

  async activities(orgId: OrgId, q: ActivityQuery): Promise<StoredChange[]> {
    const where = ['org_id = ?'];
    const params: (string | number)[] = [orgId];
    if (q.afterSeq !== undefined) {
      where.push('seq > ?');
      params.push(q.afterSeq);
    }
    if (q.beforeSeq !== undefined) {
      where.push('seq < ?');
      params.push(q.beforeSeq);
    }
    if (q.clientId !== undefined) {
      where.push('client_id = ?');
      params.push(q.clientId);
    }
    if (q.actions !== undefined) {
      where.push(`action IN (${q.actions.map(() => '?').join(', ')})`);
      params.push(...q.actions);
    }
    if (q.entityId !== undefined) {
      where.push('entity_id = ?');
      params.push(q.entityId);
    }
    const order = q.beforeSeq !== undefined && q.afterSeq === undefined ? 'DESC' : 'ASC';
    // Left to itself the planner walks the primary key across the whole seq range and filters
    // by client (every activity of an aged org, on each pull page); this index is exact.
    const from =
      q.entityId !== undefined
        ? 'activities INDEXED BY activities_by_entity'
        : q.clientId !== undefined
          ? 'activities INDEXED BY activities_by_client'
          : 'activities';
    params.push(q.limit);
    const rows = this.#read
      .prepare(
        `SELECT seq, id, data FROM ${from} WHERE ${where.join(' AND ')} ORDER BY seq ${order} LIMIT ?`,
      )
      .all(...params) as ActivityRecord[];
    return rows.map(activityChange);
  }

  async activityWindowStart(
    orgId: OrgId,
    window: { newest: number; since: string },
  ): Promise<number | null> {
    const byCount = this.#point.prepare(WINDOW_START_BY_COUNT).get(orgId, window.newest - 1) as
      { seq: number } | undefined;
    const byTime = this.#point
      .prepare(
        'SELECT seq FROM activities WHERE org_id = ? AND created_at >= ? ORDER BY created_at LIMIT 1',
      )
      .get(orgId, window.since) as { seq: number } | undefined;
    if (!byTime) return null;
    return Math.max(byTime.seq, byCount?.seq ?? 0);
  }

  async purgeHorizon(orgId: OrgId): Promise<number> {
    const r = this.#point.prepare('SELECT purged_seq FROM orgs WHERE org_id = ?').get(orgId) as
      { purged_seq: number } | undefined;
    return r?.purged_seq ?? 0;
  }

  async purgeTombstones(before: string): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.#exclusive(async () => {
        const w = this.#write;
        const batch = w
          .prepare(
            'SELECT org_id, seq, entity, entity_id FROM changes WHERE deleted IS NOT NULL AND written_at < ? LIMIT ?',
          )
          .all(before, PURGE_BATCH) as {
          org_id: string;
          seq: number;
          entity: string;
          entity_id: string;
        }[];
        for (const e of batch) {
          w.prepare('DELETE FROM changes WHERE org_id = ? AND seq = ?').run(e.org_id, e.seq);
          // A removed member's identity stays (`purgedMember`); other rows keep only their id.
          const who =
            e.entity === 'user'
              ? ((
                  w
                    .prepare(
                      "SELECT json_extract(data, '$.externalId') AS x FROM rows WHERE id = ?",
                    )
                    .get(e.entity_id) as { x: string | null } | undefined
                )?.x ?? null)
              : null;
          w.prepare(
            'INSERT OR IGNORE INTO purged_rows (id, org_id, entity, external_id) VALUES (?, ?, ?, ?)',
          ).run(e.entity_id, e.org_id, e.entity, who);
          w.prepare('DELETE FROM rows WHERE id = ? AND deleted IS NOT NULL').run(e.entity_id);
          w.prepare('UPDATE orgs SET purged_seq = max(purged_seq, ?) WHERE org_id = ?').run(
            e.seq,
            e.org_id,
          );
        }
        return batch.length;
      });
      total += n;
      if (n < PURGE_BATCH) break;
    }
    if (total > 0) await this.#vacuum();
    return total;
  }

  async purgeActivities(before: string): Promise<number> {
    let total = 0;
    const orgs = this.#read.prepare('SELECT org_id FROM orgs').all() as { org_id: string }[];
    for (const { org_id } of orgs) {
      for (;;) {
        const n = await this.#exclusive(
          async () =>
            this.#write
              .prepare(
                `DELETE FROM activities WHERE org_id = ? AND seq IN
                   (SELECT seq FROM activities WHERE org_id = ? AND created_at < ? LIMIT ?)`,
              )
              .run(org_id, org_id, before, PURGE_BATCH).changes,
        );
        total += n;
        if (n < PURGE_BATCH) break;
      }
    }
    if (total > 0) await this.#vacuum();
    return total;
  }

  /** Hands free pages back to the OS (files created with auto_vacuum = INCREMENTAL). */
  async #vacuum(): Promise<void> {
    await this.#exclusive(async () => {
      this.#writeDb.pragma('incremental_vacuum');
    });
  }

  async storageBytes(): Promise<{ total: number; used: number }> {
    const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
    const pageSize = this.#readDb.pragma('page_size', { simple: true }) as number;
    const pages = this.#readDb.pragma('page_count', { simple: true }) as number;
    const free = this.#readDb.pragma('freelist_count', { simple: true }) as number;
    return {
      total: size(this.file) + size(`${this.file}-wal`),
      used: (pages - free) * pageSize,
    };
  }

  transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#exclusive(async () => {
      const tx = new SqliteTx(this.#write);
      const result = await fn(tx);
      tx.flush();
      return result;
    });
  }

  /** One write transaction at a time in this process, under the file's write lock. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      await this.#begin();
      try {
        const result = await fn();
        this.#writeDb.exec('COMMIT');
        this.#committed = true;
        if (this.#checkpointDue) {
          this.#checkpointDue = false;
          // After the microtasks that answer this commit and poke for it.
          setImmediate(() => this.checkpoint());
        }
        return result;
      } catch (err) {
        if (this.#writeDb.inTransaction) this.#writeDb.exec('ROLLBACK');
        throw err;
      }
    });
  }

  /**
   * Takes the file's write lock. While another process holds it, wait with short async
   * sleeps instead of SQLite's busy handler, which would block this process's event loop
   * (and, with two stores in one process, deadlock: the holder could never finish).
   */
  async #begin(): Promise<void> {
    const deadline = Date.now() + this.#busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        this.#writeDb.exec('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        const busy = (err as { code?: string }).code === 'SQLITE_BUSY';
        if (!busy) throw err;
        if (Date.now() >= deadline) {
          throw new AppError(
            'UNAVAILABLE',
            `The database stayed locked by another process for ${this.#busyTimeoutMs} ms: retry shortly`,
          );
        }
        await this.#sleep(Math.min(1 + attempt, 20) * (0.5 + Math.random()));
      }
    }
  }

  #tick(): void {
    if (this.#committed) this.#checkpointDue = true;
    else {
      this.#checkpointDue = false;
      this.checkpoint();
    }
    this.#committed = false;
  }

  /**
   * Copies committed WAL frames into the database file without waiting on anyone (PASSIVE).
   * Runs on the read connection, which is never inside a transaction.
   */
  checkpoint(): void {
    try {
      this.#readDb.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // SQLITE_BUSY from another process's checkpoint: the next tick retries.
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#checkpointTimer);
    // Wait for an in-flight transaction before closing the connections under it.
    await this.#mutex.run(async () => {
      this.checkpoint();
      this.#readDb.close();
      this.#writeDb.close();
    });
  }
}

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ClientId, EntityId, HlcString, OrgId, SyncedEntity } from '@outpost/shared';
import type { StoredCredential } from '../sync/types.js';
import { Mutex } from './mutex.js';
import { migrate } from './sqlite-schema.js';
import {
  FIELD_NAME,
  type ClientRecord,
  type CredentialStore,
  type RowListQuery,
  type RowWrite,
  type Store,
  type StoreReader,
  type StoreTx,
  type StoredChange,
  type StoredRow,
} from './types.js';

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
   * pays for copying the WAL and its fsync.
   */
  checkpointIntervalMs?: number;
  /**
   * `NORMAL` (default): in WAL mode a commit survives a crash of the process, and the file is
   * never corrupted; an OS crash or power loss may lose the last commits. `FULL` fsyncs every
   * commit (acknowledged pushes survive power loss) at several ms per transaction.
   */
  synchronous?: 'NORMAL' | 'FULL';
}

interface RowRecord {
  id: string;
  org_id: string;
  entity: string;
  data: string;
  clocks: string;
  deleted: string | null;
  version: number;
}

interface ChangeRecord {
  seq: number;
  entity: string;
  entity_id: string;
  row: string;
  clocks: string;
  deleted: string | null;
}

interface ClientRow {
  client_id: string;
  user_id: string;
  org_id: string;
  last_mutation_id: number;
}

interface CredentialRow {
  id: string;
  secret_hash: string;
  user_id: string;
  org_id: string;
  client_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

function toRow(r: RowRecord): StoredRow {
  return {
    id: r.id,
    orgId: r.org_id as OrgId,
    entity: r.entity as SyncedEntity,
    data: JSON.parse(r.data) as Record<string, unknown>,
    clocks: JSON.parse(r.clocks) as Record<string, HlcString>,
    deleted: r.deleted as HlcString | null,
    version: r.version,
  };
}

function toChange(r: ChangeRecord): StoredChange {
  return {
    seq: r.seq,
    entity: r.entity as SyncedEntity,
    entityId: r.entity_id,
    row: JSON.parse(r.row) as Record<string, unknown>,
    clocks: JSON.parse(r.clocks) as Record<string, HlcString>,
    deleted: r.deleted as HlcString | null,
  };
}

function toClient(r: ClientRow): ClientRecord {
  return {
    clientId: r.client_id as ClientId,
    userId: r.user_id as EntityId,
    orgId: r.org_id as OrgId,
    lastMutationId: r.last_mutation_id,
  };
}

function toCredential(r: CredentialRow): StoredCredential {
  return {
    id: r.id,
    secretHash: r.secret_hash,
    userId: r.user_id as EntityId,
    orgId: r.org_id as OrgId,
    clientId: r.client_id as ClientId,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

/** SQL value for an equality filter (JSON booleans come out of json_extract as 0/1). */
function sqlValue(v: string | number | boolean): string | number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** Statements over one connection; the write connection also serves reads inside a tx. */
class Statements implements StoreReader {
  readonly #db: Database.Database;
  readonly #cache = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  prepare(sql: string): Database.Statement {
    let stmt = this.#cache.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#cache.set(sql, stmt);
    }
    return stmt;
  }

  getRowSync(id: string): StoredRow | null {
    const r = this.prepare('SELECT * FROM rows WHERE id = ?').get(id) as RowRecord | undefined;
    return r ? toRow(r) : null;
  }

  headSync(orgId: OrgId): number {
    const r = this.prepare('SELECT head FROM orgs WHERE org_id = ?').get(orgId) as
      { head: number } | undefined;
    return r?.head ?? 0;
  }

  listRowsSync(q: RowListQuery): StoredRow[] {
    const where = ['org_id = ?', 'entity = ?'];
    const params: (string | number)[] = [q.orgId, q.entity];
    for (const [field, value] of Object.entries(q.filter)) {
      if (!FIELD_NAME.test(field)) throw new Error(`Invalid filter field: ${field}`);
      // The expression matches the indexes' text exactly so SQLite can use them.
      if (value === null) where.push(`json_extract(data, '$.${field}') IS NULL`);
      else {
        where.push(`json_extract(data, '$.${field}') = ?`);
        params.push(sqlValue(value));
      }
    }
    if (!q.includeDeleted) where.push('deleted IS NULL');
    if (q.afterId !== null) {
      where.push('id > ?');
      params.push(q.afterId);
    }
    params.push(q.limit);
    const sql = `SELECT * FROM rows WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`;
    return (this.prepare(sql).all(...params) as RowRecord[]).map(toRow);
  }

  getClientSync(clientId: ClientId): ClientRecord | null {
    const r = this.prepare('SELECT * FROM clients WHERE client_id = ?').get(clientId) as
      ClientRow | undefined;
    return r ? toClient(r) : null;
  }

  async getRow(id: string): Promise<StoredRow | null> {
    return this.getRowSync(id);
  }
  async listRows(q: RowListQuery): Promise<StoredRow[]> {
    return this.listRowsSync(q);
  }
  async head(orgId: OrgId): Promise<number> {
    return this.headSync(orgId);
  }
  async getClient(clientId: ClientId): Promise<ClientRecord | null> {
    return this.getClientSync(clientId);
  }
}

class SqliteTx implements StoreTx {
  constructor(readonly s: Statements) {}

  getRow(id: string) {
    return this.s.getRow(id);
  }
  listRows(q: RowListQuery) {
    return this.s.listRows(q);
  }
  head(orgId: OrgId) {
    return this.s.head(orgId);
  }
  getClient(clientId: ClientId) {
    return this.s.getClient(clientId);
  }

  async writeRow(row: RowWrite): Promise<number> {
    const seq = (
      this.s
        .prepare(
          'INSERT INTO orgs (org_id, head) VALUES (?, 1) ON CONFLICT (org_id) DO UPDATE SET head = head + 1 RETURNING head',
        )
        .get(row.orgId) as { head: number }
    ).head;
    const data = JSON.stringify({ ...row.data, version: seq });
    const clocks = JSON.stringify(row.clocks);
    this.s
      .prepare(
        `INSERT INTO rows (id, org_id, entity, data, clocks, deleted, version) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, entity = excluded.entity, data = excluded.data,
           clocks = excluded.clocks, deleted = excluded.deleted, version = excluded.version`,
      )
      .run(row.id, row.orgId, row.entity, data, clocks, row.deleted, seq);
    this.s
      .prepare(
        'INSERT INTO changes (org_id, seq, entity, entity_id, row, clocks, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(row.orgId, seq, row.entity, row.id, data, clocks, row.deleted);
    return seq;
  }

  async putClient(c: ClientRecord): Promise<void> {
    this.s
      .prepare(
        `INSERT INTO clients (client_id, user_id, org_id, last_mutation_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (client_id) DO UPDATE SET user_id = excluded.user_id, org_id = excluded.org_id,
           last_mutation_id = excluded.last_mutation_id`,
      )
      .run(c.clientId, c.userId, c.orgId, c.lastMutationId);
  }
}

function open(
  file: string,
  busyTimeoutMs: number,
  synchronous: 'NORMAL' | 'FULL',
): Database.Database {
  const db = new Database(file);
  // busy_timeout first: switching to WAL needs a lock another process may hold.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  return db;
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
  readonly #read: Statements;
  readonly #mutex = new Mutex();
  readonly #checkpointTimer: NodeJS.Timeout;
  readonly #busyTimeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly credentials: CredentialStore;

  constructor(options: SqliteStoreOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.file = path.join(options.dataDir, 'outpost.db');
    const busy = options.busyTimeoutMs ?? 10_000;
    const sync = options.synchronous ?? 'NORMAL';
    this.#writeDb = open(this.file, busy, sync);
    migrate(this.#writeDb);
    this.#readDb = open(this.file, busy, sync);
    this.#write = new Statements(this.#writeDb);
    this.#read = new Statements(this.#readDb);
    this.credentials = this.#credentialStore();
    // From here on the write lock is awaited asynchronously (see #begin), not by blocking
    // the thread inside SQLite.
    this.#writeDb.pragma('busy_timeout = 0');
    this.#busyTimeoutMs = busy;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#writeDb.pragma('wal_autocheckpoint = 0');
    // Keep the WAL file from staying large after a burst.
    this.#writeDb.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    this.#checkpointTimer = setInterval(
      () => this.checkpoint(),
      options.checkpointIntervalMs ?? 1000,
    );
    this.#checkpointTimer.unref();
  }

  getRow(id: string) {
    return this.#read.getRow(id);
  }
  listRows(q: RowListQuery) {
    return this.#read.listRows(q);
  }
  head(orgId: OrgId) {
    return this.#read.head(orgId);
  }
  getClient(clientId: ClientId) {
    return this.#read.getClient(clientId);
  }

  async changes(orgId: OrgId, afterSeq: number, limit: number): Promise<StoredChange[]> {
    const rows = this.#read
      .prepare(
        'SELECT seq, entity, entity_id, row, clocks, deleted FROM changes WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      )
      .all(orgId, afterSeq, limit) as ChangeRecord[];
    return rows.map(toChange);
  }

  transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#exclusive(() => fn(new SqliteTx(this.#write)));
  }

  /** One write transaction at a time in this process, under the file's write lock. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      await this.#begin();
      try {
        const result = await fn();
        this.#writeDb.exec('COMMIT');
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
        if (!busy || Date.now() >= deadline) throw err;
        await this.#sleep(Math.min(1 + attempt, 20) * (0.5 + Math.random()));
      }
    }
  }

  #credentialStore(): CredentialStore {
    const w = this.#write;
    const r = this.#read;
    // Single statements, but still through #exclusive: never inside another caller's open
    // transaction, and waiting politely for another process's write lock.
    return {
      create: (c) =>
        this.#exclusive(async () => {
          w.prepare(
            `INSERT INTO credentials (id, secret_hash, user_id, org_id, client_id, created_at, expires_at, revoked_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            c.id,
            c.secretHash,
            c.userId,
            c.orgId,
            c.clientId,
            c.createdAt,
            c.expiresAt,
            c.revokedAt,
          );
        }),
      find: async (id) => {
        const row = r.prepare('SELECT * FROM credentials WHERE id = ?').get(id) as
          CredentialRow | undefined;
        return row ? toCredential(row) : null;
      },
      revoke: (id, at) =>
        this.#exclusive(
          async () =>
            w
              .prepare('UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
              .run(at, id).changes > 0,
        ),
      revokeForClient: (userId, clientId, at) =>
        this.#exclusive(
          async () =>
            w
              .prepare(
                'UPDATE credentials SET revoked_at = ? WHERE user_id = ? AND client_id = ? AND revoked_at IS NULL',
              )
              .run(at, userId, clientId).changes,
        ),
    };
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

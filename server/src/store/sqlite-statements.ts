import type Database from 'better-sqlite3';
import type {
  ClientId,
  EntityId,
  HlcString,
  OrgId,
  RowEntity,
  SyncedEntity,
} from '@outpost/shared';
import type { StoredCredential } from './types.js';
import {
  FIELD_NAME,
  type ClientRecord,
  type PurgedRow,
  type RowListQuery,
  type RowWrite,
  type StoreReader,
  type StoreTx,
  type StoredChange,
  type StoredRow,
} from './types.js';

/** Rows as SQLite returns them, their mapping to the port's types, and cached statements. */

export interface RowRecord {
  id: string;
  org_id: string;
  entity: string;
  data: string;
  clocks: string;
  deleted: string | null;
  version: number;
}

export interface ChangeRecord {
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
  external_id: string | null;
  last_mutation_id: number;
}

export interface CredentialRow {
  id: string;
  secret_hash: string;
  user_id: string;
  org_id: string;
  client_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export function toRow(r: RowRecord): StoredRow {
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

export function toChange(r: ChangeRecord): StoredChange {
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
    externalId: r.external_id,
    lastMutationId: r.last_mutation_id,
  };
}

export function toCredential(r: CredentialRow): StoredCredential {
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

/** An entry's age for retention: its own timestamp field when it has one, else now. */
export function writtenAt(data: Readonly<Record<string, unknown>>, field: string): string {
  const v = data[field];
  return typeof v === 'string' ? v : new Date().toISOString();
}

/** SQL value for an equality filter (JSON booleans come out of json_extract as 0/1). */
function sqlValue(v: string | number | boolean): string | number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** Statements over one connection; the write connection also serves reads inside a tx. */
export class Statements implements StoreReader {
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

  liveVersionSync(id: string): number | null {
    const r = this.prepare('SELECT version FROM rows WHERE id = ? AND deleted IS NULL').get(id) as
      { version: number } | undefined;
    return r?.version ?? null;
  }

  getClientSync(clientId: ClientId): ClientRecord | null {
    const r = this.prepare('SELECT * FROM clients WHERE client_id = ?').get(clientId) as
      ClientRow | undefined;
    return r ? toClient(r) : null;
  }

  async getRow(id: string): Promise<StoredRow | null> {
    return this.getRowSync(id);
  }
  async purgedRow(id: string): Promise<PurgedRow | null> {
    const r = this.prepare('SELECT org_id, entity FROM purged_rows WHERE id = ?').get(id) as
      { org_id: string; entity: string } | undefined;
    return r ? { orgId: r.org_id as OrgId, entity: r.entity as RowEntity } : null;
  }
  async purgedMember(orgId: OrgId, externalId: string): Promise<boolean> {
    return (
      this.prepare('SELECT 1 FROM purged_rows WHERE org_id = ? AND external_id = ? LIMIT 1').get(
        orgId,
        externalId,
      ) !== undefined
    );
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

/**
 * Point reads outside a transaction (a member's row, a client, an org's head, the activity
 * window before a poke), on the write connection while it has no transaction open. Its page
 * cache outlives its own commits, whereas the read connection drops its whole cache at its
 * first read after any commit (SQLite's pager discards it when the WAL changed), so each
 * lookup right after a write re-read every page it touched. While a write transaction is open
 * (it spans awaits) they go to the read connection, which only ever sees committed data.
 */
export class PointReads extends Statements {
  readonly #writeDb: Database.Database;
  readonly #write: Statements;
  readonly #read: Statements;

  constructor(writeDb: Database.Database, write: Statements, read: Statements) {
    super(writeDb);
    this.#writeDb = writeDb;
    this.#write = write;
    this.#read = read;
  }

  override prepare(sql: string): Database.Statement {
    return (this.#writeDb.inTransaction ? this.#read : this.#write).prepare(sql);
  }
}

/**
 * A write transaction. It runs under the file's write lock (BEGIN IMMEDIATE), so an org's head
 * read once stays ours until commit: seqs are counted in memory and the new heads written
 * once, by `flush()`, just before COMMIT.
 */
export class SqliteTx implements StoreTx {
  readonly #heads = new Map<OrgId, number>();

  constructor(readonly s: Statements) {}

  #nextSeq(orgId: OrgId): number {
    const seq = (this.#heads.get(orgId) ?? this.s.headSync(orgId)) + 1;
    this.#heads.set(orgId, seq);
    return seq;
  }

  /** Writes the heads this transaction advanced; call right before COMMIT. */
  flush(): void {
    for (const [orgId, head] of this.#heads) {
      this.s
        .prepare(
          'INSERT INTO orgs (org_id, head) VALUES (?, ?) ON CONFLICT (org_id) DO UPDATE SET head = excluded.head',
        )
        .run(orgId, head);
    }
  }

  getRow(id: string) {
    return this.s.getRow(id);
  }
  purgedRow(id: string) {
    return this.s.purgedRow(id);
  }
  purgedMember(orgId: OrgId, externalId: string) {
    return this.s.purgedMember(orgId, externalId);
  }
  listRows(q: RowListQuery) {
    return this.s.listRows(q);
  }
  async head(orgId: OrgId) {
    return this.#heads.get(orgId) ?? this.s.headSync(orgId);
  }
  getClient(clientId: ClientId) {
    return this.s.getClient(clientId);
  }

  async writeRow(row: RowWrite): Promise<number> {
    const seq = this.#nextSeq(row.orgId);
    const data = JSON.stringify({ ...row.data, version: seq });
    const clocks = JSON.stringify(row.clocks);
    this.s
      .prepare(
        `INSERT INTO rows (id, org_id, entity, data, clocks, deleted, version) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, entity = excluded.entity, data = excluded.data,
           clocks = excluded.clocks, deleted = excluded.deleted, version = excluded.version`,
      )
      .run(row.id, row.orgId, row.entity, data, clocks, row.deleted, seq);
    // One entry per row: the previous one goes in the same transaction, so a puller sees
    // the row at its new seq, never twice and never not at all.
    this.s.prepare('DELETE FROM changes WHERE org_id = ? AND entity_id = ?').run(row.orgId, row.id);
    this.s
      .prepare(
        'INSERT INTO changes (org_id, seq, entity, entity_id, row, clocks, deleted, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        row.orgId,
        seq,
        row.entity,
        row.id,
        data,
        clocks,
        row.deleted,
        writtenAt(row.data, 'updatedAt'),
      );
    return seq;
  }

  async appendActivity(entry: RowWrite): Promise<number> {
    const seq = this.#nextSeq(entry.orgId);
    const d = entry.data;
    this.s
      .prepare(
        'INSERT INTO activities (org_id, seq, id, client_id, entity_id, action, created_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        entry.orgId,
        seq,
        entry.id,
        typeof d['clientId'] === 'string' ? d['clientId'] : null,
        typeof d['entityId'] === 'string' ? d['entityId'] : null,
        String(d['action'] ?? ''),
        writtenAt(d, 'createdAt'),
        JSON.stringify({ ...d, version: seq }),
      );
    return seq;
  }

  async putClient(c: ClientRecord): Promise<void> {
    this.s
      .prepare(
        `INSERT INTO clients (client_id, user_id, org_id, external_id, last_mutation_id)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (client_id) DO UPDATE SET user_id = excluded.user_id, org_id = excluded.org_id,
           external_id = excluded.external_id, last_mutation_id = excluded.last_mutation_id`,
      )
      .run(c.clientId, c.userId, c.orgId, c.externalId, c.lastMutationId);
  }
}

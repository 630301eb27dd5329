import type Database from 'better-sqlite3';

/**
 * Versioned schema migrations, tracked in `PRAGMA user_version`. Each entry moves the schema
 * from version i to i + 1; never edit a shipped entry, append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1 — rows with per-field clocks, per-org change log, client progress, sync credentials.
  `
  CREATE TABLE rows (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    data TEXT NOT NULL,
    clocks TEXT NOT NULL,
    deleted TEXT,
    version INTEGER NOT NULL
  );
  CREATE INDEX rows_by_org_entity ON rows (org_id, entity, id);
  CREATE INDEX rows_by_external_id ON rows (org_id, entity, json_extract(data, '$.externalId'));
  CREATE INDEX rows_by_project ON rows (org_id, entity, json_extract(data, '$.projectId'));
  CREATE TABLE changes (
    org_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    row TEXT NOT NULL,
    clocks TEXT NOT NULL,
    deleted TEXT,
    PRIMARY KEY (org_id, seq)
  ) WITHOUT ROWID;
  CREATE TABLE orgs (org_id TEXT PRIMARY KEY, head INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    last_mutation_id INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    user_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX credentials_by_client ON credentials (user_id, client_id);
  `,
  // 2 — the field indexes end in id, so a filtered list is served in id order by the index
  // itself (without it the planner preferred scanning the whole org to avoid a sort).
  `
  DROP INDEX rows_by_external_id;
  DROP INDEX rows_by_project;
  CREATE INDEX rows_by_external_id ON rows (org_id, entity, json_extract(data, '$.externalId'), id);
  CREATE INDEX rows_by_project ON rows (org_id, entity, json_extract(data, '$.projectId'), id);
  CREATE INDEX rows_by_status ON rows (org_id, entity, json_extract(data, '$.status'), id);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the file to SCHEMA_VERSION; safe when several processes open one file at once. */
export function migrate(db: Database.Database): void {
  // IMMEDIATE takes the write lock first, so a concurrent opener waits (busy_timeout) and
  // then sees the version the winner wrote.
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `The database schema (version ${current}) is newer than this server supports (${SCHEMA_VERSION}): upgrade the server`,
      );
    }
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

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
  // 3 — history-independent sync: activities move to their own stream (same seq space), the
  // log is compacted once to one entry per row (kept so by a unique index), entries carry
  // their write time for tombstone retention, and each org records its purge horizon.
  `
  CREATE TABLE activities (
    org_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    client_id TEXT,
    action TEXT NOT NULL,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (org_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX activities_by_client ON activities (org_id, client_id, seq) WHERE client_id IS NOT NULL;
  CREATE INDEX activities_by_time ON activities (org_id, created_at);
  INSERT INTO activities (org_id, seq, id, client_id, action, created_at, data)
    SELECT org_id, seq, entity_id, json_extract(row, '$.clientId'), json_extract(row, '$.action'),
      COALESCE(json_extract(row, '$.createdAt'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), row
    FROM changes WHERE entity = 'activity';
  DELETE FROM changes WHERE entity = 'activity';
  DELETE FROM changes WHERE (org_id, seq) NOT IN (
    SELECT org_id, max(seq) FROM changes GROUP BY org_id, entity_id
  );
  CREATE UNIQUE INDEX changes_by_row ON changes (org_id, entity_id);
  ALTER TABLE changes ADD COLUMN written_at TEXT NOT NULL DEFAULT '';
  UPDATE changes SET written_at =
    COALESCE(json_extract(row, '$.updatedAt'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
  CREATE INDEX changes_tombstones ON changes (written_at) WHERE deleted IS NOT NULL;
  ALTER TABLE orgs ADD COLUMN purged_seq INTEGER NOT NULL DEFAULT 0;
  `,
  // 4 — membership: webhook receipts (replays are no-ops), last seen per member, a user's rows
  // across orgs (a provider's user.updated/deleted names no org), a member's credentials.
  `
  CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    received_at TEXT NOT NULL,
    outcome TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE member_seen (
    org_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX rows_by_user_external_id ON rows (entity, json_extract(data, '$.externalId'));
  CREATE INDEX credentials_by_member ON credentials (user_id, org_id);
  `,
  // 5 — store metadata (which key personal data is encrypted under) and the keyed-hash index
  // that replaces lookups by the (now encrypted) email.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX rows_by_email_index ON rows (org_id, entity, json_extract(data, '$.emailIndex'), id);
  `,
  // 6 — ids of rows whose tombstone was purged (never reused: a create of one is refused).
  `
  CREATE TABLE purged_rows (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    entity TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 7 — the activity window's start by count (on every commit's poke and every pull) walks the
  // org's newest entries: through this narrow index, not the table's rows with their data.
  `
  CREATE INDEX activities_by_seq ON activities (org_id, seq);
  `,
  // 8 — one row's history (GET /activities?entityId=): its entries by seq, not a walk of the
  // org's whole feed. A column, not an index on json_extract(data, …): half the cost added to
  // each activity written (docs/performance.md). Stored ids are in the clear (only the field
  // changes of activities about a user are encrypted).
  `
  ALTER TABLE activities ADD COLUMN entity_id TEXT;
  UPDATE activities SET entity_id = json_extract(data, '$.entityId');
  CREATE INDEX activities_by_entity ON activities (org_id, entity_id, seq) WHERE entity_id IS NOT NULL;
  `,
  // 9 — who a purged user row was (`externalId`): their removal outlives the purge, and a
  // client id keeps its owner's identity, so it stays theirs when they come back as a new row.
  // Records written before stay null.
  `
  ALTER TABLE clients ADD COLUMN external_id TEXT;
  ALTER TABLE purged_rows ADD COLUMN external_id TEXT;
  CREATE INDEX purged_members ON purged_rows (org_id, external_id) WHERE external_id IS NOT NULL;
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

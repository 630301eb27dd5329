import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newEntityId, type OrgId } from '@outpost/shared';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite-schema.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { storeContract } from './storeContract.js';

storeContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-contract-'));
  const store = new SqliteStore({ dataDir: dir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite store file', () => {
  it('keeps committed data across close and reopen, and two stores on one file share one seq', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-sqlite-file-'));
    try {
      const org = 'org_file' as OrgId;
      const row = (id: string) => ({
        entity: 'task' as const,
        id,
        orgId: org,
        data: { id, orgId: org, title: id },
        clocks: {},
        deleted: null,
      });
      const a = new SqliteStore({ dataDir: dir, checkpointIntervalMs: 10 });
      const b = new SqliteStore({ dataDir: dir });
      const ids = [newEntityId(), newEntityId(), newEntityId(), newEntityId()];
      const seqs = await Promise.all(
        ids.map((id, i) => (i % 2 ? a : b).transact((tx) => tx.writeRow(row(id)))),
      );
      expect([...seqs].sort()).toEqual([1, 2, 3, 4]);
      a.checkpoint();
      await a.close();
      await b.close();
      const reopened = new SqliteStore({ dataDir: dir });
      expect(await reopened.head(org)).toBe(4);
      expect((await reopened.changes(org, 0, 10)).map((c) => c.entityId).sort()).toEqual(
        [...ids].sort(),
      );
      await reopened.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('upgrades a file from an older schema and refuses one newer than the server', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-sqlite-migrate-'));
    try {
      const file = path.join(dir, 'outpost.db');
      const old = new Database(file);
      old.exec(MIGRATIONS[0]!);
      old.pragma('user_version = 1');
      old.close();
      const store = new SqliteStore({ dataDir: dir });
      await store.close();
      const db = new Database(file);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const indexes = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rows'")
        .all() as { name: string }[];
      expect(indexes.map((i) => i.name)).toContain('rows_by_status');
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      expect(() => new SqliteStore({ dataDir: dir })).toThrow(/newer than this server supports/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 503 UNAVAILABLE when another process holds the write lock past the timeout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-sqlite-busy-'));
    const store = new SqliteStore({ dataDir: dir, busyTimeoutMs: 50 });
    // Another connection (as another process would) takes the write lock and keeps it.
    const other = new Database(path.join(dir, 'outpost.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const id = newEntityId();
      const write = store.transact((tx) =>
        tx.writeRow({
          entity: 'task',
          id,
          orgId: 'org_busy' as OrgId,
          data: { id },
          clocks: {},
          deleted: null,
        }),
      );
      await expect(write).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 });
      other.exec('ROLLBACK');
      // Once the lock is free, writes go through again.
      await store.transact((tx) =>
        tx.writeRow({
          entity: 'task',
          id,
          orgId: 'org_busy' as OrgId,
          data: { id },
          clocks: {},
          deleted: null,
        }),
      );
      expect(await store.head('org_busy' as OrgId)).toBe(1);
    } finally {
      other.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

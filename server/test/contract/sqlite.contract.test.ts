import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { newEntityId, type OrgId } from '@outpost/shared';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite-schema.js';
import { SqliteStore, WINDOW_START_BY_COUNT } from '../../src/store/sqlite.js';
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

  it('checkpoints after the next commit while writes come in, on the timer when quiet', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-sqlite-ckpt-'));
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setImmediate'] });
    try {
      const org = 'org_ckpt' as OrgId;
      const store = new SqliteStore({ dataDir: dir, checkpointIntervalMs: 1000 });
      const log: string[] = [];
      store.checkpoint = () => void log.push('checkpoint');
      const write = async () => {
        const id = newEntityId();
        const data = { id, orgId: org, title: id };
        await store.transact((tx) =>
          tx.writeRow({ entity: 'task', id, orgId: org, data, clocks: {}, deleted: null }),
        );
        log.push('committed');
      };
      await write();
      // The tick finds a commit behind it: nothing now, the checkpoint follows the next commit.
      vi.advanceTimersByTime(1000);
      expect(log).toEqual(['committed']);
      await write();
      vi.runAllTicks();
      vi.advanceTimersToNextTimer(); // setImmediate
      expect(log).toEqual(['committed', 'committed', 'checkpoint']);
      // A quiet interval: the tick checkpoints at once.
      vi.advanceTimersByTime(1000); // this tick saw the second commit
      vi.advanceTimersByTime(1000);
      expect(log).toEqual(['committed', 'committed', 'checkpoint', 'checkpoint']);
      vi.useRealTimers();
      await store.close();
    } finally {
      vi.useRealTimers();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the activity window's start by count from a narrow index, not the activities' rows", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-sqlite-window-'));
    try {
      await new SqliteStore({ dataDir: dir }).close();
      const db = new Database(path.join(dir, 'outpost.db'), { readonly: true });
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${WINDOW_START_BY_COUNT}`)
        .all('org_plan', 999) as { detail: string }[];
      db.close();
      // The table's own key would walk each entry with its data (~0.1–0.5 ms per poke at 1,000).
      expect(plan.map((p) => p.detail)).toEqual([
        'SEARCH activities USING COVERING INDEX activities_by_seq (org_id=?)',
      ]);
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

  it('migrates a file written by schema 7: one row\u2019s history is found through its index', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-sqlite-entity-'));
    try {
      const file = path.join(dir, 'outpost.db');
      const old = new Database(file);
      for (const m of MIGRATIONS.slice(0, 7)) old.exec(m);
      old.pragma('user_version = 7');
      const org = 'org_v7' as OrgId;
      const task = newEntityId();
      const insert = old.prepare(
        "INSERT INTO activities (org_id, seq, id, client_id, action, created_at, data) VALUES (?, ?, ?, NULL, 'update', '2026-12-01T00:00:00.000Z', ?)",
      );
      for (let seq = 1; seq <= 6; seq++) {
        const id = newEntityId();
        const entityId = seq % 2 === 0 ? task : newEntityId();
        insert.run(org, seq, id, JSON.stringify({ id, entityId, action: 'update', version: seq }));
      }
      old.prepare('INSERT INTO orgs (org_id, head) VALUES (?, ?)').run(org, 6);
      old.close();
      const store = new SqliteStore({ dataDir: dir });
      try {
        const history = await store.activities(org, { entityId: task, beforeSeq: 99, limit: 10 });
        expect(history.map((a) => a.seq)).toEqual([6, 4, 2]);
      } finally {
        await store.close();
      }
      const db = new Database(file);
      const plan = db
        .prepare(
          // The store's query (it names the index: the planner knows no row counts here).
          'EXPLAIN QUERY PLAN SELECT seq, id, data FROM activities INDEXED BY activities_by_entity WHERE org_id = ? AND seq < ? AND entity_id = ? ORDER BY seq DESC LIMIT 10',
        )
        .all(org, 99, task) as { detail: string }[];
      db.close();
      expect(plan.map((p) => p.detail)).toEqual([
        'SEARCH activities USING INDEX activities_by_entity (org_id=? AND entity_id=? AND seq<?)',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrates a file written by schema 2: activities move to their stream, the log is compacted once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-sqlite-compact-'));
    try {
      const file = path.join(dir, 'outpost.db');
      const old = new Database(file);
      // Exactly the DDL a schema-2 server ran, then a log as it wrote it: every write appended.
      old.exec(MIGRATIONS[0]!);
      old.exec(MIGRATIONS[1]!);
      old.pragma('user_version = 2');
      const org = 'org_old' as OrgId;
      const insert = old.prepare(
        'INSERT INTO changes (org_id, seq, entity, entity_id, row, clocks, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const upsertRow = old.prepare(
        `INSERT INTO rows (id, org_id, entity, data, clocks, deleted, version) VALUES (?, ?, 'task', ?, '{}', ?, ?)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, deleted = excluded.deleted, version = excluded.version`,
      );
      const tasks = [newEntityId(), newEntityId(), newEntityId()];
      let seq = 0;
      const activityIds: string[] = [];
      for (let edit = 0; edit < 4; edit++) {
        for (const [i, id] of tasks.entries()) {
          const deleted = i === 2 && edit === 3 ? '001763856000000-00000-c1' : null;
          const data = JSON.stringify({
            id,
            title: `edit ${edit}`,
            version: ++seq,
            updatedAt: `2026-11-0${edit + 1}T00:00:00.000Z`,
          });
          insert.run(org, seq, 'task', id, data, '{}', deleted);
          upsertRow.run(id, org, data, deleted, seq);
          const actId = newEntityId();
          activityIds.push(actId);
          insert.run(
            org,
            ++seq,
            'activity',
            actId,
            JSON.stringify({
              id: actId,
              action: 'update',
              clientId: null,
              createdAt: `2026-11-0${edit + 1}T00:00:00.000Z`,
              version: seq,
            }),
            '{}',
            null,
          );
        }
      }
      old.prepare('INSERT INTO orgs (org_id, head) VALUES (?, ?)').run(org, seq);
      old.close();

      const store = new SqliteStore({ dataDir: dir });
      try {
        expect(await store.head(org)).toBe(24);
        const log = await store.changes(org, 0, 100);
        // 3 rows, each at its last write (seqs 19, 21, 23), the deleted one as a tombstone.
        expect(log.map((c) => [c.entityId, c.seq, c.row['title'], c.deleted !== null])).toEqual([
          [tasks[0], 19, 'edit 3', false],
          [tasks[1], 21, 'edit 3', false],
          [tasks[2], 23, 'edit 3', true],
        ]);
        const acts = await store.activities(org, { afterSeq: 0, limit: 100 });
        expect(acts.map((a) => a.entityId)).toEqual(activityIds);
        expect(acts.map((a) => a.seq)).toEqual(Array.from({ length: 12 }, (_, i) => 2 * i + 2));
        // Entry ages came from each row's updatedAt: the tombstone (Nov 4) goes with a Nov 5 cutoff.
        expect(await store.purgeTombstones('2026-11-04T00:00:00.000Z')).toBe(0);
        expect(await store.purgeTombstones('2026-11-05T00:00:00.000Z')).toBe(1);
        expect(await store.purgeHorizon(org)).toBe(23);
        // New writes continue the seq and keep the log at one entry per row.
        await store.transact((tx) =>
          tx.writeRow({
            entity: 'task',
            id: tasks[0]!,
            orgId: org,
            data: { id: tasks[0], title: 'after' },
            clocks: {},
            deleted: null,
          }),
        );
        expect((await store.changes(org, 0, 100)).map((c) => [c.entityId, c.seq])).toEqual([
          [tasks[1], 21],
          [tasks[0], 25],
        ]);
      } finally {
        await store.close();
      }
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

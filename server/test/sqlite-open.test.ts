import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite.js';

/**
 * A second process holds the write lock of a file still in rollback mode, as one of two
 * servers started together does while it switches the new file to WAL. In a worker thread, so
 * it can let go while this thread is blocked opening the store.
 */
function holdWriteLock(file: string, ms: number): Promise<Worker> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file);
    db.exec('CREATE TABLE held_by_the_other (x)');
    db.exec('BEGIN IMMEDIATE; INSERT INTO held_by_the_other VALUES (1)');
    parentPort.postMessage('held');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, workerData.ms);
  `;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(code, { eval: true, workerData: { driver, file, ms } });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  });
}

describe('opening the SQLite store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('waits for another process that holds the write lock while the file switches to WAL', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-open-'));
    dirs.push(dataDir);
    const worker = await holdWriteLock(path.join(dataDir, 'outpost.db'), 300);
    try {
      // SQLite answers this switch SQLITE_BUSY at once, without waiting out busy_timeout.
      const store = new SqliteStore({ dataDir });
      await store.close();
      const db = new Database(store.file, { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        // The other process's commit is kept, and the schema is this server's.
        expect(db.prepare('SELECT count(*) AS n FROM held_by_the_other').get()).toEqual({ n: 1 });
        expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
      } finally {
        db.close();
      }
    } finally {
      await worker.terminate();
    }
  });

  it('still fails, naming the lock, when the other process keeps it past the busy timeout', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-open-'));
    dirs.push(dataDir);
    const worker = await holdWriteLock(path.join(dataDir, 'outpost.db'), 5_000);
    try {
      expect(() => new SqliteStore({ dataDir, busyTimeoutMs: 200 })).toThrow(/database is locked/);
    } finally {
      await worker.terminate();
    }
  });
});

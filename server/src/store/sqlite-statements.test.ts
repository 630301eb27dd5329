import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PointReads, Statements } from './sqlite-statements.js';

describe('point reads', () => {
  const open: Database.Database[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** Two connections to one WAL file, each with a TEMP table (only it sees) naming it. */
  function connections() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-point-'));
    dirs.push(dir);
    const file = path.join(dir, 'x.db');
    const [writeDb, readDb] = [new Database(file), new Database(file)];
    open.push(writeDb, readDb);
    writeDb.pragma('journal_mode = WAL');
    writeDb.exec('CREATE TABLE t (v TEXT)');
    for (const [db, name] of [
      [writeDb, 'write'],
      [readDb, 'read'],
    ] as const) {
      db.exec('CREATE TEMP TABLE which (name TEXT)');
      db.prepare('INSERT INTO which VALUES (?)').run(name);
    }
    const reads = new PointReads(writeDb, new Statements(writeDb), new Statements(readDb));
    const answeredBy = () =>
      (reads.prepare('SELECT name FROM which').get() as { name: string }).name;
    return { writeDb, reads, answeredBy };
  }

  it('go to the write connection, whose page cache its own commits keep, while it has no transaction open', () => {
    const { writeDb, reads, answeredBy } = connections();
    expect(answeredBy()).toBe('write');
    writeDb.prepare("INSERT INTO t VALUES ('committed')").run();
    expect(answeredBy()).toBe('write');
    expect(reads.prepare('SELECT v FROM t').all()).toEqual([{ v: 'committed' }]);
  });

  it('go to the read connection while a write transaction is open, so they never see it uncommitted', () => {
    const { writeDb, reads, answeredBy } = connections();
    writeDb.exec('BEGIN IMMEDIATE');
    writeDb.prepare("INSERT INTO t VALUES ('uncommitted')").run();
    expect(answeredBy()).toBe('read');
    expect(reads.prepare('SELECT v FROM t').all()).toEqual([]);
    writeDb.exec('COMMIT');
    expect(answeredBy()).toBe('write');
    expect(reads.prepare('SELECT v FROM t').all()).toEqual([{ v: 'uncommitted' }]);
  });
});

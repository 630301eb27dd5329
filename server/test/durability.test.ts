import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { openStore } from '../src/store/open.js';
import { SqliteStore } from '../src/store/sqlite.js';

describe('SQLITE_SYNCHRONOUS', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-durability-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('defaults to FULL, so an acknowledged write is fsynced before the answer', async () => {
    expect(loadConfig({}).SQLITE_SYNCHRONOUS).toBe('FULL');
    const store = await openStore(loadConfig({ DATA_DIR: tmp() }));
    try {
      expect((store as SqliteStore).synchronous).toBe('FULL');
    } finally {
      await store.close();
    }
    const direct = new SqliteStore({ dataDir: tmp() });
    expect(direct.synchronous).toBe('FULL');
    await direct.close();
  });

  it('can be set to NORMAL', async () => {
    const store = await openStore(loadConfig({ DATA_DIR: tmp(), SQLITE_SYNCHRONOUS: 'NORMAL' }));
    try {
      expect((store as SqliteStore).synchronous).toBe('NORMAL');
    } finally {
      await store.close();
    }
  });

  it('is validated at start: anything else stops the server with a message naming it', () => {
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(ConfigError);
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/SQLITE_SYNCHRONOUS/);
  });

  it("keeps SQLite's page cache at SQLITE_CACHE_MIB per connection (2 MiB, not the 16 MiB better-sqlite3 builds in)", async () => {
    expect(loadConfig({}).SQLITE_CACHE_MIB).toBe(2);
    const store = await openStore(loadConfig({ DATA_DIR: tmp() }));
    try {
      expect((store as SqliteStore).cacheMib).toEqual({ write: 2, read: 2 });
    } finally {
      await store.close();
    }
    const big = await openStore(loadConfig({ DATA_DIR: tmp(), SQLITE_CACHE_MIB: '32' }));
    try {
      expect((big as SqliteStore).cacheMib).toEqual({ write: 32, read: 32 });
    } finally {
      await big.close();
    }
    expect(() => loadConfig({ SQLITE_CACHE_MIB: '0' })).toThrow(/SQLITE_CACHE_MIB/);
  });
});

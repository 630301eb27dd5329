import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileRepository } from '../src/external/file-repository.js';
import { TransientSourceError } from '../src/external/resilience.js';
import { DocumentValidator } from '../src/external/validate.js';
import { repositoryContract } from './external-contract.js';
import { sampleDocs, silentLog } from './external-fixtures.js';
import { buildTestApp } from './helpers/app.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';

/**
 * Rewrites `file` so its version (size or mtime) visibly changes even on a coarse-mtime
 * filesystem: the mtime is set explicitly, one second past the previous one.
 */
async function rewrite(file: string, text: string): Promise<void> {
  const before = await fs.stat(file).catch(() => null);
  await fs.writeFile(file, text);
  if (before) {
    const t = new Date(before.mtimeMs + 1000);
    await fs.utimes(file, t, t);
  }
}

describe('EXTERNAL_DATA_FILE repository: the contract', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-ext-contract-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  let n = 0;
  repositoryContract('file', async (docs) => {
    const file = path.join(dir, `resources-${n++}.json`);
    await fs.writeFile(file, JSON.stringify(docs));
    return FileRepository.open(file, new DocumentValidator(silentLog), silentLog);
  });
});

describe('EXTERNAL_DATA_FILE repository', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-ext-file-'));
    file = path.join(dir, 'resources.json');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses to open a missing or malformed file, naming it', async () => {
    await expect(
      FileRepository.open(file, new DocumentValidator(silentLog), silentLog),
    ).rejects.toThrow(/resources\.json cannot be read \(ENOENT\)/);
    await fs.writeFile(file, '{"not": "an array"}');
    await expect(
      FileRepository.open(file, new DocumentValidator(silentLog), silentLog),
    ).rejects.toThrow(/must hold a JSON array/);
  });

  it('serves the file, re-reads it when it changes, and skips invalid documents on every read', async () => {
    await fs.writeFile(file, JSON.stringify(sampleDocs(10)));
    const repo = await FileRepository.open(file, new DocumentValidator(silentLog), silentLog);
    expect(repo.kind).toBe('file');
    expect(await repo.count({})).toBe(10);
    expect((await repo.get('r0003'))?.name).toBe('Drill 3');

    const good = sampleDocs(12);
    good[3] = { ...good[3]!, name: 'Drill 3 (renamed)' };
    const next = [...good, { id: 'bad', name: 42 }];
    await rewrite(file, JSON.stringify(next));
    expect(await repo.count({})).toBe(12);
    expect((await repo.get('r0003'))?.name).toBe('Drill 3 (renamed)');
    expect(await repo.get('bad')).toBeNull();
    expect(repo.invalidCount).toBe(1);
  });

  it('fails reads with a transient error while the file is broken or gone, and recovers when it is fixed', async () => {
    await fs.writeFile(file, JSON.stringify(sampleDocs(5)));
    const repo = await FileRepository.open(file, new DocumentValidator(silentLog), silentLog);
    expect((await repo.list({ limit: 10 })).items).toHaveLength(5);

    await rewrite(file, '[{"id": "r0000", "na');
    const truncated = repo.list({ limit: 10 });
    await expect(truncated).rejects.toBeInstanceOf(TransientSourceError);
    await expect(repo.count({})).rejects.toThrow(/is not valid JSON/);

    await fs.rm(file);
    await expect(repo.get('r0001')).rejects.toThrow(/cannot be read \(ENOENT\)/);

    await fs.writeFile(file, JSON.stringify(sampleDocs(7)));
    expect(await repo.count({})).toBe(7);
  });

  it('is refused next to EXTERNAL_MONGODB_URI: one source or the other', async () => {
    await fs.writeFile(file, '[]');
    await expect(
      buildTestApp({ EXTERNAL_DATA_FILE: file, EXTERNAL_MONGODB_URI: 'mongodb://127.0.0.1:9' }),
    ).rejects.toThrow(/EXTERNAL_MONGODB_URI or EXTERNAL_DATA_FILE, not both/);
  });

  it('shares one reload among concurrent reads of a changed file', async () => {
    await fs.writeFile(file, JSON.stringify(sampleDocs(3)));
    let loaded = 0;
    const log = { info: () => void loaded++ };
    const repo = await FileRepository.open(file, new DocumentValidator(silentLog), log);
    await rewrite(file, JSON.stringify(sampleDocs(4)));
    const counts = await Promise.all([repo.count({}), repo.count({}), repo.count({})]);
    expect(counts).toEqual([4, 4, 4]);
    expect(loaded).toBe(2); // the initial load and one reload
  });
});

describe('EXTERNAL_DATA_FILE on a started server', () => {
  let dir: string;
  let file: string;
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-ext-file-proc-'));
    file = path.join(dir, 'resources.json');
    await fs.writeFile(file, JSON.stringify(sampleDocs(25)));
    server = await startServerProcess({
      dataDir: path.join(dir, 'data'),
      // TTL 0: every request asks the source, so a broken file shows at once.
      env: { EXTERNAL_DATA_FILE: file, EXTERNAL_CACHE_TTL_MS: '0' },
    });
    const res = await fetch(`${server.url}/api/v1/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mia@example.com', name: 'Mia', role: 'manager' }),
    });
    expect(res.status).toBe(200);
    token = ((await res.json()) as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  interface Page {
    data: { id: string; name: string }[];
    nextCursor: string | null;
    total?: number;
    stale: boolean;
    staleAgeMs?: number;
  }
  const getPage = async (query: string) => {
    const res = await fetch(`${server.url}/api/v1/external-data/shared-resources?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as Page };
  };

  it('serves the file fresh, the last good page with stale: true while it is broken, and fresh again once fixed', async () => {
    // Every page, fresh, in id order.
    const ids: string[] = [];
    let first: Page | undefined;
    let cursor: string | null = null;
    do {
      const page = await getPage(
        `limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.stale).toBe(false);
      first ??= page.body;
      ids.push(...page.body.data.map((r) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(first!.total).toBe(25);
    expect(ids).toEqual(sampleDocs(25).map((d) => d.id));

    // A broken export: the read fails (three attempts), the last good copy is served.
    // (4 good reads + 3 failed attempts stay under the breaker's 50 % threshold, so it stays
    // closed and the next read goes straight to the source.)
    await rewrite(file, '[{"id": "r0000", "na');
    const stale = await getPage('limit=10');
    expect(stale.status).toBe(200);
    expect(stale.body.stale).toBe(true);
    expect(stale.body.staleAgeMs).toBeGreaterThanOrEqual(0);
    expect(stale.body.data).toEqual(first!.data);

    // A new export, with one resource renamed: served without a restart.
    const fixed = sampleDocs(30);
    fixed[0] = { ...fixed[0]!, name: 'Drill 0 (new export)' };
    await fs.rm(file);
    await fs.writeFile(file, JSON.stringify(fixed));
    const again = await getPage('limit=10');
    expect(again.status).toBe(200);
    expect(again.body.stale).toBe(false);
    expect(again.body.staleAgeMs).toBeUndefined();
    expect(again.body.total).toBe(30);
    expect(again.body.data[0]!.name).toBe('Drill 0 (new export)');
  }, 60_000);
});

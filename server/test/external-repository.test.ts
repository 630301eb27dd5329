import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedResourceSchema } from '@outpost/shared';
import {
  EmbeddedRepository,
  LazyEmbeddedRepository,
  loadDataset,
} from '../src/external/embedded-repository.js';
import { DocumentValidator } from '../src/external/validate.js';
import { AppError } from '../src/errors.js';
import { recordingLog, sampleDocs, silentLog } from './external-fixtures.js';
import { repositoryContract } from './external-contract.js';

const repoOf = (docs: unknown[]) => new EmbeddedRepository(docs, new DocumentValidator(silentLog));

repositoryContract('embedded', async (docs) => repoOf(docs));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-lazy-dataset-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let files = 0;
/** The documents written to a file of their own, as the shipped dataset is. */
const datasetFile = (docs: unknown[]) => {
  const file = path.join(tmp, `dataset-${files++}.json`);
  fs.writeFileSync(file, JSON.stringify(docs));
  return file;
};

repositoryContract('embedded, loaded on its first request', async (docs) =>
  LazyEmbeddedRepository.open(new DocumentValidator(silentLog), () => {}, datasetFile(docs)),
);

describe('the sample dataset, loaded on its first request', () => {
  it('is not read at open; concurrent first requests share one load', async () => {
    const loads: EmbeddedRepository[] = [];
    const repo = await LazyEmbeddedRepository.open(
      new DocumentValidator(silentLog),
      (r) => loads.push(r),
      datasetFile(sampleDocs(12)),
    );
    expect(repo.loaded).toBe(false);
    expect(loads).toHaveLength(0);
    const [page, one, n] = await Promise.all([
      repo.list({ limit: 5 }),
      repo.get('r0006'),
      repo.count({}),
    ]);
    expect(page.items.map((r) => r.id)).toEqual(['r0000', 'r0001', 'r0002', 'r0003', 'r0004']);
    expect(one?.name).toBe('Drill 6');
    expect(n).toBe(12);
    expect(repo.loaded).toBe(true);
    expect(loads).toHaveLength(1);
    await repo.count({});
    expect(loads).toHaveLength(1);
  });

  it('refuses to open when the file is missing, so a broken install does not start', async () => {
    await expect(
      LazyEmbeddedRepository.open(
        new DocumentValidator(silentLog),
        () => {},
        path.join(tmp, 'missing.json'),
      ),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('answers an error for a request whose load failed, and loads again on the next', async () => {
    const file = datasetFile(sampleDocs(3));
    const repo = await LazyEmbeddedRepository.open(
      new DocumentValidator(silentLog),
      () => {},
      file,
    );
    fs.writeFileSync(file, '{"not": "an array"}');
    await expect(repo.count({})).rejects.toThrow(/must hold a JSON array/);
    fs.writeFileSync(file, JSON.stringify(sampleDocs(3)));
    expect(await repo.count({})).toBe(3);
  });
});

describe('embedded shared-resources repository', () => {
  it('ships a valid sample dataset of a few thousand records', async () => {
    const docs = await loadDataset();
    expect(docs.length).toBeGreaterThanOrEqual(2000);
    const repo = repoOf(docs);
    expect(repo.invalidCount).toBe(0);
    expect(await repo.count({})).toBe(docs.length);
    for (const d of docs.slice(0, 50)) expect(sharedResourceSchema.safeParse(d).success).toBe(true);
  });

  it('pages through everything in id order with a stable cursor, no row repeated or skipped', async () => {
    const docs = sampleDocs(103);
    const repo = repoOf([...docs].reverse());
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await repo.list({ after, limit: 10 });
      seen.push(...page.items.map((r) => r.id));
      after = page.nextCursor ?? undefined;
      pages++;
    } while (after);
    expect(pages).toBe(11);
    expect(seen).toEqual(docs.map((d) => d.id));
  });

  it('gives no next cursor when the last page is exactly full', async () => {
    const repo = repoOf(sampleDocs(20));
    const first = await repo.list({ limit: 10 });
    const second = await repo.list({ after: first.nextCursor!, limit: 10 });
    expect(second.items).toHaveLength(10);
    expect(second.nextCursor).toBeNull();
  });

  it('searches names case-insensitively as a substring, and filters by kind', async () => {
    const repo = repoOf(sampleDocs(30));
    const drills = await repo.list({ q: 'dRiL', limit: 100 });
    expect(drills.items.map((r) => r.name)).toEqual(
      sampleDocs(30)
        .filter((d) => d.name.startsWith('Drill'))
        .map((d) => d.name),
    );
    expect(await repo.count({ q: 'drill' })).toBe(10);
    expect(await repo.count({ q: 'drill', filter: { kind: 'equipment' } })).toBe(5);
    // Regex metacharacters are literal text.
    expect(await repo.count({ q: '.*' })).toBe(0);
  });

  it('gets by id, and null for an unknown id', async () => {
    const repo = repoOf(sampleDocs(5));
    expect((await repo.get('r0003'))?.name).toBe('Drill 3');
    expect(await repo.get('r9999')).toBeNull();
  });

  it('skips, counts and logs a malformed document, never returning it', async () => {
    const log = recordingLog();
    const docs: unknown[] = [
      ...sampleDocs(3),
      { id: 'bad1', name: '', data: {}, createdAt: '2024-01-01T00:00:00Z' },
      { id: 'bad2', name: 'No date', data: {} },
      { id: 'bad3', name: 'Extra field', data: {}, createdAt: '2024-01-01T00:00:00Z', secret: 'x' },
      'not even an object',
    ];
    const repo = new EmbeddedRepository(docs, new DocumentValidator(log));
    expect(repo.invalidCount).toBe(4);
    expect(log.warnings).toHaveLength(4);
    expect(log.warnings[0]!.obj['id']).toBe('bad1');
    const all = await repo.list({ limit: 100 });
    expect(all.items.map((r) => r.id)).toEqual(['r0000', 'r0001', 'r0002']);
    expect(await repo.get('bad2')).toBeNull();
  });

  it('rejects a forged cursor with a coded 400', async () => {
    const repo = repoOf(sampleDocs(3));
    await expect(repo.list({ after: 'not-a-cursor', limit: 5 })).rejects.toMatchObject({
      code: 'BAD_CURSOR',
      status: 400,
    });
    await expect(
      repo.list({ after: Buffer.from('{"v":2}').toString('base64url'), limit: 5 }),
    ).rejects.toBeInstanceOf(AppError);
  });
});

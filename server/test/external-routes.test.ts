import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { ExternalDataOptions } from '../src/external/routes.js';
import { EmbeddedRepository, loadDataset } from '../src/external/embedded-repository.js';
import { DocumentValidator } from '../src/external/validate.js';
import { SourceGuard, realTimers } from '../src/external/resilience.js';
import type { AuditEntry, SyncEngine } from '../src/engine/types.js';
import { MemoryAuthEngine } from './helpers/memory-engine.js';
import { bearer, devToken } from './helpers/auth.js';
import { sampleDocs, silentLog, SwitchableRepository, breakerState } from './external-fixtures.js';

const URL_LIST = '/api/v1/external-data/shared-resources';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(
  env: Record<string, string> = {},
  external: Omit<ExternalDataOptions, 'config'> = {},
) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-ext-'));
  const config = loadConfig({ DATA_DIR: dataDir, CLIENT_DIST_DIR: '/nonexistent', ...env });
  const app: FastifyInstance = await buildApp(config, { logger: false, externalData: external });
  if (!app.hasDecorator('engine')) app.decorate('engine', new MemoryAuthEngine());
  await app.ready();
  cleanups.push(async () => {
    await app.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  const engine = (app as FastifyInstance & { engine: SyncEngine }).engine;
  // Observe audits whichever engine is in place, still recording them for real.
  const audits: AuditEntry[] = [];
  const original = engine.audit.bind(engine);
  engine.audit = async (actor, entry) => {
    audits.push(entry);
    return original(actor, entry);
  };
  const tokenFor = async (role: 'admin' | 'manager' | 'member', email = `${role}@example.com`) =>
    (await devToken(app, { email, role, orgId: 'org_ext' })).token;
  return { app, audits, tokenFor };
}

function fastGuard(resetTimeoutMs = 60_000) {
  const guard = new SourceGuard(
    {
      timeoutMs: 200,
      retries: 1,
      backoffBaseMs: 1,
      backoffMaxMs: 1,
      volumeThreshold: 3,
      errorThresholdPercentage: 50,
      rollingWindowMs: 60_000,
      resetTimeoutMs,
    },
    { ...realTimers, sleep: async () => {}, random: () => 0, log: silentLog },
  );
  cleanups.push(async () => guard.shutdown());
  return guard;
}

describe('GET /api/v1/external-data/shared-resources', () => {
  it('pages through the embedded dataset for an admin: total on page one, cursor to page two', async () => {
    const { app, tokenFor } = await start();
    const auth = bearer(await tokenFor('admin'));
    const res = await app.inject({ url: `${URL_LIST}?limit=25`, headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data).toHaveLength(25);
    expect(body.total).toBe((await loadDataset()).length);
    expect(body.stale).toBe(false);
    expect(body.staleAgeMs).toBeUndefined();
    expect(res.headers['etag']).toMatch(/^W\/".+"$/);
    expect(res.headers['cache-control']).toContain('max-age=60');

    const next = await app.inject({
      url: `${URL_LIST}?limit=25&cursor=${encodeURIComponent(body.nextCursor)}`,
      headers: auth,
    });
    expect(next.statusCode).toBe(200);
    const page2 = next.json();
    expect(page2.total).toBeUndefined();
    expect(page2.data[0].id > body.data[24].id).toBe(true);
  });

  it('binds a cursor to its search and filters: with others it is 400 BAD_CURSOR, never a page of another list', async () => {
    const { app, tokenFor } = await start();
    const auth = bearer(await tokenFor('admin'));
    const page = (query: string) => app.inject({ url: `${URL_LIST}?${query}`, headers: auth });
    const first = (await page('kind=template&q=plan&limit=1')).json();
    const cursor = encodeURIComponent(first.nextCursor as string);
    // The same search (spaces aside) and filter, another limit: the next page.
    const next = await page(
      `q=${encodeURIComponent('  plan ')}&kind=template&limit=2&cursor=${cursor}`,
    );
    expect(next.statusCode).toBe(200);
    expect(next.json().data[0].id > first.data[0].id).toBe(true);
    for (const other of [
      `kind=document&q=plan&cursor=${cursor}`,
      `kind=template&cursor=${cursor}`,
      `q=plan&cursor=${cursor}`,
      `cursor=${cursor}`,
    ]) {
      const res = await page(other);
      expect(res.statusCode, other).toBe(400);
      expect(res.json(), other).toEqual({
        code: 'BAD_CURSOR',
        error:
          '`cursor` was made for another search or other filters of this list: pass it back with the `q` and `kind` of the page that gave it, or start again without a cursor',
      });
    }
    // A cursor from before cursors were bound (the source's own) still continues.
    const unbound = Buffer.from(JSON.stringify({ v: 1, id: first.data[0].id, t: 'str' })).toString(
      'base64url',
    );
    const older = await page(`kind=template&q=plan&limit=2&cursor=${unbound}`);
    expect(older.statusCode).toBe(200);
    expect(older.json().data.map((r: { id: string }) => r.id)).toEqual(
      next.json().data.map((r: { id: string }) => r.id),
    );
  });

  it('searches by name and filters by kind', async () => {
    const { app, tokenFor } = await start();
    const auth = bearer(await tokenFor('manager'));
    const res = await app.inject({
      url: `${URL_LIST}?q=${encodeURIComponent('DRILL')}&kind=equipment&limit=200`,
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBeGreaterThan(0);
    for (const r of body.data) {
      expect(r.name.toLowerCase()).toContain('drill');
      expect(r.data.kind).toBe('equipment');
    }
    // Surrounding spaces are ignored; an empty or blank search is no search (as documented).
    const spaced = await app.inject({
      url: `${URL_LIST}?q=${encodeURIComponent('  DRILL ')}&kind=equipment&limit=200`,
      headers: auth,
    });
    expect(spaced.json().total).toBe(body.total);
    const all = (await app.inject({ url: `${URL_LIST}?limit=1`, headers: auth })).json().total;
    for (const q of ['', '%20%20']) {
      const blank = await app.inject({ url: `${URL_LIST}?q=${q}&limit=1`, headers: auth });
      expect(blank.statusCode, q).toBe(200);
      expect(blank.json().total, q).toBe(all);
    }
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const { app, tokenFor } = await start();
    const auth = bearer(await tokenFor('admin'));
    const first = await app.inject({ url: `${URL_LIST}?limit=5`, headers: auth });
    const again = await app.inject({
      url: `${URL_LIST}?limit=5`,
      headers: { ...auth, 'if-none-match': first.headers['etag'] as string },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await app.inject({
      url: `${URL_LIST}?limit=5`,
      headers: { ...auth, 'if-none-match': 'W/"something-else"' },
    });
    expect(other.statusCode).toBe(200);
    // A list, split between tags (a tag may hold a comma); malformed is 400 naming the header.
    const listed = await app.inject({
      url: `${URL_LIST}?limit=5`,
      headers: { ...auth, 'if-none-match': `"a,b", ${first.headers['etag'] as string}` },
    });
    expect(listed.statusCode).toBe(304);
    for (const inm of ['something', `*, ${first.headers['etag'] as string}`]) {
      const bad = await app.inject({
        url: `${URL_LIST}?limit=5`,
        headers: { ...auth, 'if-none-match': inm },
      });
      expect(bad.statusCode, inm).toBe(400);
      expect(bad.json(), inm).toMatchObject({
        code: 'BAD_REQUEST',
        details: { ifNoneMatch: inm },
      });
    }
  });

  it('gets one resource by id, 404 for an unknown id', async () => {
    const { app, tokenFor } = await start();
    const auth = bearer(await tokenFor('admin'));
    const list = (await app.inject({ url: `${URL_LIST}?limit=1`, headers: auth })).json();
    const id = list.data[0].id as string;
    const res = await app.inject({ url: `${URL_LIST}/${id}`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: list.data[0], stale: false });
    const missing = await app.inject({ url: `${URL_LIST}/nope`, headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOT_FOUND');
  });

  it('refuses bad input with a coded 400', async () => {
    const { app, tokenFor } = await start();
    const auth = bearer(await tokenFor('admin'));
    const zero = await app.inject({ url: `${URL_LIST}?limit=0`, headers: auth });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().code).toBe('VALIDATION');
    const cursor = await app.inject({ url: `${URL_LIST}?cursor=garbage`, headers: auth });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json()).toEqual({
      error: '`cursor` is not valid: pass back the `nextCursor` of a previous page',
      code: 'BAD_CURSOR',
    });
  });
});

describe('external data access', () => {
  it('needs a token (401)', async () => {
    const { app } = await start();
    expect((await app.inject({ url: URL_LIST })).statusCode).toBe(401);
  });

  it('refuses a member with 403 and records an access-denied activity', async () => {
    const { app, audits, tokenFor } = await start();
    const res = await app.inject({
      url: `${URL_LIST}/some-id`,
      headers: bearer(await tokenFor('member')),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    expect(audits).toEqual([
      expect.objectContaining({
        action: 'access-denied',
        entity: 'shared-resource',
        entityId: 'some-id',
      }),
    ]);
  });

  it('follows EXTERNAL_DATA_ROLES', async () => {
    const { app, tokenFor } = await start({ EXTERNAL_DATA_ROLES: 'admin,member' });
    expect(
      (await app.inject({ url: URL_LIST, headers: bearer(await tokenFor('manager')) })).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ url: URL_LIST, headers: bearer(await tokenFor('member')) })).statusCode,
    ).toBe(200);
  });

  it('tells each role through /me whether it may read the library, as configured', async () => {
    const access = async (app: FastifyInstance, token: string) =>
      (await app.inject({ url: '/api/v1/me', headers: bearer(token) })).json().access;
    const byDefault = await start();
    expect(await access(byDefault.app, await byDefault.tokenFor('admin'))).toEqual({
      externalData: true,
    });
    expect(await access(byDefault.app, await byDefault.tokenFor('manager'))).toEqual({
      externalData: true,
    });
    expect(await access(byDefault.app, await byDefault.tokenFor('member'))).toEqual({
      externalData: false,
    });
    const configured = await start({ EXTERNAL_DATA_ROLES: 'admin,member' });
    expect(await access(configured.app, await configured.tokenFor('manager'))).toEqual({
      externalData: false,
    });
    expect(await access(configured.app, await configured.tokenFor('member'))).toEqual({
      externalData: true,
    });
  });

  it('rate-limits per user: 429 with Retry-After, other users unaffected', async () => {
    const { app, tokenFor } = await start({ EXTERNAL_RATE_LIMIT_MAX: '3' });
    const alice = bearer(await tokenFor('admin', 'alice@example.com'));
    const bob = bearer(await tokenFor('admin', 'bob@example.com'));
    for (let i = 0; i < 3; i++)
      expect((await app.inject({ url: `${URL_LIST}?limit=1`, headers: alice })).statusCode).toBe(
        200,
      );
    const limited = await app.inject({ url: `${URL_LIST}?limit=1`, headers: alice });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await app.inject({ url: `${URL_LIST}?limit=1`, headers: bob })).statusCode).toBe(200);
  });
});

describe('external data when the source fails', () => {
  it('serves stale while failing and open, 503 when nothing is cached, then half-opens and recovers', async () => {
    let now = 5_000_000;
    const source = new SwitchableRepository(
      new EmbeddedRepository(sampleDocs(40), new DocumentValidator(silentLog)),
    );
    // Long enough that the "while open" request cannot race the half-open transition on a busy machine.
    const guard = fastGuard(500);
    const { app, tokenFor } = await start(
      { EXTERNAL_CACHE_TTL_MS: '1000' },
      { repository: source, guard, now: () => now },
    );
    const auth = bearer(await tokenFor('admin'));
    const get = (qs: string, headers = auth) => app.inject({ url: `${URL_LIST}?${qs}`, headers });

    const good = await get('limit=10');
    expect(good.json().stale).toBe(false);

    source.mode = 'fail';
    now += 30_000; // past the TTL: the service must ask the source again
    const stale = await get('limit=10');
    expect(stale.statusCode).toBe(200);
    expect(stale.json()).toMatchObject({ stale: true, staleAgeMs: 30_000, data: good.json().data });
    expect(stale.headers['cache-control']).toContain('max-age=0');

    const none = await get('limit=11');
    expect(none.statusCode).toBe(503);
    expect(none.json().code).toBe('UNAVAILABLE');
    expect(none.headers['retry-after']).toBeDefined();

    await breakerState(guard, 'open');
    // While open, requests fail fast without reaching the source, and still get the stale copy.
    const callsWhileOpen = source.calls;
    expect((await get('limit=10')).json().stale).toBe(true);
    expect(source.calls).toBe(callsWhileOpen);

    await breakerState(guard, 'half-open');
    source.mode = 'ok';
    const recovered = await get('limit=10');
    expect(recovered.json().stale).toBe(false);
    expect(guard.state).toBe('closed');
  });

  it('answers 503 for a source that hangs past the per-call timeout', async () => {
    const source = new SwitchableRepository(
      new EmbeddedRepository(sampleDocs(5), new DocumentValidator(silentLog)),
    );
    source.mode = 'hang';
    const { app, tokenFor } = await start({}, { repository: source, guard: fastGuard() });
    const res = await app.inject({
      url: `${URL_LIST}?limit=5`,
      headers: bearer(await tokenFor('admin')),
    });
    expect(res.statusCode).toBe(503);
    expect(source.calls).toBeGreaterThanOrEqual(2); // first attempt timed out, one retry
  });

  it('never serves a malformed source document, and counts it in /metrics', async () => {
    const docs: unknown[] = [
      ...sampleDocs(3),
      { id: 'zzz-bad', name: 42, data: {}, createdAt: 'yesterday' },
    ];
    const { app, tokenFor } = await start({}, { embeddedDocuments: docs });
    const auth = bearer(await tokenFor('admin'));
    const res = await app.inject({ url: `${URL_LIST}?limit=50`, headers: auth });
    expect(res.json().data.map((r: { id: string }) => r.id)).toEqual(['r0000', 'r0001', 'r0002']);
    expect(res.json().total).toBe(3);
    expect((await app.inject({ url: `${URL_LIST}/zzz-bad`, headers: auth })).statusCode).toBe(404);
    const metrics = await app.metrics.registry.metrics();
    expect(metrics).toMatch(/^outpost_external_invalid_documents_total(\{[^}]*\})? 1$/m);
    expect(metrics).toMatch(/^outpost_external_breaker_state(\{[^}]*\})? 0$/m);
  });
});

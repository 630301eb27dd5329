import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';

describe('serving the built PWA', () => {
  let app: FastifyInstance;
  let dist: string;
  let dataDir: string;

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-dist-'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-static-data-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Outpost</title>');
    fs.writeFileSync(path.join(dist, 'sw.js'), 'self.addEventListener("install", () => {});');
    fs.writeFileSync(path.join(dist, 'assets', 'index-aaaa.js'), 'console.log(1);');
    app = await buildApp(loadConfig({ DATA_DIR: dataDir, CLIENT_DIST_DIR: dist }), {
      logger: false,
    });
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dist, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('never lets the HTTP cache keep the shell or the service worker', async () => {
    for (const url of ['/', '/sw.js']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('marks hashed assets immutable, including a build copied in after start', async () => {
    expect((await app.inject({ url: '/assets/index-aaaa.js' })).headers['cache-control']).toContain(
      'immutable',
    );
    fs.writeFileSync(path.join(dist, 'assets', 'index-bbbb.js'), 'console.log(2);');
    const fresh = await app.inject({ url: '/assets/index-bbbb.js' });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toBe('console.log(2);');
  });

  it('opens deep links on the shell, but answers unknown API paths with a coded 404', async () => {
    const deep = await app.inject({ url: '/projects/123', headers: { accept: 'text/html' } });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>Outpost</title>');
    const api = await app.inject({ url: '/api/v1/nope', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    // An API path asked with another method than it takes: 405, not the shell or a 404.
    const push = await app.inject({ url: '/api/v1/sync/push', headers: { accept: 'text/html' } });
    expect(push.statusCode).toBe(405);
    expect(push.headers['allow']).toBe('POST');
    expect(push.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', details: { allow: ['POST'] } });
  });

  it('refuses a path parameter over 2,048 characters with the 400 every method gets, not a 405', async () => {
    const url = `/api/v1/primary-data/projects/${'x'.repeat(3000)}`;
    for (const method of ['GET', 'HEAD', 'DELETE'] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, method).toBe(400);
      expect(res.headers['allow'], method).toBeUndefined();
      if (method !== 'HEAD')
        expect(res.json(), method).toEqual({
          code: 'BAD_REQUEST',
          error:
            'A path parameter is longer than 2048 characters (as sent, escapes included): no id of this API is',
        });
    }
  });
});

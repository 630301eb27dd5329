import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION } from '@outpost/shared';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';

describe('GET /api/v1/health', () => {
  let app: FastifyInstance;
  // A fresh directory per run: a database left by another checkout may have a newer schema.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-health-'));
  beforeAll(async () => {
    app = await buildApp(loadConfig({ DATA_DIR: dataDir, CLIENT_DIST_DIR: '/nonexistent' }), {
      logger: false,
    });
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports status, storage kind and version, with timing and request id headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      storage: 'sqlite',
      version: '0.1.0',
      protocolVersion: PROTOCOL_VERSION,
      minProtocolVersion: MIN_PROTOCOL_VERSION,
    });
    expect(res.headers['x-response-time']).toMatch(/^\d+(\.\d+)?ms$/);
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('answers unknown API routes with a coded 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import { validatorCompiler } from '../../src/schema-validation.js';
import auth from '../../src/plugins/auth.js';
import engine from '../../src/plugins/engine.js';
import authRoutes from '../../src/auth/routes.js';
import type { SyncEngine } from '../../src/engine/types.js';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  engine: SyncEngine;
  /** Closes the app and removes its DATA_DIR. */
  close(): Promise<void>;
}

type Extend = (app: FastifyInstance) => void | Promise<void>;

/** The full app (buildApp) on a fresh temp DATA_DIR, logger off; `env` overrides config. */
export async function buildTestApp(
  env: Record<string, string> = {},
  extend?: Extend,
): Promise<TestApp> {
  return finish(env, extend, (config) => buildApp(config, { logger: false }));
}

/**
 * Only the engine, the auth plugin and the auth routes (real SQLite engine): auth tested on
 * its own, independent of every other feature.
 */
export async function buildAuthTestApp(
  env: Record<string, string> = {},
  extend?: Extend,
): Promise<TestApp> {
  return finish(env, extend, authOnlyApp);
}

async function finish(
  env: Record<string, string>,
  /** Runs before `ready()`: add test-only routes here. */
  extend: Extend | undefined,
  build: (config: Config) => Promise<FastifyInstance>,
): Promise<TestApp> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, CLIENT_DIST_DIR: '/nonexistent', ...env });
  let app: FastifyInstance;
  try {
    app = await build(config);
    await extend?.(app);
    await app.ready();
  } catch (err) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    app,
    config,
    dataDir,
    engine: app.engine,
    async close() {
      await app.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function authOnlyApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The subset of app.ts's error handler that auth's errors need.
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof AppError) return reply.code(err.status).send(err.toBody());
    return reply.code(500).send({ error: String(err), code: 'INTERNAL' });
  });
  await app.register(engine, { config });
  await app.register(auth, { config });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { config });
    },
    { prefix: '/api/v1' },
  );
  return app;
}

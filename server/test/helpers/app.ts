import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import auth from '../../src/plugins/auth.js';
import engine from '../../src/plugins/engine.js';
import authRoutes from '../../src/auth/routes.js';
import type { SyncEngine } from '../../src/sync/types.js';
import { MemoryAuthEngine } from './memory-engine.js';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  engine: SyncEngine;
  /** True while the real engine plugin is a stub and `MemoryAuthEngine` stands in. */
  usesMemoryEngine: boolean;
  close(): Promise<void>;
}

/** The full app (buildApp) on a fresh temp DATA_DIR, logger off; `env` overrides config. */
export async function buildTestApp(
  env: Record<string, string> = {},
  /** Runs before `ready()`: add test-only routes here. */
  extend?: (app: FastifyInstance) => void | Promise<void>,
): Promise<TestApp> {
  return finish(env, extend, (config) => buildApp(config, { logger: false }));
}

/**
 * Only the engine and the auth plugins and routes: auth tested on its own, independent of
 * every other feature. While the engine plugin is still a stub, `MemoryAuthEngine` stands in.
 */
export async function buildAuthTestApp(
  env: Record<string, string> = {},
  extend?: (app: FastifyInstance) => void | Promise<void>,
): Promise<TestApp> {
  return finish(env, extend, authOnlyApp);
}

async function finish(
  env: Record<string, string>,
  extend: ((app: FastifyInstance) => void | Promise<void>) | undefined,
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
  const engine = (app as FastifyInstance & { engine: SyncEngine }).engine;
  return {
    app,
    config,
    dataDir,
    engine,
    usesMemoryEngine: engine instanceof MemoryAuthEngine,
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
  // Mirrors app.ts for the errors auth produces.
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof AppError) return reply.code(err.status).send(err.toBody());
    if (hasZodFastifySchemaValidationErrors(err))
      return reply.code(400).send({ error: err.message, code: 'VALIDATION' });
    return reply.code(500).send({ error: String(err), code: 'INTERNAL' });
  });
  // The real engine when its plugin decorates one; otherwise the stand-in, under the same name.
  const probe = Fastify({ logger: false });
  await probe.register(engine, { config });
  await probe.ready();
  const real = probe.hasDecorator('engine');
  await probe.close();
  if (real) {
    await app.register(engine, { config });
  } else {
    await app.register(
      fp(
        async (a) => {
          a.decorate('engine', new MemoryAuthEngine());
        },
        { name: 'engine' },
      ),
    );
  }
  await app.register(auth, { config });
  await app.register(async (api) => api.register(authRoutes, { config }), { prefix: '/api/v1' });
  return app;
}

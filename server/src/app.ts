import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from './config.js';
import {
  AppError,
  authChallenge,
  clientError,
  MAX_PARAM_LENGTH,
  quoted,
  toAppError,
} from './errors.js';
import { refuseUnknownQuery, validatorCompiler } from './schema-validation.js';
import { RouteMethods } from './route-methods.js';
import health from './routes/health.js';
import staticClient from './plugins/static-client.js';
import engine from './plugins/engine.js';
import redis from './plugins/redis.js';
import auth from './plugins/auth.js';
import hardening from './plugins/hardening.js';
import openapi from './plugins/openapi.js';
import metrics from './plugins/metrics.js';
import idleGc from './plugins/idle-gc.js';
import syncRoutes, { activityRoutes } from './engine/routes.js';
import authRoutes from './auth/routes.js';
import restRoutes from './rest/routes.js';
import memberRoutes from './rest/members.js';
import realtime from './realtime/ws.js';
import externalData, { type ExternalDataOptions } from './external/routes.js';
import type { Store } from './store/types.js';
import clerkWebhooks from './auth/webhooks/routes.js';

export interface BuildOptions {
  /** Pino logger options or `false`; tests pass `false`. */
  logger?: boolean | Record<string, unknown>;
  /** Seams for the external-data feature (tests inject a failing source, a clock, a fast breaker). */
  externalData?: Omit<ExternalDataOptions, 'config'>;
  /** Wraps the opened store (the chaos tests break one mechanism to prove their checks fail). */
  wrapStore?: (store: Store) => Store;
}

export async function buildApp(
  config: Config,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.LOG_LEVEL },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // Fastify's 10 s default failed real starts on a starved host (the OpenAPI plugin builds
    // its document at boot); a restart after a crash must come up, however slowly.
    pluginTimeout: 120_000,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(given)
        ? given
        : randomUUID();
    },
    requestIdHeader: false,
    // The router's own refusals (a path that does not decode, a path parameter over the
    // limit) answer in the error shape too; Fastify's default bodies carry none of its codes.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Before any route: our error shape too, on a connection that then closes.
    clientErrorHandler: (err: Error & { code?: string }, socket: Socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const coded = clientError(err, http.maxHeaderSize);
      const body = JSON.stringify(coded.toBody());
      if (socket.writable)
        socket.write(
          `HTTP/1.1 ${coded.status} ${http.STATUS_CODES[coded.status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      socket.destroy(err);
    },
    frameworkErrors: (err, _req, reply: FastifyReply) => {
      const coded = toAppError(err, config.BODY_LIMIT_BYTES);
      void reply.code(coded.status).send(coded.toBody());
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
    refuseTrailingSlash(req.method, req.url);
    refuseUndecodableQuery(req.url);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('X-Response-Time', `${reply.elapsedTime.toFixed(1)}ms`);
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    if (reply.elapsedTime > config.SLOW_REQUEST_MS) {
      req.log.warn({ url: req.url, ms: Math.round(reply.elapsedTime) }, 'slow request');
    }
  });

  app.setErrorHandler((err, req, reply) => {
    const coded = toAppError(err, req.routeOptions.bodyLimit);
    if (coded.code === 'INTERNAL') req.log.error({ err }, 'unhandled error');
    const challenge = authChallenge(coded);
    if (challenge) reply.header('WWW-Authenticate', challenge);
    return reply.code(coded.status).send(coded.toBody());
  });

  // Infrastructure (fastify-plugin: decorates the root instance, closes on onClose).
  await app.register(metrics, { config });
  await app.register(idleGc, { gc: globalThis.gc, quietMs: config.IDLE_GC_MS });
  await app.register(redis, { config });
  await app.register(hardening, { config });
  await app.register(openapi, { config });
  await app.register(engine, {
    config,
    ...(options.wrapStore ? { wrapStore: options.wrapStore } : {}),
  });
  await app.register(auth, { config });

  // Features (encapsulated; each declares the infrastructure it depends on).
  const routeMethods = new RouteMethods();
  await app.register(
    async (api) => {
      api.addHook('onRoute', refuseUnknownQuery);
      api.addHook('onRoute', routeMethods.add);
      await api.register(health, {
        version: config.version,
        storageKind: () => storageKind(config),
      });
      await api.register(authRoutes, { config });
      await api.register(syncRoutes, { config });
      await api.register(activityRoutes);
      await api.register(restRoutes, { config });
      await api.register(memberRoutes, { config });
      await api.register(realtime, { config });
      await api.register(externalData, { ...options.externalData, config });
      await api.register(clerkWebhooks, { secret: config.CLERK_WEBHOOK_SECRET ?? null });
      if (!config.CLERK_WEBHOOK_SECRET && config.authMode === 'clerk') {
        app.log.warn(
          'CLERK_WEBHOOK_SECRET is not set: Clerk changes (removals, roles) arrive only with tokens',
        );
      }
    },
    { prefix: '/api/v1' },
  );

  await app.register(staticClient, {
    root: config.clientDistDir,
    apiNotFound: routeMethods.notFound,
  });
  return app;
}

/**
 * No path of the API ends in `/`: `GET /api/v1/primary-data/tasks/` is 404 naming the path
 * without it, on every route alike. Without this the router read it as `/tasks/:id` with an
 * empty id (400 "/id must be a UUIDv7"), while `/tasks/<id>/` was a bare 404. Not the
 * collection: a client that builds `/tasks/${id}` with no id must not get a list back.
 */
function refuseTrailingSlash(method: string, url: string): void {
  const path = url.split('?', 1)[0]!;
  if (!path.startsWith('/api/') || !path.endsWith('/')) return;
  const without = path.replace(/\/+$/, '');
  throw new AppError(
    'NOT_FOUND',
    `No route ${method} ${quoted(path)}: paths of this API never end in "/" (${method} ${quoted(without)})`,
  );
}

/**
 * A query string that does not decode (a `%` that is not an escape, escapes that are not
 * UTF-8) is refused as such a path is: the parser kept `%ZZ` as three characters and made
 * `%C3%28` a U+FFFD, so a filter quietly matched something else than what was sent.
 */
function refuseUndecodableQuery(url: string): void {
  const at = url.indexOf('?');
  if (at < 0 || !url.startsWith('/api/')) return;
  try {
    decodeURIComponent(url.slice(at + 1).replace(/\+/g, ' '));
  } catch {
    throw new AppError(
      'BAD_REQUEST',
      'The query string does not decode: a % must start an escape of UTF-8 bytes (%20, %C3%A9)',
    );
  }
}

function storageKind(config: Config): string {
  return config.MONGODB_URI ? 'mongodb' : 'sqlite';
}

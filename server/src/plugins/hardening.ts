import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { safeParse, type $ZodType } from 'zod/v4/core';
import type { Config } from '../config.js';
import { isUtf8 } from 'node:buffer';
import { AppError, quoted } from '../errors.js';
import { bodyRefusal, parseJsonText } from '../json-text.js';

export interface HardeningOptions {
  config: Config;
}

// Clerk's hosted frontend API, scripts and avatars (only allowed in clerk mode).
const CLERK_SOURCES = ['https://*.clerk.accounts.dev', 'https://*.clerk.com', 'https://clerk.com'];

/**
 * Security headers (CSP fit for the PWA), the CORS allow-list, rate limiting and a clean
 * hang-up of keep-alive connections on close, and the one body parser (JSON in UTF-8). The body
 * limit lives in app.ts (`bodyLimit` → 413).
 */
export default fp<HardeningOptions>(
  async (app, { config }) => {
    const clerk = config.authMode === 'clerk' ? CLERK_SOURCES : [];
    // Graceful shutdown: once close() begins, answers tell keep-alive clients to hang up, so
    // the server can finish in-flight requests and exit instead of waiting out idle sockets.
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', async (request, reply, payload) => {
      if (closing) reply.header('Connection', 'close');
      // API answers are private (tokens, org data): never stored by a shared or browser cache
      // unless the route chose a policy (e.g. ETag revalidation).
      if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
        reply.header('Cache-Control', 'no-store');
      return payload;
    });

    // JSON is UTF-8 (RFC 8259); a body declared in another charset would be misread. Nor is
    // a compressed body decoded: gzip bytes were refused as "not valid UTF-8", naming the wrong
    // problem (RFC 9110 §15.5.16: 415 for a content coding the server does not take).
    app.addHook('preParsing', async (request, _reply, payload) => {
      // A route that reads no body (a DELETE, a GET) would ignore one, and go ahead without what
      // the caller meant by it (a precondition, a reason, a filter: a list would come back
      // unfiltered): refused before it is read, whatever its type. An empty one is no body
      // (clients that send Content-Type on every request).
      if (
        (BODY_METHODS.has(request.method) || request.method === 'GET') &&
        request.routeOptions.schema?.body === undefined &&
        request.url.startsWith('/api/') &&
        hasBody(request.headers)
      ) {
        throw new AppError(
          'BAD_REQUEST',
          `${request.method} ${request.routeOptions.url ?? request.url} takes no body: send the request without one`,
        );
      }
      // No body and no Content-Type: Fastify hands the schema a null ("expected object,
      // received null"); say that nothing was sent, as an empty JSON body is told.
      const bodySchema = request.routeOptions.schema?.body as $ZodType | undefined;
      if (
        bodySchema !== undefined &&
        BODY_METHODS.has(request.method) &&
        request.headers['content-type'] === undefined &&
        !hasBody(request.headers) &&
        !safeParse(bodySchema, undefined).success
      ) {
        throw new AppError(
          'BAD_REQUEST',
          `The body is empty: ${request.method} ${request.routeOptions.url ?? request.url} takes a JSON body (Content-Type: application/json)`,
        );
      }
      const coding = request.headers['content-encoding']?.trim().toLowerCase();
      if (coding && coding !== 'identity' && hasBody(request.headers)) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Request bodies are not decompressed (Content-Encoding: ${quoted(coding, 40)}): send the JSON as is`,
        );
      }
      const charset = declaredCharset(request.headers['content-type']);
      if (charset !== null && !/^utf-?8$/i.test(charset)) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Request bodies must be UTF-8 (got charset=${charset.slice(0, 40)})`,
        );
      }
      return payload;
    });

    // Bodies are JSON and nothing else (Fastify would also take text/plain as a string, which
    // then failed validation as "expected object, received string"): another type is 415. Every
    // refusal is a coded error naming the problem, and the handler never runs.
    app.removeContentTypeParser(['application/json', 'text/plain']);
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const bytes = body as Buffer;
      // A route that reads no body (a DELETE) has nothing to refuse in an empty one, whatever
      // the Content-Type says (clients that send the header on every request); a body it would
      // ignore is read and screened as any other.
      if (bytes.length === 0 && request.routeOptions.schema?.body === undefined)
        return done(null, undefined);
      if (!isUtf8(bytes)) return done(new AppError('BAD_REQUEST', 'The body is not valid UTF-8'));
      const parsed = parseJsonText(bytes.toString('utf8'));
      if (parsed.ok) return done(null, parsed.value);
      done(bodyRefusal(parsed));
    });

    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", ...clerk],
          // The service worker and Dexie/Web Lock workers come from our origin (blob: for Clerk).
          workerSrc: ["'self'", 'blob:'],
          // CSP3: 'self' also matches same-origin ws:/wss: (the sync socket), and nothing else.
          connectSrc: ["'self'", ...clerk],
          imgSrc: ["'self'", 'data:', 'blob:', 'https://img.clerk.com'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          fontSrc: ["'self'", 'data:'],
          frameSrc: ["'self'", ...clerk],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // The PWA loads Clerk's cross-origin scripts; COEP would block them.
      crossOriginEmbedderPolicy: false,
    });

    await app.register(cors, {
      // Same-origin requests carry no Origin or a matching one and need no CORS headers.
      origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      // Every request header the API reads: a conditional GET's If-None-Match is not
      // CORS-safelisted, so without it a browser's preflight fails and the GET is never sent.
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'If-Match',
        'If-None-Match',
        'X-Request-Id',
      ],
      exposedHeaders: [
        'ETag',
        'Retry-After',
        'X-Request-Id',
        'X-Response-Time',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
        'WWW-Authenticate',
      ],
      maxAge: 600,
    });

    await app.register(rateLimit, {
      global: true,
      max: config.RATE_LIMIT_MAX,
      timeWindow: config.RATE_LIMIT_WINDOW_MS,
      // Authenticate, then throttle, then parse: the route's own onRequest (authenticate) runs
      // first, so the key can be the user, and a throttled request's body is never read.
      hook: 'onRequest',
      keyGenerator: (req) =>
        req.actor ? `user:${req.actor.orgId}:${req.actor.user.id}` : `ip:${req.ip}`,
      // Static files and /metrics are not the API.
      allowList: (req) => !req.url.startsWith('/api/'),
      ...(app.redis ? { redis: app.redis, nameSpace: 'outpost:rl:' } : {}),
      // A Redis outage must not take the API down: let requests through and log.
      skipOnError: true,
      errorResponseBuilder: (_req, ctx) =>
        new AppError('RATE_LIMITED', `Too many requests: retry in ${ctx.after}`, {
          retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
        }),
    });
  },
  { name: 'hardening', dependencies: ['redis'] },
);

/** Methods whose bodies Fastify reads (a GET's or a HEAD's is never read, so never acted on). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether the request says a body follows (RFC 9112 §6.3): a length above 0, or chunks. */
function hasBody(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

function declaredCharset(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType);
  return m ? m[1]! : null;
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import {
  memoryFailureLimiter,
  redisFailureLimiter,
  type FailureLimiter,
} from './failure-limiter.js';

/** At most this many failed-auth log lines per window in all (a spray from many IPs). */
const MAX_LOG_LINES_PER_WINDOW = 100;

export interface FailedAuthGate {
  /** Throws 429 (with Retry-After) when the request's IP has failed too often. */
  refuseIfBlocked(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Counts, meters and (rate-limited) logs one failed authentication. */
  failed(request: FastifyRequest, err: AppError): Promise<void>;
}

/**
 * The per-IP throttle of failed authentications, shared by every instance through Redis when
 * it is configured. Each failure is counted in `outpost_auth_failures_total{reason}`; the log
 * gets the first failure of an IP per window and the moment it is blocked, never one line per
 * guess.
 */
export function failedAuthGate(app: FastifyInstance, config: Config): FailedAuthGate {
  const windowMs = config.AUTH_FAILURE_WINDOW_MS;
  const max = config.AUTH_FAILURE_LIMIT;
  const redis = app.hasDecorator('redis') ? app.getDecorator<Redis | null>('redis') : null;
  let lastRedisError = 0;
  const limiter: FailureLimiter = redis
    ? redisFailureLimiter(redis, {
        max,
        windowMs,
        onError: (err) => {
          if (Date.now() - lastRedisError < windowMs) return;
          lastRedisError = Date.now();
          app.log.warn({ err }, 'auth failure limiter: Redis failed; counting in this process');
        },
      })
    : memoryFailureLimiter({ max, windowMs });

  const registry = app.hasDecorator('metrics')
    ? app.getDecorator<{ registry: Registry }>('metrics').registry
    : null;
  const failures = new Counter({
    name: 'outpost_auth_failures_total',
    help: 'Failed authentications by reason (missing-token, token-invalid, credential-invalid, …)',
    labelNames: ['reason'] as const,
    registers: registry ? [registry] : [],
  });
  const refused = new Counter({
    name: 'outpost_auth_throttled_total',
    help: 'Requests refused with 429 because their IP failed authentication too often',
    registers: registry ? [registry] : [],
  });

  let logWindowStart = 0;
  let logLines = 0;
  const mayLog = (): boolean => {
    const now = Date.now();
    if (now - logWindowStart >= windowMs) {
      logWindowStart = now;
      logLines = 0;
    }
    return logLines++ < MAX_LOG_LINES_PER_WINDOW;
  };

  return {
    async refuseIfBlocked(request, reply) {
      const ms = await limiter.blockedFor(request.ip);
      if (ms <= 0) return;
      refused.inc();
      const seconds = Math.max(1, Math.ceil(ms / 1000));
      reply.header('Retry-After', String(seconds));
      throw new AppError(
        'RATE_LIMITED',
        `Too many failed authentications from this address: retry in ${seconds} s`,
        { retryAfterSeconds: seconds },
      );
    },
    async failed(request, err) {
      const details = err.details as { reason?: unknown } | undefined;
      const reason = typeof details?.reason === 'string' ? details.reason : 'unauthenticated';
      failures.inc({ reason });
      const count = await limiter.fail(request.ip);
      // An audit trail without a log line per guess: the first failure of the window and the
      // one that blocks the address.
      if ((count === 1 || count === max) && mayLog()) {
        request.log.warn(
          {
            audit: 'auth-failed',
            ip: request.ip,
            reason,
            method: request.method,
            route: request.routeOptions.url,
            failuresInWindow: count,
            blocked: count >= max,
          },
          count >= max
            ? `authentication failed ${count} times from ${request.ip}: refusing it for ${Math.round(windowMs / 1000)} s`
            : 'authentication failed',
        );
      }
    },
  };
}

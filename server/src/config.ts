import path from 'node:path';
import { z } from 'zod';
import { EXTERNAL_DATA_READERS } from '@outpost/shared';
import { frontendApiOf } from './auth/clerk-options.js';
import { parseKeyRing } from './store/crypto/key-ring.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** A positive number (fractions allowed), so "0", "-1", "30d" or "" never slip through. */
const positive = (unit: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, `must be a positive number of ${unit}`)
    .transform(Number)
    .refine((n) => n > 0 && Number.isFinite(n), `must be a positive number of ${unit}`);

/**
 * The server's whole configuration, validated once at start. Nothing else reads
 * `process.env`. Every variable is documented in `.env.example`.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DATA_DIR: z.string().min(1).default('./data'),
    CLIENT_DIST_DIR: z.string().min(1).optional(),
    MONGODB_URI: z.url().optional(),
    MONGODB_DB: z.string().min(1).default('outpost'),
    EXTERNAL_MONGODB_URI: z.url().optional(),
    EXTERNAL_MONGODB_DB: z.string().min(1).default('shared_app'),
    EXTERNAL_MONGODB_COLLECTION: z.string().min(1).default('resources'),
    /** JSON array of shared resources served instead of the shipped sample (re-read when it changes). */
    EXTERNAL_DATA_FILE: z.string().min(1).optional(),
    EXTERNAL_DATA_ROLES: csv
      .pipe(z.array(z.enum(['admin', 'manager', 'member'])).min(1))
      .default([...EXTERNAL_DATA_READERS]),
    /** Per attempt on the external source (retries and the circuit breaker come on top). */
    EXTERNAL_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(3000),
    /** How long a cached external page is served without asking the source. */
    EXTERNAL_CACHE_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
    /** External-data requests per user per RATE_LIMIT_WINDOW_MS. */
    EXTERNAL_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(120),
    REDIS_URL: z.url().optional(),
    AUTH_MODE: z.enum(['dev', 'clerk']).optional(),
    // Clerk mode: what @clerk/fastify's authenticateRequest verifies session tokens with (networkless).
    CLERK_JWT_KEY: z.string().min(1).optional(),
    CLERK_SECRET_KEY: z.string().min(1).optional(),
    CLERK_PUBLISHABLE_KEY: z
      .string()
      .min(1)
      .refine((k) => frontendApiOf(k) !== null, {
        message: 'not a Clerk publishable key (pk_test_… or pk_live_… from the Clerk dashboard)',
      })
      .optional(),
    CLERK_AUTHORIZED_PARTIES: csv.optional(),
    /** Default: the Frontend API the publishable key names. */
    CLERK_ISSUER: z.string().min(1).optional(),
    /** Signing secret of the Clerk webhook endpoint (whsec_…); unset → the endpoint answers 404. */
    CLERK_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
    CORS_ORIGINS: csv.default([]),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(1024 * 1024),
    RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
    RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
    /** Failed authentications per client IP per window before its requests get 429. */
    AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(30),
    AUTH_FAILURE_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
    /** Bearer token Prometheus sends to GET /metrics. Without it (or METRICS_PORT): no metrics. */
    METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
    /** Serve /metrics only on this port (an internal interface), never on PORT. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** FULL: an acknowledged write survives power loss. NORMAL: it survives a process crash. */
    SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
    /** SQLite's page cache per connection (there are two), MiB; the OS caches the file too. */
    SQLITE_CACHE_MIB: z.coerce.number().int().min(1).max(1024).default(2),
    /**
     * Quiet ms after a request or socket push before one full collection frees what a burst
     * left behind (plugins/idle-gc.ts; needs node's --expose-gc, which npm start passes). 0: off.
     */
    IDLE_GC_MS: z.coerce.number().int().min(0).max(3_600_000).default(1_000),
    /**
     * Key ring for personal data at rest: `<keyId>:<base64 32 bytes>`, comma-separated, the
     * first encrypts. Unset in dev: a key is generated under DATA_DIR.
     */
    DATA_ENCRYPTION_KEYS: z.string().min(1).optional(),
    SLOW_REQUEST_MS: z.coerce.number().int().min(1).default(1000),
    TRUST_PROXY: bool.default(false),
    // Real-time socket (/sync/ws) limits.
    WS_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    WS_HELLO_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    WS_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
    WS_MAX_BUFFERED_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(256 * 1024),
    WS_POKE_COALESCE_MS: z.coerce.number().int().min(0).max(10_000).default(10),
    // History retention (docs/protocol.md "Compaction, purge and resync").
    /** Tombstones last written longer ago than this are purged; older cursors must resync. */
    TOMBSTONE_RETENTION_DAYS: positive('days').default(30),
    /** Activities older than this are purged; unset keeps them forever. */
    ACTIVITY_RETENTION_DAYS: positive('days').optional(),
    /** How often the purge job runs in each server process. */
    RETENTION_INTERVAL_MINUTES: positive('minutes').default(60),
    /** The activity window a pull sends: the newest N entries … */
    ACTIVITY_SYNC_ENTRIES: positive('entries').pipe(z.number().int()).default(1000),
    /** … no older than this many days. */
    ACTIVITY_SYNC_DAYS: positive('days').default(30),
  })
  .superRefine((env, ctx) => {
    if (env.DATA_ENCRYPTION_KEYS) {
      try {
        parseKeyRing(env.DATA_ENCRYPTION_KEYS);
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path: ['DATA_ENCRYPTION_KEYS'],
          message: (err as Error).message,
        });
      }
    } else if (env.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['DATA_ENCRYPTION_KEYS'],
        message:
          'personal data is encrypted at rest and NODE_ENV=production needs the key ring: set DATA_ENCRYPTION_KEYS=<keyId>:<base64 of 32 bytes> (e.g. k1:$(openssl rand -base64 32))',
      });
    }
    const mode = env.AUTH_MODE ?? (env.CLERK_JWT_KEY ? 'clerk' : 'dev');
    if (mode === 'dev' && env.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_MODE'],
        message:
          'dev auth is refused when NODE_ENV=production: set CLERK_JWT_KEY (and AUTH_MODE=clerk)',
      });
    }
    if (mode === 'clerk') {
      const needed = {
        CLERK_JWT_KEY: 'the instance PEM public key, for networkless verification',
        CLERK_SECRET_KEY: "the instance secret key (Clerk's authenticateRequest fails without one)",
        CLERK_PUBLISHABLE_KEY:
          'the instance publishable key (names the instance and the token issuer)',
      } as const;
      for (const [name, what] of Object.entries(needed)) {
        if (!env[name as keyof typeof needed]) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `AUTH_MODE=clerk needs ${name}: ${what}`,
          });
        }
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  authMode: 'dev' | 'clerk';
  dataDir: string;
  clientDistDir: string;
  version: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings in a .env mean "unset".
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    ...e,
    authMode: e.AUTH_MODE ?? (e.CLERK_JWT_KEY ? 'clerk' : 'dev'),
    dataDir: path.resolve(e.DATA_DIR),
    clientDistDir: path.resolve(
      e.CLIENT_DIST_DIR ?? new URL('../../client/dist', import.meta.url).pathname,
    ),
    version: SERVER_VERSION,
  };
}

export const SERVER_VERSION = '0.1.0';

/** For entry points: the config, or the invalid setting printed (no stack) and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

import type { FastifyInstance, RouteOptions } from 'fastify';
import { errorResponses } from './responses.js';

/**
 * Security schemes: the two bearers (which one a route takes differs) and the Svix signature
 * Clerk's webhooks carry instead of a bearer.
 */
export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A Clerk session token, or in dev mode a dev token from `POST /api/v1/auth/dev-token`. Short-lived: fetch a fresh one before each call.',
  },
  syncCredential: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'osc_<id>.<secret>',
    description:
      'A device sync credential from `POST /api/v1/sync/credentials`: push and sign-out only, for the client id it was issued to; lives 30 days unless revoked.',
  },
  svixSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'svix-signature',
    description:
      'Clerk webhooks only: Svix signs `svix-id`, `svix-timestamp` and the raw body with the endpoint secret (CLERK_WEBHOOK_SECRET); all three headers are required.',
  },
} as const;

type Requirement = Record<keyof typeof SECURITY_SCHEMES, string[]>;
const SESSION: Partial<Requirement>[] = [{ bearerAuth: [] }];
const SESSION_OR_CREDENTIAL: Partial<Requirement>[] = [{ bearerAuth: [] }, { syncCredential: [] }];
/** For a route verified by its Svix signature instead of a bearer (it sets this itself). */
export const SVIX_SIGNED: Partial<Requirement>[] = [{ svixSignature: [] }];

interface RouteSchema {
  security?: unknown;
  hide?: boolean;
  body?: unknown;
  response?: Record<string, unknown>;
}

const HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;

function hooksOf(route: RouteOptions): unknown[] {
  return HOOKS.flatMap((name) => {
    const hook = route[name] as unknown;
    return Array.isArray(hook) ? hook : hook ? [hook] : [];
  });
}

/**
 * Route conventions applied to every documented route, so the document cannot disagree with
 * what the server enforces:
 * - `security` follows the auth hooks a route runs: `authenticate` + `requireSession` → a
 *   session token; `authenticate` alone → a session token or a sync credential; neither →
 *   public (`[]`). A route that sets `schema.security` itself keeps it.
 * - every `/api/` route may answer 400 (an unknown query parameter, `refuseUnknownQuery`), 429
 *   (the failed-authentication throttle and the global rate limit) and, with a body, 413 (over the body limit, app.ts) and 415 (not JSON, or a charset
 *   other than UTF-8) — `plugins/hardening.ts`.
 */
export function applyRouteConventions(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as RouteSchema | undefined;
    if (!schema || schema.hide) return;
    if (schema.security === undefined) {
      const hooks = hooksOf(route);
      const authenticated = app.hasDecorator('authenticate') && hooks.includes(app.authenticate);
      schema.security = !authenticated
        ? []
        : hooks.includes(app.requireSession)
          ? SESSION
          : SESSION_OR_CREDENTIAL;
    }
    if (route.url.startsWith('/api/') && schema.response) {
      schema.response = {
        ...(schema.body ? errorResponses(413, 415) : {}),
        ...errorResponses(400, 429),
        ...schema.response,
      };
    }
  });
}

import { verifyWebhook } from '@clerk/backend/webhooks';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '@outpost/shared';
import { AppError, fieldIssues, validationError } from '../../errors.js';
import { bodyRefusal, parseJsonText } from '../../json-text.js';
import { validatorCompiler } from '../../schema-validation.js';
import { SVIX_SIGNED } from '../../openapi/conventions.js';
import { applyClerkEvent } from './apply.js';
import { CLERK_EVENT_TYPES, clerkEnvelopeSchema, clerkEventSchema } from './events.js';
import { describe } from '../../openapi/describe.js';

export interface ClerkWebhookOptions {
  /** CLERK_WEBHOOK_SECRET (`whsec_…`); null → the route answers 404 (documented all the same). */
  secret: string | null;
  now?: () => number;
}

/** Clerk's deliveries are small; anything bigger is not one of them. */
const WEBHOOK_BODY_LIMIT = 512 * 1024;

// Optional to the validator so a missing signature is a 401 (unverified), not a 400.
const headersSchema = z.object({
  'svix-id': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Required. Delivery id: a replay carries the same one'),
  'svix-timestamp': z
    .string()
    .min(1)
    .max(20)
    .optional()
    .describe('Required. Epoch seconds; more than 5 min off is refused'),
  'svix-signature': z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe('Required. v1,<base64 HMAC-SHA256> (one or more, space-separated)'),
});

const receivedSchema = z.strictObject({
  received: z.literal(true),
  /** True when this svix-id was already applied: nothing was done again. */
  duplicate: z.boolean(),
  outcome: z.string(),
});

/**
 * `POST /webhooks/clerk`: Clerk's user, organization and membership events, verified with
 * Svix's scheme over the raw body before anything is parsed, applied once per svix-id, and
 * recorded (type, time, outcome) — the audit of every event. Not a fastify-plugin: the raw
 * body parser stays inside this scope.
 */
const clerkWebhooks: FastifyPluginAsync<ClerkWebhookOptions> = async (root, opts) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const now = opts.now ?? Date.now;
  // This scope's own parser replaces the app's JSON parser (plugins/hardening.ts).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/webhooks/clerk',
    {
      // The route's limit (not the parser's), so a 413 names it (app.ts reads routeOptions).
      bodyLimit: WEBHOOK_BODY_LIMIT,
      // The documented body is the event; the handler parses it only after verifying the
      // signature over the raw string, so the body is not validated before that.
      validatorCompiler: (route) =>
        route.httpPart === 'body'
          ? (data: unknown) => ({ value: data })
          : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
      schema: {
        operationId: 'receiveClerkWebhook',
        summary: 'Clerk webhooks (Svix-signed): users, organizations, memberships',
        description: [
          `Subscribe the endpoint to: ${CLERK_EVENT_TYPES.join(', ')}.`,
          'Signed with the endpoint secret (CLERK_WEBHOOK_SECRET) by Svix: a bad signature or a',
          'timestamp more than 5 minutes off or a missing Svix header is 401, another event type 422;',
          'none of them changes anything. A replay (same svix-id) answers 200 `duplicate: true`.',
          'Removal from an org (or user deletion) revokes the member\u2019s device credentials there',
          'and closes their sockets (close code 4012).',
        ].join(' '),
        tags: ['webhooks'],
        // No bearer: the Svix signature is the credential (and the failed-auth throttle does
        // not apply; see the handler).
        security: SVIX_SIGNED,
        headers: headersSchema,
        body: clerkEnvelopeSchema,
        response: {
          200: receivedSchema.describe('Applied (or a replay of an applied delivery)'),
          400: describe(
            errorBodySchema,
            'The verified body is not a valid event, or holds a `__proto__` or `constructor.prototype` key',
          ),
          401: describe(
            errorBodySchema,
            'WEBHOOK_UNVERIFIED: a Svix header is missing, the signature is bad or the timestamp stale',
          ),
          404: describe(errorBodySchema, 'CLERK_WEBHOOK_SECRET is not set on this server'),
          413: describe(
            errorBodySchema,
            'PAYLOAD_TOO_LARGE: the body is larger than a Clerk delivery (512 KiB)',
          ),
          422: describe(
            errorBodySchema,
            'WEBHOOK_EVENT_UNSUPPORTED: an event type Outpost does not handle',
          ),
        },
      },
    },
    async (request) => {
      if (opts.secret === null) {
        throw new AppError(
          'NOT_FOUND',
          'Clerk webhooks are not configured on this server: set CLERK_WEBHOOK_SECRET',
        );
      }
      const svixId = request.headers['svix-id'];
      const timestamp = request.headers['svix-timestamp'];
      const signature = request.headers['svix-signature'];
      if (!svixId || !timestamp || !signature) {
        throw new AppError(
          'WEBHOOK_UNVERIFIED',
          'A Clerk webhook carries svix-id, svix-timestamp and svix-signature: refused',
          { reason: 'missing-signature' },
        );
      }
      const raw = request.body as unknown;
      if (typeof raw !== 'string') {
        throw new AppError('BAD_REQUEST', 'A Clerk webhook is sent as application/json');
      }
      let verified: unknown;
      try {
        verified = await verifyWebhook(
          new Request('http://outpost.invalid/webhooks/clerk', {
            method: 'POST',
            headers: {
              'svix-id': svixId,
              'svix-timestamp': timestamp,
              'svix-signature': signature,
            },
            body: raw,
          }),
          { signingSecret: opts.secret },
        );
      } catch (err) {
        const message = (err as Error).message;
        const stale = /timestamp/i.test(message);
        throw new AppError(
          'WEBHOOK_UNVERIFIED',
          stale
            ? 'The webhook timestamp is too old or too new (more than 5 minutes off): refused'
            : 'The webhook signature does not match CLERK_WEBHOOK_SECRET: refused',
          { reason: stale ? 'stale-timestamp' : 'bad-signature' },
        );
      }
      // Screened like every other body (json-text.ts), now that the signature is checked over
      // the raw bytes: a signed body is still not trusted to be free of `__proto__`.
      const json = parseJsonText(raw);
      if (!json.ok) throw bodyRefusal(json);
      const type = (verified as { type?: unknown }).type;
      if (typeof type !== 'string' || !(CLERK_EVENT_TYPES as readonly string[]).includes(type)) {
        throw new AppError(
          'WEBHOOK_EVENT_UNSUPPORTED',
          `Outpost does not handle ${typeof type === 'string' ? `"${type.slice(0, 100)}"` : 'this'} events: subscribe the endpoint only to ${CLERK_EVENT_TYPES.join(', ')}`,
          { type: typeof type === 'string' ? type.slice(0, 100) : null },
        );
      }
      const event = clerkEventSchema.safeParse(verified);
      if (!event.success) throw validationError(`${type} event`, fieldIssues(event.error.issues));

      const { membership } = app.engine;
      const previous = await membership.webhook(svixId);
      if (previous) return { received: true as const, duplicate: true, outcome: previous.outcome };
      const outcome = await applyClerkEvent(app.engine, event.data, {
        requestId: svixId,
        reason: `Clerk webhook ${type} (${svixId})`,
      });
      // Applying is idempotent, so two racing deliveries of one id both end here safely.
      const first = await membership.recordWebhook({
        id: svixId,
        type,
        receivedAt: new Date(now()).toISOString(),
        outcome,
      });
      request.log.info({ svixId, type, outcome }, 'clerk webhook applied');
      return { received: true as const, duplicate: !first, outcome };
    },
  );
};

export default clerkWebhooks;

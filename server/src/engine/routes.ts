import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  activityPageQuerySchema,
  activityPageSchema,
  errorBodySchema,
  isProtocolVersion,
  pullRequestSchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  rowEntitySchema,
} from '@outpost/shared';
import type { Config } from '../config.js';
import { errorResponses } from '../openapi/responses.js';
import { describe } from '../openapi/describe.js';
import { storedId } from '../rest/stored-id.js';

const ROW_ENTITIES = rowEntitySchema.options;

const versions =
  'CLIENT_TOO_OLD or SERVER_TOO_OLD (`details`: both versions and the minimum), checked before the rest of the body (whose shape another version may change)';
/** What a push answers besides 200: never 410 (only a pull is told to resync). */
const pushErrors = {
  ...errorResponses(400, 401, 403, 413),
  409: describe(
    errorBodySchema,
    `MUTATION_GAP (\`details.expected\`: resend from that id), ${versions}; nothing was applied`,
  ),
};
/** What a pull answers besides 200: no MUTATION_GAP (it applies nothing), and 410. */
const pullErrors = {
  ...errorResponses(400, 401, 403, 413),
  409: describe(errorBodySchema, versions),
  410: describe(
    errorBodySchema,
    'RESYNC_REQUIRED: tombstones past the cursor were purged since the last page; pull from 0 and drop local rows the snapshot lacks',
  ),
};

/** `POST /sync/push` and `POST /sync/pull` (docs/protocol.md). */
export default fp<{ config: Config }>(
  async (parent) => {
    const app = parent.withTypeProvider<ZodTypeProvider>();

    /**
     * The body's protocol version is checked before its shape: a client of another version may
     * send a body this server's schema refuses (a field or mutation type added or dropped), and
     * it must hear "update the app" (CLIENT_TOO_OLD) or "the server is older"
     * (SERVER_TOO_OLD), not a 400 it would take for its own mistake.
     */
    const versionFirst = async (request: FastifyRequest): Promise<void> => {
      const body: unknown = request.body;
      const version =
        typeof body === 'object' && body !== null && 'protocolVersion' in body
          ? body.protocolVersion
          : undefined;
      // Anything else (0, a negative, a fraction, a string) is no version: the schema's 400.
      if (isProtocolVersion(version)) app.engine.checkProtocolVersion(version);
    };

    app.post(
      '/sync/push',
      {
        onRequest: app.authenticate,
        preValidation: versionFirst,
        schema: {
          operationId: 'pushMutations',
          tags: ['sync'],
          summary: "Apply a client's mutations in order, at most once",
          description:
            'Session token or device sync credential (for its own client id). A client id the server has not seen must be lower case, as newClientId makes it (else 400 VALIDATION at /clientId). Ids ≤ lastMutationId are answered `duplicate`; the first new id must be lastMutationId + 1 (else 409 MUTATION_GAP, nothing applied). The batch is one transaction. Rejected mutations are consumed: roll them back, never retry. An update\u2019s `base` holds clocks only for fields in its `fields` (any other key is 400 VALIDATION at the key). A mutation whose text holds control characters (the rules of ProjectFields/TaskFields) is rejected `validation` on its own. An update\u2019s or delete\u2019s `entityId` and a reference in `fields` name their row in either case (stored as the row\u2019s lower-case id); a create\u2019s `entityId` must be lower case (else rejected `validation`). See docs/protocol.md#push.',
          body: pushRequestSchema,
          response: {
            200: describe(
              pushResponseSchema,
              'Every mutation of the batch, answered applied, duplicate or rejected',
            ),
            ...pushErrors,
          },
        },
        // As for pull: the answer (its `echo` included) holds rows validated on the way in.
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async (request) => app.engine.push(request.actor, request.body),
    );

    app.post(
      '/sync/pull',
      {
        onRequest: app.authenticate,
        preValidation: versionFirst,
        preHandler: app.requireSession,
        schema: {
          operationId: 'pullChanges',
          tags: ['sync'],
          summary: "The latest state of every row of the caller's org changed after a cursor",
          description:
            'Session token only (a sync credential gets 403). A client id the server has not seen must be lower case, as newClientId makes it (else 400 VALIDATION at /clientId). The log is compacted: one entry per row, at the seq of its last write (seqs have gaps), so a pull from 0 costs the live rows only. Page with `cursor` until `hasMore` is false; a cursor ahead of the head is 400 BAD_CURSOR (reset and pull from 0). Tombstones older than TOMBSTONE_RETENTION_DAYS are purged; a replica below the purge horizon gets 410 RESYNC_REQUIRED (pull from 0, then drop local rows the snapshot lacks, keeping pending ones). Activities come as a window (`activityFloor`); older ones via GET /activities. See docs/protocol.md#pull.',
          body: pullRequestSchema,
          response: {
            200: describe(
              pullResponseSchema,
              'The next page of changes after `cursor`, and where to continue',
            ),
            ...pullErrors,
          },
        },
        // The schema documents the answer; checking up to 1000 rows against it on the way out
        // cost ~85% of a pull's server time (30 ms per 1000 changes). Rows are validated on
        // every way in (push, REST, identity), so the log is serialized as stored.
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async (request) => app.engine.pull(request.actor, request.body),
    );
  },
  { name: 'sync-routes', dependencies: ['engine', 'auth'], encapsulate: true },
);

/** `GET /activities`: the feed's older entries, beyond the window a pull sends. */
export const activityRoutes = fp(
  async (parent) => {
    const app = parent.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/activities',
      {
        onRequest: app.authenticate,
        preHandler: app.requireSession,
        schema: {
          operationId: 'listActivities',
          tags: ['sync'],
          summary: "The org's activity, newest first, paged by seq",
          description:
            'A pull sends only the activity window (see `activityFloor`); older entries are paged here with `before` = the oldest seq (`version`) you have. `entityId` keeps one row\u2019s history (a task\u2019s, a project\u2019s, a user\u2019s; its id in either case), paged the same way; an id of another org answers an empty page. Retained for ACTIVITY_RETENTION_DAYS (default: forever). See docs/protocol.md.',
          querystring: activityPageQuerySchema,
          response: {
            200: describe(
              activityPageSchema,
              'Activities older than `before` (about `entityId` when given), newest first',
            ),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const { entityId } = request.query;
        // An id names its row in either case, as in a REST path (rest/stored-id.ts).
        if (entityId === undefined) return app.engine.activityPage(request.actor, request.query);
        const stored = await storedId(app.engine, request.actor.orgId, ROW_ENTITIES, entityId);
        return app.engine.activityPage(request.actor, { ...request.query, entityId: stored });
      },
    );
  },
  { name: 'activity-routes', dependencies: ['engine', 'auth'], encapsulate: true },
);

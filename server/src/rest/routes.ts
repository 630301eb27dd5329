import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as zm from 'zod/mini';
import {
  entityIdSchema,
  errorBodySchema,
  newEntityId,
  type EntityId,
  type OrgId,
} from '@outpost/shared';
import type { Config } from '../config.js';
import { nameComponent } from '../openapi/components.js';
import { errorResponses } from '../openapi/responses.js';
import { AppError } from '../errors.js';
import type { Row } from '../engine/types.js';
import { checkIfMatch } from '../engine/rest.js';
import {
  etagOf,
  ifNoneMatchHeaders,
  noneMatchHits,
  parseIfMatch,
  parseIfNoneMatch,
} from './if-match.js';
import { pageQueryShape, RESOURCES, type ResourceDef } from './resources.js';
import { describe } from '../openapi/describe.js';
import { storedId, storedRefs } from './stored-id.js';

export interface RestRoutesOptions {
  config: Config;
}

const idParams = z.strictObject({
  id: describe(entityIdSchema, "The row's UUIDv7, in either case (the row's is lower case)"),
});
/** What every write's OpenAPI text says of `If-None-Match` (`refuseIfNoneMatch`). */
const NOT_ON_WRITES =
  '`If-None-Match` is read on GET only: on a write any value is 400 `BAD_REQUEST` with `details.ifNoneMatch`, and nothing is written.';
const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    .describe(
      'The ETag of the row as you last read it (`"12"`), several comma-separated (any may match), or `*` for any live row. Compared strongly: a weak `W/"12"` never matches. No match is 412; a malformed value (an unquoted `12` too) is 400.',
    ),
});

/**
 * `preValidation` of every write: `If-None-Match` is refused, 400 BAD_REQUEST with
 * `details: { ifNoneMatch }`, before anything is read or written. RFC 9110 would evaluate it
 * as a precondition; ignoring it (as before) did the write unconditionally — a PUT sent with
 * `If-None-Match: *` to mean "only if absent" overwrote the row.
 */
async function refuseIfNoneMatch(request: FastifyRequest): Promise<void> {
  const header = request.headers['if-none-match'];
  if (header === undefined) return;
  throw new AppError(
    'BAD_REQUEST',
    `If-None-Match is read on GET only, not on ${request.method}: send If-Match with the ETag you hold (a PUT never creates)`,
    { ifNoneMatch: header },
  );
}

/**
 * `preValidation` of a create: `If-None-Match` as on every write, and `If-Match` too — a row
 * not created yet has no ETag to match, so the precondition could only be ignored (as it was:
 * the row was created anyway). 400 BAD_REQUEST with `details: { ifMatch }`.
 */
async function refuseCreatePreconditions(request: FastifyRequest): Promise<void> {
  await refuseIfNoneMatch(request);
  const header = request.headers['if-match'];
  if (header === undefined) return;
  throw new AppError(
    'BAD_REQUEST',
    'If-Match is read on PUT, PATCH and DELETE of a row, not on a create: a new row has no ETag to match',
    { ifMatch: header },
  );
}

/** Lists and creates name no row, so they answer no 404; the `/:id` routes do. */
const collectionErrors = errorResponses(400, 401, 403);
const errors = errorResponses(400, 401, 403, 404);
const preconditionFailed = errorResponses(412);

function registerResource(root: FastifyInstance, def: ResourceDef): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const base = `/primary-data/${def.plural}`;
  const common = {
    onRequest: app.authenticate,
    preHandler: app.requireSession,
    config: { auditEntity: def.entity },
  };
  const tags = [def.plural];
  const { Name, Plural, entity, plural } = names(def);
  const pageSchema = nameComponent(
    z.strictObject({
      data: z.array(def.row),
      nextCursor: z
        .string()
        .nullable()
        .describe('Pass as `cursor` for the next page; null on the last'),
    }),
    { id: `${Name}Page`, description: `One page of ${plural}, ordered by id.` },
  );
  const createSchema = nameComponent(def.create, {
    id: `New${Name}`,
    description: `A ${entity} to create; omitted fields take their defaults.`,
  });
  const patchSchema = nameComponent(
    zm.partial(def.replace).check(
      zm.refine((f) => Object.keys(f).length > 0, {
        message: 'a PATCH must change at least one field',
      }),
    ),
    { id: `${Name}Patch`, description: `Some writable fields of a ${entity} (at least one).` },
  );
  const rowWritten = (status: string) =>
    describe(def.row, `The ${entity} ${status}; the ETag header carries its version for If-Match`);

  /** The stored id a path names (see storedId). */
  const stored = (orgId: OrgId, id: EntityId) => storedId(app.engine, orgId, [def.entity], id);
  /** A body's or filter's references to other rows, resolved the same way. */
  const refs = <T extends Record<string, unknown>>(orgId: OrgId, fields: T) =>
    storedRefs(app.engine, orgId, def.refs, fields);

  const withEtag = (reply: { header(k: string, v: string): unknown }, row: Row) => {
    reply.header('ETag', etagOf(row.version));
    return row;
  };

  app.get(
    base,
    {
      ...common,
      schema: {
        operationId: `list${Plural}`,
        summary: `List ${plural} (equality filters, cursor pagination)`,
        description: `Rows come in id order (a UUIDv7 starts with the time its writer made it, so mostly the order they were created in). A filter matches exactly unless its own description says otherwise (an id names its row in either case, as in a path); pass \`nextCursor\` as \`cursor\`, with the same filters, until it is null (a cursor is bound to the org, the list and the filters it was made for: another org's, another list's or one with other filters is 400 \`BAD_CURSOR\`; \`limit\` may change). Open to every member of the org.`,
        tags,
        querystring: def.filters.extend(pageQueryShape).strict(),
        response: { 200: pageSchema.describe(`A page of ${plural}`), ...collectionErrors },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query as Record<string, unknown> & {
        limit: number;
        cursor?: string;
      };
      const filter: Record<string, string | number | boolean | null> = {};
      for (const [k, v] of Object.entries(filters)) {
        if (v !== undefined) filter[k] = v as string | null;
      }
      const page = await app.engine.list(request.actor.orgId, {
        entity: def.entity,
        filter: await refs(request.actor.orgId, filter),
        after: cursor,
        limit,
      });
      return { data: page.items, nextCursor: page.nextCursor };
    },
  );

  app.get(
    `${base}/:id`,
    {
      ...common,
      schema: {
        operationId: `get${Name}`,
        summary: `Get one ${entity} (ETag = its version)`,
        description: `Send \`If-None-Match\` with a previous ETag (or several, comma-separated; \`W/\` or not; \`*\` for any) to get a 304 when it has not changed. \`If-Match\` is evaluated too (RFC 9110 §13.1.1, before If-None-Match): when no listed ETag matches the row's strongly it is 412, as on a write (\`*\` matches the live row). A malformed If-None-Match or If-Match is 400, checked before the row is looked up; a missing row is 404 with or without them. HEAD answers the same, without a body.`,
        tags,
        params: idParams,
        headers: ifNoneMatchHeaders.extend(ifMatchHeaders.shape),
        response: {
          200: describe(def.row, `The ${entity}; the ETag header carries its version for If-Match`),
          304: z.null().describe('Not modified since the ETag in If-None-Match'),
          ...errors,
          ...preconditionFailed,
        },
      },
    },
    async (request, reply) => {
      const { orgId } = request.actor;
      const ifNoneMatch = parseIfNoneMatch(request.headers['if-none-match']);
      const ifMatch = parseIfMatch(request.headers['if-match']);
      const row = await app.engine.get(orgId, def.entity, await stored(orgId, request.params.id));
      // Another org's id is indistinguishable from a missing one.
      if (!row) throw new AppError('NOT_FOUND', `No ${def.entity} ${request.params.id}`);
      // RFC 9110 §13.2.2: If-Match first (412 as on a write), then If-None-Match.
      checkIfMatch(row, ifMatch);
      // Private, and revalidated every time: the ETag makes that a cheap 304.
      reply.header('Cache-Control', 'private, no-cache');
      if (noneMatchHits(ifNoneMatch, etagOf(row.version))) {
        return reply.code(304).header('ETag', etagOf(row.version)).send(null);
      }
      return withEtag(reply, row);
    },
  );

  app.post(
    base,
    {
      ...common,
      preValidation: refuseCreatePreconditions,
      schema: {
        operationId: `create${Name}`,
        summary: `Create a ${entity}`,
        description: `${CREATE_RULES[entity]} Goes through the sync engine: synced to every replica, recorded as a \`create\` activity. Location names the new row. ${NOT_ON_WRITES} \`If-Match\` is refused the same way (\`details.ifMatch\`): a new row has no ETag to match.`,
        tags,
        body: createSchema,
        response: {
          201: rowWritten('created'),
          ...collectionErrors,
          409: describe(errorBodySchema, CREATE_CONFLICTS[entity]),
        },
      },
    },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const sent = body['id'] as EntityId | undefined;
      const entityId = sent ?? newEntityId();
      const row = await app.engine.applyRest(request.actor, {
        kind: 'create',
        entity: def.entity,
        entityId,
        madeId: sent === undefined,
        fields: await refs(request.actor.orgId, def.createFields(body, request.actor)),
      });
      reply.code(201).header('Location', `/api/v1${base}/${entityId}`);
      return withEtag(reply, row);
    },
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const replace = method === 'PUT';
    app.route({
      method,
      url: `${base}/:id`,
      ...common,
      preValidation: refuseIfNoneMatch,
      schema: {
        operationId: `${replace ? 'replace' : 'update'}${Name}`,
        summary: replace
          ? `Replace every writable field of a ${entity}`
          : `Change some fields of a ${entity}`,
        description: `${UPDATE_RULES[entity]} Stamped with the server's clock, so it wins over every change it has seen. With \`If-Match\` (RFC 9110: strong comparison, a list, or \`*\`), only applied if the row's ETag still matches (else 412). A missing row is 404 with or without it. ${NOT_ON_WRITES}`,
        tags,
        params: idParams,
        headers: ifMatchHeaders,
        body: replace ? def.replace : patchSchema,
        response: {
          200: rowWritten('after the write'),
          ...errors,
          ...conflict(UPDATE_CONFLICTS[entity]),
          ...preconditionFailed,
        },
      },
      handler: async (request, reply) => {
        const row = await app.engine.applyRest(request.actor, {
          kind: 'update',
          entity: def.entity,
          entityId: await stored(request.actor.orgId, request.params.id),
          fields: await refs(request.actor.orgId, request.body as Record<string, unknown>),
          ifMatch: parseIfMatch(request.headers['if-match']),
          replace,
        });
        return withEtag(reply, row);
      },
    });
  }

  app.delete(
    `${base}/:id`,
    {
      ...common,
      preValidation: refuseIfNoneMatch,
      schema: {
        operationId: `delete${Name}`,
        summary: `Delete a ${entity} (a tombstone that syncs)`,
        description: `${DELETE_RULES[entity]} The row never comes back; later edits to it are recorded as lost. With \`If-Match\`, only if the row's ETag still matches (else 412); a missing row is 404 with or without it. ${NOT_ON_WRITES}`,
        tags,
        params: idParams,
        headers: ifMatchHeaders,
        response: {
          204: z.null().describe('Deleted'),
          ...errors,
          ...conflict(DELETE_CONFLICTS[entity]),
          ...preconditionFailed,
        },
      },
    },
    async (request, reply) => {
      await app.engine.applyRest(request.actor, {
        kind: 'delete',
        entity: def.entity,
        entityId: await stored(request.actor.orgId, request.params.id),
        ifMatch: parseIfMatch(request.headers['if-match']),
      });
      return reply.code(204).send(null);
    },
  );
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `task` → `{ Name: 'Task', Plural: 'Tasks' }`: the operation and component names of a resource. */
function names(def: ResourceDef) {
  return {
    entity: def.entity,
    plural: def.plural,
    Name: capitalized(def.entity),
    Plural: capitalized(def.plural),
  };
}

/** A 409 answer, for the resources that have one. */
const conflict = (description: string | undefined) =>
  description === undefined ? {} : { 409: describe(errorBodySchema, description) };

const CREATE_CONFLICTS: Record<ResourceDef['entity'], string> = {
  user: "The id is already used by another row, or the email (case aside) is already a member's or an invitation's of the org",
  project: 'The id is already used by another row',
  task: 'The id is already used by another row',
};
const UPDATE_CONFLICTS: Record<ResourceDef['entity'], string | undefined> = {
  user: "The email (case aside) is already another member's or invitation's of the org, or the change is to your own role",
  project: undefined,
  task: undefined,
};
const DELETE_CONFLICTS: Record<ResourceDef['entity'], string | undefined> = {
  user: 'You cannot remove yourself',
  project: undefined,
  task: undefined,
};

const CREATE_RULES: Record<ResourceDef['entity'], string> = {
  user: 'Admins only.',
  project: 'Admins and managers.',
  task: 'Any member; the project must be a live project of your org.',
};
const UPDATE_RULES: Record<ResourceDef['entity'], string> = {
  user: 'Admins only.',
  project: 'Admins and managers.',
  task: 'Any member.',
};
const DELETE_RULES: Record<ResourceDef['entity'], string> = {
  user: 'Admins only.',
  project: "Admins and managers; the project's live tasks are deleted with it.",
  task: 'Admins and managers.',
};

/** `/api/v1/primary-data/{users,projects,tasks}`: REST through the sync engine. */
const restRoutes: FastifyPluginAsync<RestRoutesOptions> = async (app) => {
  for (const def of RESOURCES) registerResource(app, def);
};

export default fp(restRoutes, { name: 'rest-routes', dependencies: ['auth', 'engine'] });

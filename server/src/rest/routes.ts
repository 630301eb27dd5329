import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { entityIdSchema, errorBodySchema, newEntityId, type EntityId } from '@outpost/shared';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Row } from '../engine/types.js';
import { etagOf, parseIfMatch } from './if-match.js';
import { pageQueryShape, RESOURCES, type ResourceDef } from './resources.js';

export interface RestRoutesOptions {
  config: Config;
}

const idParams = z.strictObject({ id: entityIdSchema });
const ifMatchHeaders = z.object({
  'if-match': z.string().optional().describe('Row version from the ETag; a mismatch is 412'),
});
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
} as const;

function registerResource(root: FastifyInstance, def: ResourceDef): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const base = `/primary-data/${def.plural}`;
  const common = {
    onRequest: app.authenticate,
    preHandler: app.requireSession,
    config: { auditEntity: def.entity },
  };
  const tags = [def.plural];
  const security = [{ bearerAuth: [] }];
  const pageSchema = z.strictObject({ data: z.array(def.row), nextCursor: z.string().nullable() });
  const patchSchema = def.replace.partial().refine((f) => Object.keys(f).length > 0, {
    message: 'a PATCH must change at least one field',
  });

  const withEtag = (reply: { header(k: string, v: string): unknown }, row: Row) => {
    reply.header('ETag', etagOf(row.version));
    return row;
  };

  app.get(
    base,
    {
      ...common,
      schema: {
        summary: `List ${def.plural} (equality filters, cursor pagination)`,
        tags,
        security,
        querystring: def.filters.extend(pageQueryShape).strict(),
        response: { 200: pageSchema, ...errors },
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
        filter,
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
        summary: `Get one ${def.entity} (ETag = its version)`,
        tags,
        security,
        params: idParams,
        response: { 200: def.row, 304: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const row = await app.engine.get(request.actor.orgId, def.entity, request.params.id);
      // Another org's id is indistinguishable from a missing one.
      if (!row) throw new AppError('NOT_FOUND', `No ${def.entity} ${request.params.id}`);
      // Private, and revalidated every time: the ETag makes that a cheap 304.
      reply.header('Cache-Control', 'private, no-cache');
      if (request.headers['if-none-match'] === etagOf(row.version)) {
        return reply.code(304).header('ETag', etagOf(row.version)).send(null);
      }
      return withEtag(reply, row);
    },
  );

  app.post(
    base,
    {
      ...common,
      schema: {
        summary: `Create a ${def.entity}`,
        tags,
        security,
        body: def.create,
        response: { 201: def.row, ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const entityId = (body['id'] as EntityId | undefined) ?? newEntityId();
      const row = await app.engine.applyRest(request.actor, {
        kind: 'create',
        entity: def.entity,
        entityId,
        fields: def.createFields(body, request.actor),
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
      schema: {
        summary: replace
          ? `Replace every writable field of a ${def.entity}`
          : `Change some fields of a ${def.entity}`,
        tags,
        security,
        params: idParams,
        headers: ifMatchHeaders,
        body: replace ? def.replace : patchSchema,
        response: { 200: def.row, ...errors, 412: errorBodySchema },
      },
      handler: async (request, reply) => {
        const row = await app.engine.applyRest(request.actor, {
          kind: 'update',
          entity: def.entity,
          entityId: request.params.id,
          fields: request.body as Record<string, unknown>,
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
      schema: {
        summary: `Delete a ${def.entity} (a tombstone that syncs)`,
        tags,
        security,
        params: idParams,
        headers: ifMatchHeaders,
        response: { 204: z.null(), ...errors, 412: errorBodySchema },
      },
    },
    async (request, reply) => {
      await app.engine.applyRest(request.actor, {
        kind: 'delete',
        entity: def.entity,
        entityId: request.params.id,
        ifMatch: parseIfMatch(request.headers['if-match']),
      });
      return reply.code(204).send(null);
    },
  );
}

/** `/api/v1/primary-data/{users,projects,tasks}`: REST through the sync engine. */
const restRoutes: FastifyPluginAsync<RestRoutesOptions> = async (app) => {
  for (const def of RESOURCES) registerResource(app, def);
};

export default fp(restRoutes, { name: 'rest-routes', dependencies: ['auth', 'engine'] });

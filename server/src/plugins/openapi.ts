import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';

const errorBody = {
  type: 'object',
  required: ['error', 'code'],
  properties: { error: { type: 'string' }, code: { type: 'string' }, details: {} },
};

type Transformed = ReturnType<typeof jsonSchemaTransform>;

/**
 * Answers every authenticated route may give, documented once here rather than on each route:
 * 429 (the caller's address failed authentication too often, or the rate limit) and, with a
 * body, 415 (a charset other than UTF-8).
 */
function withCommonRefusals(out: Transformed): Transformed {
  const schema = out.schema as Record<string, unknown> & {
    security?: unknown[];
    body?: unknown;
    response?: Record<string, unknown>;
  };
  if (!schema.security?.length) return out;
  const response = { ...schema.response };
  response['429'] ??= {
    ...errorBody,
    description:
      'RATE_LIMITED: too many failed authentications from this address (checked before the token), or too many requests; Retry-After gives the seconds to wait',
  };
  if (schema.body)
    response['415'] ??= {
      ...errorBody,
      description: 'UNSUPPORTED_MEDIA_TYPE: the body declares a charset other than UTF-8',
    };
  return { ...out, schema: { ...schema, response } as Transformed['schema'] };
}

export interface OpenApiOptions {
  config: Config;
}

/**
 * OpenAPI 3 generated from every route's zod schemas (registered before the routes, so it
 * sees them all): `/openapi.json`, and a docs UI at `/docs`.
 */
export default fp<OpenApiOptions>(
  async (app, { config }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Outpost API',
          description:
            'Sync (push/pull, see docs/protocol.md), REST over the same engine, auth and external data. Errors are `{ error, code, details? }`.',
          version: config.version,
        },
        servers: [],
        tags: [
          { name: 'meta', description: 'Health and build information' },
          { name: 'auth', description: 'Sign-in (dev mode), identity, sign-out' },
          { name: 'sync', description: 'Push, pull and device sync credentials' },
          { name: 'users', description: 'Members of your org' },
          { name: 'projects', description: 'Projects of your org' },
          { name: 'tasks', description: 'Tasks of your org' },
        ],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description:
                'A Clerk session token (or a dev token in dev mode); a sync credential only for push.',
            },
          },
        },
      },
      transform: (input) => withCommonRefusals(jsonSchemaTransform(input)),
    });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { docExpansion: 'list', deepLinking: true },
    });
  },
  { name: 'openapi' },
);

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';

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
      transform: jsonSchemaTransform,
    });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { docExpansion: 'list', deepLinking: true },
    });
  },
  { name: 'openapi' },
);

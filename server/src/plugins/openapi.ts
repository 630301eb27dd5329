import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { createJsonSchemaTransformObject, jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import { buildAsyncApi } from '../openapi/asyncapi.js';
import { nameSharedComponents } from '../openapi/components.js';
import { attachExamples } from '../openapi/examples.js';
import { applyRouteConventions, SECURITY_SCHEMES } from '../openapi/conventions.js';
import { documentHeaders } from '../openapi/headers.js';
import { describeParameters } from '../openapi/parameters.js';
import { describeProperties } from '../openapi/properties.js';
import { shareErrorResponses } from '../openapi/responses.js';
import { tidyComponents } from '../openapi/tidy.js';

export interface OpenApiOptions {
  config: Config;
}

const transformObject = createJsonSchemaTransformObject({});

/**
 * OpenAPI 3.1 generated from every route's zod schemas (registered before the routes, so it
 * sees them all): `/openapi.json`, and a docs UI at `/docs`. Shared schemas are named
 * components (`openapi/components.ts`); each route's `security` follows its auth hooks.
 */
export default fp<OpenApiOptions>(
  async (app, { config }) => {
    nameSharedComponents();
    applyRouteConventions(app);

    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Outpost API',
          description: [
            'The Outpost sync server: sync (push, pull and real-time pokes — see docs/protocol.md),',
            'REST over the same engine (`/primary-data`), auth, and read-only external data.',
            'Every error is an `ErrorBody` (`{ error, code, details? }`).',
            'The WebSocket messages are described by `/asyncapi.json`.',
          ].join(' '),
          version: config.version,
        },
        servers: [{ url: '/', description: 'The server that serves this document' }],
        tags: [
          { name: 'meta', description: 'Health and build information' },
          { name: 'auth', description: 'Sign-in (dev mode), identity, sign-out' },
          { name: 'sync', description: 'Push, pull, real-time pokes and device sync credentials' },
          { name: 'users', description: 'Members of your org' },
          { name: 'projects', description: 'Projects of your org' },
          { name: 'tasks', description: 'Tasks of your org' },
          { name: 'webhooks', description: 'Signed events from the identity provider (Clerk)' },
          {
            name: 'external-data',
            description: 'Read-only shared resources from an external source',
          },
        ],
        components: { securitySchemes: SECURITY_SCHEMES },
      },
      transform: jsonSchemaTransform,
      transformObject: (doc) =>
        describeProperties(
          tidyComponents(
            describeParameters(
              documentHeaders(shareErrorResponses(attachExamples(transformObject(doc)))),
            ),
          ),
        ),
    });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    // Built on its first request (~20 ms of a start otherwise), then kept.
    let asyncApi: Record<string, unknown> | undefined;
    app.get(
      '/asyncapi.json',
      { schema: { hide: true } },
      async () => (asyncApi ??= buildAsyncApi(config.version, `${config.HOST}:${config.PORT}`)),
    );

    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { docExpansion: 'list', deepLinking: true },
    });
  },
  { name: 'openapi' },
);

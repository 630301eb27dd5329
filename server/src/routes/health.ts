import type { FastifyPluginAsync } from 'fastify';
import { PROTOCOL_VERSION } from '@outpost/shared';

export interface HealthOptions {
  version: string;
  storageKind: () => string;
}

const health: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness and build information',
        tags: ['meta'],
      },
    },
    async () => ({
      status: 'ok' as const,
      storage: opts.storageKind(),
      version: opts.version,
      protocolVersion: PROTOCOL_VERSION,
    }),
  );
};

export default health;

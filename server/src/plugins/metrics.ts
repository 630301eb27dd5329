import fp from 'fastify-plugin';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';

export interface MetricsOptions {
  config: Config;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry: features register their own metrics on it. */
    metrics: { registry: Registry };
  }
}

/**
 * Prometheus metrics on a registry owned by this app instance (not prom-client's global one:
 * tests build many apps in one process). `GET /metrics` in the text exposition format.
 */
export default fp<MetricsOptions>(
  async (app) => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'outpost-server' });
    collectDefaultMetrics({ register: registry });

    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });

    app.decorate('metrics', { registry });

    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, never the raw URL: ids in paths would explode the label set.
      const route = request.routeOptions.url ?? 'unmatched';
      duration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('Content-Type', registry.contentType);
      return registry.metrics();
    });

    app.addHook('onClose', async () => {
      registry.clear();
    });
  },
  { name: 'metrics' },
);

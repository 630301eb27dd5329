import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';
import { AppError, authChallenge, quoted } from '../errors.js';

export interface MetricsOptions {
  config: Config;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * This app's Prometheus registry (features register their own metrics on it) and, with
     * METRICS_PORT, the port the internal metrics listener got once the app is ready.
     */
    metrics: { registry: Registry; port: number | null };
  }
}

/** Constant-time check of `Authorization: Bearer <METRICS_TOKEN>`. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus metrics on a registry owned by this app instance (not prom-client's global one:
 * tests build many apps in one process). `GET /metrics` in the text exposition format, never
 * to anonymous callers: with METRICS_PORT it is served only on that (internal) port, with
 * METRICS_TOKEN it needs that bearer token, and with neither it is off (404).
 */
export default fp<MetricsOptions>(
  async (app, { config }) => {
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

    const metrics = { registry, port: null as number | null };
    app.decorate('metrics', metrics);

    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, never the raw URL: ids in paths would explode the label set.
      const route = request.routeOptions.url ?? 'unmatched';
      duration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    const token = config.METRICS_TOKEN;
    // Registered even when off, so /metrics never falls through to the PWA's index.html.
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (config.METRICS_PORT !== undefined)
        throw new AppError('NOT_FOUND', 'Metrics are served on the internal METRICS_PORT only');
      if (!token)
        throw new AppError('NOT_FOUND', 'Metrics are off: set METRICS_TOKEN or METRICS_PORT');
      if (!bearerMatches(request.headers.authorization, token))
        throw new AppError(
          'UNAUTHENTICATED',
          'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
          { reason: 'metrics-token' },
        );
      reply.header('Content-Type', registry.contentType);
      return registry.metrics();
    });

    if (config.METRICS_PORT !== undefined) {
      const internal = http.createServer((req, res) => {
        const path = (req.url ?? '').split('?')[0];
        // Coded as every error of the server is (`{ error, code, details? }`).
        const refuse = (e: AppError) => {
          const challenge = authChallenge(e);
          res
            .writeHead(e.status, {
              'content-type': 'application/json',
              ...(challenge ? { 'www-authenticate': challenge } : {}),
            })
            .end(JSON.stringify(e.toBody()));
        };
        if (req.method !== 'GET' || path !== '/metrics') {
          return refuse(
            new AppError(
              'NOT_FOUND',
              `Route ${req.method ?? ''} ${quoted(path ?? '')} not found: this port serves GET /metrics only`,
            ),
          );
        }
        if (token && !bearerMatches(req.headers.authorization, token)) {
          return refuse(
            new AppError(
              'UNAUTHENTICATED',
              'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
              { reason: 'metrics-token' },
            ),
          );
        }
        registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
          (err: unknown) => {
            app.log.error({ err }, 'metrics collection failed');
            refuse(new AppError('INTERNAL', 'Metrics collection failed'));
          },
        );
      });
      app.addHook('onReady', async () => {
        await new Promise<void>((resolve, reject) => {
          internal.once('error', reject);
          internal.listen(config.METRICS_PORT, config.METRICS_HOST, () => resolve());
        });
        metrics.port = (internal.address() as AddressInfo).port;
        app.log.info(
          { host: config.METRICS_HOST, port: metrics.port },
          'metrics served on the internal port',
        );
      });
      app.addHook('onClose', async () => {
        if (internal.listening) await new Promise((resolve) => internal.close(resolve));
      });
    }

    app.addHook('onClose', async () => {
      registry.clear();
    });
  },
  { name: 'metrics' },
);

import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { BreakerState, SourceGuard } from './resilience.js';

/**
 * The metrics plugin owns the registry served at /metrics; this feature adds its series to it
 * when there is one (and keeps its own counts on the repository regardless).
 */
function registryOf(app: FastifyInstance): Registry | null {
  const holder = app as FastifyInstance & { metrics?: { registry?: Registry } | null };
  return holder.metrics?.registry ?? null;
}

export function invalidDocumentCounter(app: FastifyInstance): (() => void) | null {
  const registry = registryOf(app);
  if (!registry) return null;
  const name = 'outpost_external_invalid_documents_total';
  const counter =
    (registry.getSingleMetric(name) as Counter | undefined) ??
    new Counter({
      name,
      help: 'External documents skipped because they failed validation',
      registers: [registry],
    });
  return () => counter.inc();
}

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function observeBreaker(app: FastifyInstance, guard: SourceGuard): () => void {
  const registry = registryOf(app);
  if (!registry) return () => {};
  const name = 'outpost_external_breaker_state';
  const gauge =
    (registry.getSingleMetric(name) as Gauge | undefined) ??
    new Gauge({
      name,
      help: 'External source circuit breaker: 0 closed, 1 half-open, 2 open',
      registers: [registry],
    });
  gauge.set(STATE_VALUE[guard.state]);
  return guard.onStateChange((state) => gauge.set(STATE_VALUE[state]));
}

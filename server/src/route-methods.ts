import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { AppError, MAX_PARAM_LENGTH, paramTooLong, quoted } from './errors.js';

/**
 * The methods each API path takes, gathered from its routes (`onRoute`), so a request the
 * router has no route for can be told apart: a path the API has, asked with another method,
 * is 405 METHOD_NOT_ALLOWED with `Allow` (RFC 9110 §15.5.6), `OPTIONS` on it is 204 with
 * `Allow`, and only a path it does not have is 404.
 */
export class RouteMethods {
  readonly #routes: { pattern: RegExp; methods: Set<string> }[] = [];

  /** `onRoute` hook: records a route's path (with its prefix) and methods. */
  readonly add = (route: RouteOptions): void => {
    const methods = [route.method].flat().map((m) => m.toUpperCase());
    // Fastify answers HEAD for every GET route (exposeHeadRoutes).
    if (methods.includes('GET')) methods.push('HEAD');
    const pattern = patternOf(route.url);
    const known = this.#routes.find((r) => r.pattern.source === pattern.source);
    if (known) for (const m of methods) known.methods.add(m);
    else this.#routes.push({ pattern, methods: new Set(methods) });
  };

  /** The methods a path takes (in a fixed order), none when the API has no such path. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const r of this.#routes)
      if (r.pattern.test(path)) for (const m of r.methods) methods.add(m);
    return ORDER.filter((m) => methods.has(m));
  }

  /** Answers a request no route took: 204 (OPTIONS) or 405 with `Allow`, else 404. */
  readonly notFound = (req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = req.url.split('?', 1)[0]!;
    const allow = this.allowed(path);
    if (allow.length === 0) {
      const e = new AppError('NOT_FOUND', `Route ${req.method} ${quoted(path)} not found`);
      return reply.code(e.status).send(e.toBody());
    }
    // The router refuses a parameter this long (400); a GET or HEAD that the PWA's catch-all
    // took instead must be answered the same, not 405 "GET is not a method … it takes GET".
    if (path.split('/').some((segment) => segment.length > MAX_PARAM_LENGTH)) {
      const e = paramTooLong();
      return reply.code(e.status).send(e.toBody());
    }
    reply.header('Allow', allow.join(', '));
    if (req.method === 'OPTIONS') return reply.code(204).send();
    const e = new AppError(
      'METHOD_NOT_ALLOWED',
      `${req.method} is not a method of ${quoted(path)}: it takes ${allow.join(', ')}`,
      { allow },
    );
    return reply.code(e.status).send(e.toBody());
  };
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `/api/v1/tasks/:id` → a regex matching `/api/v1/tasks/<one non-empty segment>`. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

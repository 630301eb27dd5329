import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface StaticClientOptions {
  root: string;
  /** Answers an API request no route took (405 for a known path, else 404). */
  apiNotFound?: (req: FastifyRequest, reply: FastifyReply) => FastifyReply;
}

/**
 * Serves the built PWA. The service worker and the HTML shell must never be cached by the
 * HTTP cache (or an update could never be detected); hashed assets are immutable.
 */
export default fp<StaticClientOptions>(
  async (app, opts) => {
    const indexFile = path.join(opts.root, 'index.html');
    const notFound = (req: FastifyRequest, reply: FastifyReply) =>
      opts.apiNotFound && req.url.startsWith('/api/')
        ? opts.apiNotFound(req, reply)
        : reply.code(404).send({
            error: `Route ${req.method} ${req.url.split('?')[0]} not found`,
            code: 'NOT_FOUND',
          });
    // An API request no route takes is answered before its body is read: its method or path is
    // what is wrong (405 with Allow, or 404), not a body no route would read — it used to be 400
    // "PUT /api/v1/primary-data/tasks takes no body", a 415 or a JSON error first.
    const { apiNotFound } = opts;
    if (apiNotFound) {
      app.addHook('onRequest', async (req, reply) => {
        if (req.is404 && req.url.startsWith('/api/')) return apiNotFound(req, reply);
      });
    }
    if (!fs.existsSync(indexFile)) {
      app.log.warn(
        { root: opts.root },
        'client build not found: run `pnpm build` to serve the PWA',
      );
      app.setNotFoundHandler(notFound);
      return;
    }
    await app.register(fastifyStatic, {
      root: opts.root,
      prefix: '/',
      // Resolve files per request, so a new build copied in place is served without a restart.
      wildcard: true,
      index: ['index.html'],
      // The client build writes .br/.gz siblings; send them to browsers that accept them.
      preCompressed: true,
      setHeaders(res, filePath) {
        const rel = path.relative(opts.root, filePath);
        if (rel.startsWith(`assets${path.sep}`)) {
          res.header('Cache-Control', 'public, max-age=31536000, immutable');
        } else {
          // sw.js, index.html, manifest: always revalidate.
          res.header('Cache-Control', 'no-cache');
        }
      },
    });
    // SPA fallback: any non-API GET that accepts HTML gets the shell.
    app.setNotFoundHandler((req, reply) => {
      if (
        req.method === 'GET' &&
        !req.url.startsWith('/api/') &&
        (req.headers.accept ?? '').includes('text/html')
      ) {
        return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
      }
      return notFound(req, reply);
    });
  },
  { name: 'static-client' },
);

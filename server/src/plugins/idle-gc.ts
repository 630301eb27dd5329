import fp from 'fastify-plugin';

export interface IdleGcOptions {
  /** `globalThis.gc` (there with node's --expose-gc, which `npm start` passes); off without. */
  gc?: NodeJS.GCFunction | undefined;
  /** IDLE_GC_MS: how long without a finished request counts as quiet; 0 turns this off. */
  quietMs: number;
}

/**
 * Frees what a burst of requests left behind, once the server is quiet. After a seed or a first
 * sync V8 keeps its garbage (old-space objects, the large pull-page strings) resident until
 * something allocates again, 10–15 MiB of a ~140 MiB server. So: after IDLE_GC_MS without a
 * finished request, one full collection, then nothing until the next request. The young
 * generation stays as large as the burst made it (`npm start` passes --min-semi-space-size=16,
 * so V8 never shrinks it): shrinking it too saved ~30 MiB more but made the next burst regrow
 * it, 1.3–1.5× the server CPU of a first sync (docs/performance.md, "Sync server").
 */
export class IdleCollector {
  #gc: NodeJS.GCFunction;
  #quiet: NodeJS.Timeout;
  #collected = false;

  constructor(gc: NodeJS.GCFunction, quietMs: number) {
    this.#gc = gc;
    // One timer made once and re-armed with refresh(): nothing is allocated per request.
    this.#quiet = setTimeout(() => this.#onQuiet(), quietMs).unref();
  }

  /** A request finished: wait for quiet again. */
  activity(): void {
    this.#collected = false;
    this.#quiet.refresh();
  }

  stop(): void {
    clearTimeout(this.#quiet);
  }

  #onQuiet(): void {
    if (this.#collected) return;
    this.#gc();
    this.#collected = true;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Work finished outside an HTTP request (a push over the real-time socket): the server is
     * not quiet. Without it a device pushing only over its socket had a full collection land
     * in the middle of its pushes, IDLE_GC_MS after the last HTTP request.
     */
    noteActivity(): void;
  }
}

/** Installs an IdleCollector fed by every finished request (and the start itself). */
export default fp<IdleGcOptions>(
  async (app, { gc, quietMs }) => {
    let collector: IdleCollector | null = null;
    app.decorate('noteActivity', () => collector?.activity());
    if (quietMs === 0) return;
    if (!gc) {
      app.log.info('node runs without --expose-gc: no idle collection (IDLE_GC_MS)');
      return;
    }
    app.addHook('onReady', (done) => {
      collector = new IdleCollector(gc, quietMs);
      done();
    });
    app.addHook('onResponse', (_req, _reply, done) => {
      collector?.activity();
      done();
    });
    app.addHook('onClose', (_app, done) => {
      collector?.stop();
      done();
    });
  },
  { name: 'idle-gc' },
);

import fp from 'fastify-plugin';

/**
 * From the scavenge to the full collection: V8 shrinks the young generation only when the
 * allocation rate it measured since its previous collection (over its 5 s window) is low.
 */
export const SETTLE_MS = 5_500;

export interface IdleGcOptions {
  /** `globalThis.gc` (there with node's --expose-gc, which `npm start` passes); off without. */
  gc?: NodeJS.GCFunction | undefined;
  /** IDLE_GC_MS: how long without a finished request counts as quiet; 0 turns this off. */
  quietMs: number;
}

/**
 * Gives back the memory a burst of requests left committed, once the server is quiet. V8 grows
 * the young generation to 2 × 16 MiB for a busy moment (module loading at start, a seed or a
 * first sync) and keeps it resident while idle: 32 MiB of a ~145 MiB server, nearly empty. Its
 * own memory reducer shrinks it only after a minute or more; node never tells V8 it is idle.
 * So: after IDLE_GC_MS without a finished request, a scavenge (a few ms: the young generation
 * is garbage by then); SETTLE_MS later, still quiet, a full collection, which sees a low
 * allocation rate, shrinks the young generation to 1 MiB and compacts the old one. Any request restarts the wait; a busy server never
 * collects here. The price: the next burst regrows that memory (pages faulted back in, more
 * scavenges) — measured ~+20% server CPU on a first sync that follows a quiet spell, which is
 * why it is off unless IDLE_GC_MS is set (docs/performance.md, "Sync server").
 */
export class IdleCollector {
  #gc: NodeJS.GCFunction;
  #quiet: NodeJS.Timeout;
  #settle: NodeJS.Timeout;
  #step: 'busy' | 'settling' | 'done' = 'busy';

  constructor(gc: NodeJS.GCFunction, quietMs: number) {
    this.#gc = gc;
    // Two timers made once and re-armed with refresh(): nothing is allocated per request.
    this.#quiet = setTimeout(() => this.#onQuiet(), quietMs).unref();
    this.#settle = setTimeout(() => this.#onSettle(), SETTLE_MS).unref();
  }

  /** A request finished: wait for quiet again. */
  activity(): void {
    this.#step = 'busy';
    this.#quiet.refresh();
  }

  stop(): void {
    clearTimeout(this.#quiet);
    clearTimeout(this.#settle);
  }

  #onQuiet(): void {
    if (this.#step !== 'busy') return;
    this.#gc({ type: 'minor' });
    this.#step = 'settling';
    this.#settle.refresh();
  }

  #onSettle(): void {
    if (this.#step !== 'settling') return;
    this.#gc();
    this.#step = 'done';
  }
}

/** Installs an IdleCollector fed by every finished request (and the start itself). */
export default fp<IdleGcOptions>(
  async (app, { gc, quietMs }) => {
    if (quietMs === 0) return;
    if (!gc) {
      app.log.warn('IDLE_GC_MS is set but node runs without --expose-gc: no idle collection');
      return;
    }
    let collector: IdleCollector | null = null;
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

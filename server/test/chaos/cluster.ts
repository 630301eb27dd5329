import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

export interface ClusterOptions {
  /** Server processes sharing one DATA_DIR (one SQLite file). */
  processes: number;
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /** Entry module relative to server/ (a test-only entry may wrap the store). */
  entry?: string;
}

/**
 * Server processes on one SQLite file that a test kills with SIGKILL and restarts on the same
 * DATA_DIR. A slot whose process is down has no URL: requests to it fail like a refused
 * connection, as they would for a real client.
 */
export class Cluster {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-chaos-'));
  readonly #slots: (ServerProcess | null)[];
  #kills = 0;
  #turn = 0;
  readonly #restarts = new Set<Promise<void>>();
  /** Why a slot could not be restarted (after every attempt), for the error that follows. */
  #failedRestart: Error | null = null;

  private constructor(readonly options: ClusterOptions) {
    this.#slots = Array.from({ length: options.processes }, () => null);
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    const c = new Cluster(options);
    // Started together: opening the file, migrations and dev keys must be race-safe.
    const booted = await Promise.allSettled(c.#slots.map((_, i) => c.#boot(i)));
    const failed = booted.find((b): b is PromiseRejectedResult => b.status === 'rejected');
    if (failed) {
      // The processes that did start would keep the caller's event loop alive.
      await c.stop();
      c.removeData();
      throw failed.reason;
    }
    return c;
  }

  get size(): number {
    return this.#slots.length;
  }

  get kills(): number {
    return this.#kills;
  }

  /** Base URL of slot `i`, or null while its process is down. */
  url(i: number): string | null {
    return this.#slots[i]?.url ?? null;
  }

  /**
   * A live slot's URL (for set-up, flushes and final checks), taking turns so every process
   * serves its share; waits for a restart if all are down.
   */
  async anyUrl(): Promise<string> {
    for (;;) {
      const up = this.#slots.filter((s) => s !== null);
      if (up.length > 0) return up[this.#turn++ % up.length]!.url;
      if (this.#restarts.size === 0)
        throw new Error(
          `no server process is up${this.#failedRestart ? `: ${this.#failedRestart.message.slice(0, 3000)}` : ''}`,
        );
      await Promise.race([...this.#restarts]);
    }
  }

  /**
   * Runs a harness request (sign-in, a check's pull) against a live process, retrying on
   * another (or the restarted) one when a kill cuts it off.
   */
  async call<T>(fn: (url: string) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const url = await this.anyUrl();
      try {
        return await fn(url);
      } catch (err) {
        // A refused or cut connection is a TypeError (fetch's, and chaos/http.ts's).
        if (attempt >= 40 || !(err instanceof TypeError)) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async #boot(i: number): Promise<void> {
    this.#slots[i] = await startServerProcess({
      dataDir: this.dataDir,
      ...(this.options.env ? { env: this.options.env } : {}),
      ...(this.options.entry ? { entry: this.options.entry } : {}),
      // Generous: on a machine shared by many jobs a start can take tens of seconds.
      readyTimeoutMs: 180_000,
    });
  }

  /** A restart may fail on a starved machine (start timeout): try again before giving up. */
  async #restart(i: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#boot(i);
      } catch (err) {
        if (attempt >= 3) {
          this.#failedRestart = err instanceof Error ? err : new Error(String(err));
          throw err;
        }
      }
    }
  }

  /**
   * SIGKILLs slot `i` (whatever it is doing) and starts a new process on the same file.
   * Resolves once the process is dead; `restarted` resolves when the new one is ready (the
   * other slots keep serving meanwhile).
   */
  async crash(i: number): Promise<{ restarted: Promise<void> }> {
    const p = this.#slots[i];
    if (!p) return { restarted: Promise.resolve() };
    this.#slots[i] = null;
    await p.kill();
    this.#kills++;
    const restarted = this.#restart(i);
    this.#restarts.add(restarted);
    void restarted.finally(() => this.#restarts.delete(restarted)).catch(() => undefined);
    return { restarted };
  }

  async crashAndRestart(i: number): Promise<void> {
    await (
      await this.crash(i)
    ).restarted;
  }

  /** Resolves when no restart is under way. */
  async settle(): Promise<void> {
    while (this.#restarts.size > 0) await Promise.all([...this.#restarts]);
  }

  /** Output of every live process (for a failure message). */
  output(): string {
    return this.#slots.map((s, i) => `--- server ${i}\n${s?.output() ?? '(down)'}`).join('\n');
  }

  async stop(): Promise<void> {
    await this.settle().catch(() => undefined);
    await Promise.all(this.#slots.flatMap((s) => (s ? [s.stop()] : [])));
    this.#slots.fill(null);
  }

  removeData(): void {
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const READY = /Outpost is running at (http:\/\/\S+)/;

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once (a crash: no shutdown hooks run); resolves when the process is gone. */
  kill(): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /**
   * Entry module relative to server/ (default `src/main.ts`); tests may start their own. A
   * `.js` entry (the compiled `dist/main.js`) runs on plain node, without tsx.
   */
  entry?: string;
  /** Node options before the entry (V8 flags such as --min-semi-space-size; NODE_OPTIONS refuses those). */
  nodeArgs?: string[];
}

/** The node flags `npm start` runs the server with (from the server package's `start` script). */
export function npmStartFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(SERVER_DIR, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts['start']!.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('dist/main.js'));
}

/**
 * Starts a real server process (`tsx src/main.ts`, as `pnpm start` does) on a free loopback
 * port and resolves once it prints its "Outpost is running at" line.
 */
export function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  // node --import tsx runs main.ts in this one process (the tsx CLI would add a wrapper
  // process between us and the server, which complicates stopping it).
  const entry = options.entry ?? 'src/main.ts';
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...(entry.endsWith('.js') ? [] : ['--import', 'tsx']), entry],
    {
      cwd: SERVER_DIR,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
        DATA_DIR: options.dataDir,
        CLIENT_DIST_DIR: '/nonexistent',
        RATE_LIMIT_MAX: '1000000',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (graceMs = 5000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };

  return new Promise<ServerProcess>((resolve, reject) => {
    const timeout = setTimeout(() => {
      void stop(0);
      reject(
        new Error(`server did not start within ${options.readyTimeoutMs ?? 90_000} ms:\n${out}`),
      );
    }, options.readyTimeoutMs ?? 90_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timeout);
        resolve({ url: m[1]!, pid: child.pid!, output: () => out, stop, kill });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timeout);
      reject(new Error(`server exited before ready (code ${code}, signal ${signal}):\n${out}`));
    });
  });
}

/** POSTs JSON to a started server; throws with the body on a non-2xx answer. */
export async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

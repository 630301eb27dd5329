import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  pid: number;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Starts a real server process (`src/main.ts` through tsx) on a free loopback port and resolves
 * once it prints its "Outpost is running at …" line. `env` is the whole configuration: the
 * parent's environment is not inherited beyond PATH and HOME, so tests stay reproducible.
 */
export async function startServerProcess(env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/tmp',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      CLIENT_DIST_DIR: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timeoutMs = opts.timeoutMs ?? 30_000;

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`server not up after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = () => {
      const m = /Outpost is running at (http:\/\/[\d.]+:\d+)/.exec(output);
      if (m?.[1]) finish(null, m[1]);
    };
    const onExit = () => finish(new Error(`server exited during start (code ${child.exitCode}):\n${output}`));
    function finish(err: Error | null, value?: string) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (err || !value) reject(err ?? new Error('no url'));
      else resolve(value);
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  }).catch(async (err: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw err;
  });

  return {
    url,
    pid: child.pid ?? -1,
    output: () => output,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

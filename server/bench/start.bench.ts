/**
 * `pnpm bench:start` — cold start to the first `GET /api/v1/health` 200: the compiled server
 * (`node dist/main.js`, what `npm start` runs) beside `tsx src/main.ts` (what `start` ran
 * before), median of RUNS each, alternating so machine load hits both alike. Each start reuses
 * one DATA_DIR that an unmeasured first start initialized (keys, database), as a restart after
 * a crash would. Target: compiled ≤ 1 s on an idle machine. Run `pnpm --filter
 * @outpost/server build` first (the package script does).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/redis.js';

const RUNS = 5;
const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(SERVER_DIR, 'node_modules/.bin/tsx');
const MODES = {
  compiled: [process.execPath, '--expose-gc', '--min-semi-space-size=16', 'dist/main.js'],
  tsx: [TSX, 'src/main.ts'],
} as const;
type Mode = keyof typeof MODES;

async function coldStart(mode: Mode, dataDir: string): Promise<number> {
  const port = await freePort();
  const [cmd, ...args] = MODES[mode];
  const start = performance.now();
  const child = spawn(cmd, args, {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      CLIENT_DIST_DIR: '/nonexistent',
    },
    stdio: 'ignore',
    // Its own process group: tsx runs the server in a child process.
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${mode} server exited (${child.exitCode})`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) return performance.now() - start;
      if (performance.now() - start > 60_000) throw new Error(`${mode} server did not start`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(SERVER_DIR, 'dist/main.js')))
    throw new Error('dist/main.js is missing: run `pnpm --filter @outpost/server build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-start-bench-'));
  try {
    const times: Record<Mode, number[]> = { compiled: [], tsx: [] };
    await coldStart('compiled', dir);
    for (let i = 0; i < RUNS; i++)
      for (const mode of ['compiled', 'tsx'] as const) times[mode].push(await coldStart(mode, dir));
    const fmt = (ms: number) => `${Math.round(ms)} ms`;
    console.log(
      `\nOutpost cold start to first /api/v1/health 200 — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} cpu, median of ${RUNS}\n`,
    );
    for (const mode of ['compiled', 'tsx'] as const)
      console.log(
        `${mode.padEnd(10)} median ${fmt(median(times[mode])).padStart(8)}   runs: ${times[mode].map(fmt).join(', ')}`,
      );
    const compiled = median(times.compiled);
    console.log(
      `\ncompiled is ${(median(times.tsx) / compiled).toFixed(2)}× faster than tsx; target compiled ≤ 1 s: ${compiled <= 1000 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `load average: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (the machine is shared; the target is for an idle machine)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

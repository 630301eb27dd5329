/**
 * `pnpm bench:memory` — the compiled server's resident memory (embedded SQLite, dev auth)
 * after start, after seeding 10,000 tasks and after a new device's first sync of them. Three
 * ways of running `dist/main.js`, interleaved over ROUNDS: with the node flags of the
 * package's `start` script (what `npm start` runs, the idle collector of src/plugins/idle-gc.ts
 * on), with those and IDLE_GC_MS=0 (collector off) and with node's defaults — the same code, so the
 * differences are the flags' and the collector's price and gain (the seeding and sync times,
 * wall and server CPU, are printed beside the memory, so what saves memory by slowing the
 * server shows it). The floor:
 * a bare `node:http` server in the same run. The sync-speed issue compares with RxDB's
 * in-memory server (≈130 MiB). RSS is read from /proc SETTLE_MS after each phase; the V8
 * heap (used/committed) from the server's Prometheus metrics. Run `pnpm --filter
 * @outpost/server build` first (the package script does).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HybridLogicalClock,
  PROTOCOL_VERSION,
  newClientId,
  newEntityId,
  type EntityId,
  type Mutation,
} from '@outpost/shared';
import { npmStartFlags, postJson, startServerProcess } from '../test/helpers/server-process.js';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TASKS = Number(process.env['TASKS'] ?? 10_000);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const SETTLE_MS = Number(process.env['SETTLE_MS'] ?? 10_000);
const BATCH = 500;
const METRICS_TOKEN = 'bench-memory-metrics-token-0123456789';
const ORG = 'org_bench_memory';

const rssMib = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
/** The process's user + system CPU time, ms (from /proc; clock ticks are 10 ms here). */
const cpuMs = (pid: number) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** V8 heap used and committed (MiB), from the server's Prometheus text. */
async function heapMib(url: string): Promise<{ used: number; total: number }> {
  const text = await fetch(`${url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  }).then((r) => r.text());
  const read = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return { used: read('nodejs_heap_size_used_bytes'), total: read('nodejs_heap_size_total_bytes') };
}

async function bareNodeRss(): Promise<number> {
  const child = spawn(
    process.execPath,
    ['-e', "require('node:http').createServer((q,s)=>s.end('ok')).listen(0,'127.0.0.1')"],
    { stdio: 'ignore' },
  );
  try {
    await settle();
    return rssMib(child.pid!);
  } finally {
    child.kill('SIGKILL');
  }
}

interface Phase {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  ms: number;
  /** The server's CPU time (user + system) in the phase: steadier than wall time under load. */
  cpu: number;
}

/** One server: start, seed TASKS tasks in pushes of BATCH, a new device's first sync. */
async function round(flags: string[], env: Record<string, string>): Promise<Phase[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-memory-bench-'));
  const server = await startServerProcess({
    dataDir,
    entry: 'dist/main.js',
    nodeArgs: flags,
    env: { METRICS_TOKEN, ...env },
  });
  const phases: Phase[] = [];
  let cpuAt = 0;
  const mark = async (ms: number) => {
    const cpu = cpuMs(server.pid) - cpuAt;
    await settle();
    const h = await heapMib(server.url);
    phases.push({ rss: rssMib(server.pid), heapUsed: h.used, heapTotal: h.total, ms, cpu });
  };
  try {
    const api = `${server.url}/api/v1`;
    await mark(0);
    const { token, user } = await postJson<{ token: string; user: { id: EntityId } }>(
      `${api}/auth/dev-token`,
      { email: 'memory@example.com', name: 'Memory', orgId: ORG, role: 'admin' },
    );
    const writer = newClientId();
    const clock = new HybridLogicalClock(writer);
    let next = 1;
    const projectId = newEntityId();
    const push = (mutations: Mutation[]) =>
      postJson(
        `${api}/sync/push`,
        { protocolVersion: PROTOCOL_VERSION, clientId: writer, mutations },
        token,
      );
    await push([
      {
        type: 'project.create',
        id: next++,
        hlc: clock.now(),
        entityId: projectId,
        fields: { name: 'Memory', description: '', status: 'active', ownerId: user.id },
      } as Mutation,
    ]);
    cpuAt = cpuMs(server.pid);
    const seedStart = performance.now();
    for (let done = 0; done < TASKS; done += BATCH) {
      const mutations = Array.from({ length: Math.min(BATCH, TASKS - done) }, (_, i) => ({
        type: 'task.create',
        id: next++,
        hlc: clock.now(),
        entityId: newEntityId(),
        fields: {
          projectId,
          title: `Task ${done + i}`,
          notes: 'Memory bench notes '.repeat(3),
          status: 'todo',
          assigneeId: null,
          dueDate: null,
        },
      })) as Mutation[];
      await push(mutations);
    }
    await mark(performance.now() - seedStart);

    // A new device's first sync: a live snapshot from cursor 0, pages of 1000.
    const reader = newClientId();
    let cursor = 0;
    let liveThrough: number | undefined;
    cpuAt = cpuMs(server.pid);
    const syncStart = performance.now();
    for (;;) {
      const page = await postJson<{ cursor: number; hasMore: boolean; liveThrough?: number }>(
        `${api}/sync/pull`,
        {
          protocolVersion: PROTOCOL_VERSION,
          clientId: reader,
          cursor,
          limit: 1000,
          snapshot: true,
          ...(liveThrough !== undefined ? { liveThrough } : {}),
        },
        token,
      );
      cursor = page.cursor;
      liveThrough ??= page.liveThrough;
      if (!page.hasMore) break;
    }
    await mark(performance.now() - syncStart);
    return phases;
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(SERVER_DIR, 'dist/main.js')))
    throw new Error('dist/main.js is missing: run `pnpm --filter @outpost/server build` first');
  const flags = npmStartFlags();
  // The idle collector (src/plugins/idle-gc.ts) is on by default: its gain and price.
  const modes: Record<string, [string[], Record<string, string>]> = {
    'npm start': [flags, {}],
    'npm start, IDLE_GC_MS=0': [flags, { IDLE_GC_MS: '0' }],
    'node defaults': [[], {}],
  };
  const names = Object.keys(modes);
  const loads = [os.loadavg()[0]!];
  const bare = await bareNodeRss();
  const runs: Record<string, Phase[][]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++)
    for (const name of names) {
      runs[name]!.push(await round(...modes[name]!));
      loads.push(os.loadavg()[0]!);
    }

  console.log(
    `\nOutpost server memory — ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cpu, load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; medians of ${ROUNDS} interleaved rounds, RSS ${SETTLE_MS / 1000} s after each phase`,
  );
  console.log(`npm start flags: ${flags.join(' ') || '(none)'}\n`);
  const labels = [
    'after start',
    `after seeding ${TASKS.toLocaleString('en')} tasks`,
    'after a first sync of them',
  ];
  const at = (name: string, i: number, k: keyof Phase) => median(runs[name]!.map((p) => p[i]![k]));
  console.log(`| phase | ${names.join(' | ')} |`);
  console.log(`| --- |${names.map(() => ' --- |').join('')}`);
  labels.forEach((label, i) => {
    const cells = names.map(
      (n) =>
        `${at(n, i, 'rss').toFixed(0)} MiB · heap ${at(n, i, 'heapUsed').toFixed(0)}/${at(n, i, 'heapTotal').toFixed(0)}${i ? ` · ${Math.round(at(n, i, 'ms'))} ms, cpu ${Math.round(at(n, i, 'cpu'))} ms` : ''}`,
    );
    console.log(`| ${label} | ${cells.join(' | ')} |`);
  });
  console.log(
    `| baseline: bare node:http server | ${bare.toFixed(0)} MiB |${names
      .slice(1)
      .map(() => ' |')
      .join('')}`,
  );
  const [a, b] = [names[0]!, names[1]!];
  const ratio = (i: number, k: keyof Phase) => (at(b, i, k) / at(a, i, k)).toFixed(2);
  console.log(
    `\n${b} ÷ ${a}: seeding ${ratio(1, 'ms')}× the time (cpu ${ratio(1, 'cpu')}×), first sync ${ratio(2, 'ms')}× (cpu ${ratio(2, 'cpu')}×). Cells: RSS · V8 heap used/committed MiB · phase wall time, server CPU`,
  );
  for (const n of [a, b]) {
    const worst = Math.max(at(n, 0, 'rss'), at(n, 2, 'rss'));
    console.log(
      `target (${n}): RSS ≤ 130 MiB after start and after a 10,000-task first sync (RxDB's in-memory server) — ${worst <= 130 ? 'met' : 'missed'} (worst of the two: ${worst.toFixed(0)} MiB)`,
    );
  }
}

await main();

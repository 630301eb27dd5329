/**
 * `pnpm bench:memory` — the compiled server's resident memory (embedded SQLite, dev auth)
 * after start, after seeding 10,000 tasks and after a new device's first sync of them. Two
 * ways of running `dist/main.js`, interleaved over ROUNDS: with the node flags of the
 * package's `start` script (what `npm start` runs) and with node's defaults — the same code,
 * so the difference is the flags' price and gain (the seeding and sync times are printed
 * beside the memory, so a flag that saves memory by slowing the server shows it). The floor:
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
import { postJson, startServerProcess } from '../test/helpers/server-process.js';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TASKS = Number(process.env['TASKS'] ?? 10_000);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const SETTLE_MS = Number(process.env['SETTLE_MS'] ?? 10_000);
const BATCH = 500;
const METRICS_TOKEN = 'bench-memory-metrics-token-0123456789';
const ORG = 'org_bench_memory';

/** The node flags `npm start` runs the server with (from the package's `start` script). */
function startFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(SERVER_DIR, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts['start']!.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('dist/main.js'));
}

const rssMib = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
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
}

/** One server: start, seed TASKS tasks in pushes of BATCH, a new device's first sync. */
async function round(flags: string[]): Promise<Phase[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-memory-bench-'));
  const server = await startServerProcess({
    dataDir,
    entry: 'dist/main.js',
    env: { METRICS_TOKEN, NODE_OPTIONS: flags.join(' ') },
  });
  const phases: Phase[] = [];
  const mark = async (ms: number) => {
    await settle();
    const h = await heapMib(server.url);
    phases.push({ rss: rssMib(server.pid), heapUsed: h.used, heapTotal: h.total, ms });
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
  const modes = { 'npm start': startFlags(), 'node defaults': [] as string[] };
  const loads = [os.loadavg()[0]!];
  const bare = await bareNodeRss();
  const runs: Record<string, Phase[][]> = { 'npm start': [], 'node defaults': [] };
  for (let r = 0; r < ROUNDS; r++)
    for (const [name, flags] of Object.entries(modes)) {
      runs[name]!.push(await round(flags));
      loads.push(os.loadavg()[0]!);
    }

  console.log(
    `\nOutpost server memory — ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cpu, load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; medians of ${ROUNDS} interleaved rounds, RSS ${SETTLE_MS / 1000} s after each phase`,
  );
  console.log(`npm start flags: ${modes['npm start'].join(' ') || '(none)'}\n`);
  const labels = [
    'after start',
    `after seeding ${TASKS.toLocaleString('en')} tasks`,
    'after a first sync of them',
  ];
  console.log(
    '| phase | npm start: RSS · V8 heap used/committed · time | node defaults | ratio (RSS) |',
  );
  console.log('| --- | --- | --- | --- |');
  const cell = (rs: Phase[][], i: number) => {
    const at = (k: keyof Phase) => median(rs.map((p) => p[i]![k]));
    return `${at('rss').toFixed(0)} MiB · ${at('heapUsed').toFixed(0)}/${at('heapTotal').toFixed(0)} MiB${i ? ` · ${Math.round(at('ms'))} ms` : ''}`;
  };
  labels.forEach((label, i) => {
    const a = median(runs['npm start']!.map((p) => p[i]!.rss));
    const b = median(runs['node defaults']!.map((p) => p[i]!.rss));
    console.log(
      `| ${label} | ${cell(runs['npm start']!, i)} | ${cell(runs['node defaults']!, i)} | ${(a / b).toFixed(2)}× |`,
    );
  });
  console.log(`| baseline: bare node:http server | ${bare.toFixed(0)} MiB | | |`);
  const worst = Math.max(...[0, 2].map((i) => median(runs['npm start']!.map((p) => p[i]!.rss))));
  console.log(
    `\ntarget: RSS ≤ 130 MiB after start and after a 10,000-task first sync (RxDB's in-memory server) — ${worst <= 130 ? 'met' : 'missed'} (worst of the two: ${worst.toFixed(0)} MiB)`,
  );
}

await main();

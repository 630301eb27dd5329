/**
 * `pnpm bench:fanout` — real-time fan-out: 1,000 WebSocket clients in one org on loopback, one
 * writer. Measures write → poke latency (from sending the REST write to each socket receiving
 * its poke) and server RSS per idle connection:
 *   - in-process: one server process, writer and sockets on it;
 *   - through Redis: two server processes on one SQLite file + redis-server, the writer on
 *     instance 1, every socket on instance 2; then half the sockets on each instance;
 * the servers run compiled with `npm start`'s flags (so `bench:fanout` builds first);
 * beside baselines measured in the same run on a bare `ws` server process: echo round trip
 * (1 client), a broadcast to the same 1,000 clients, and its RSS per idle connection.
 *
 * Bounded: WRITES writes per mode, each waiting at most WRITE_TIMEOUT_MS for all pokes.
 * Targets: p50 ≤ 10 ms, p99 ≤ 50 ms, ≤ 20 kB RSS per idle connection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { newClientId, PROTOCOL_VERSION } from '@outpost/shared';
import { startRedis } from '../test/helpers/redis.js';
import {
  npmStartFlags,
  postJson,
  startServerProcess,
  type ServerProcess,
} from '../test/helpers/server-process.js';

const CLIENTS = 1000;
const USERS = 100; // 10 sockets per user, under the default per-user cap
const WRITES = 100;
/** Unmeasured writes first in every mode, so no mode pays the JIT warm-up of this process. */
const WARMUP = 5;
const WRITE_GAP_MS = 30;
const WRITE_TIMEOUT_MS = 3000;
const SETTLE_MS = 1500;
const ORG = 'org_fanout';
const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  samples: number;
  missed: number;
}

function stats(samples: number[], missed: number): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    samples: s.length,
    missed,
  };
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Opens `n` sockets with bounded concurrency (a burst of 1,000 handshakes is not the point). */
async function openMany(n: number, open: (i: number) => Promise<WebSocket>): Promise<WebSocket[]> {
  const out: WebSocket[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await open(i);
      }
    }),
  );
  return out;
}

/**
 * Per write: each socket records the time from the write's start to its first poke. The next
 * write starts once every socket has its poke (or after WRITE_TIMEOUT_MS).
 */
class LatencyProbe {
  readonly samples: number[] = [];
  /** The same samples split by the group each socket was attached with. */
  readonly groups: number[][] = [[], []];
  /** Per write: the first socket's latency (the pipeline without the fan-out spread). */
  readonly firsts: number[] = [];
  missed = 0;
  #start = 0;
  #got = new Set<number>();
  #done: (() => void) | null = null;

  attach(ws: WebSocket, index: number, isPoke: (data: Buffer) => boolean, group = 0): void {
    ws.on('message', (data: Buffer) => {
      if (this.#done === null || this.#got.has(index) || !isPoke(data)) return;
      this.#got.add(index);
      const latency = performance.now() - this.#start;
      if (this.#got.size === 1) this.firsts.push(latency);
      this.samples.push(latency);
      this.groups[group]!.push(latency);
      if (this.#got.size === CLIENTS) this.#done();
    });
  }

  async measure(write: () => Promise<void>, record = true): Promise<void> {
    const samples = this.samples.length;
    const grouped = this.groups.map((g) => g.length);
    const firsts = this.firsts.length;
    const missed = this.missed;
    this.#got = new Set();
    const all = new Promise<void>((resolve) => (this.#done = resolve));
    this.#start = performance.now();
    await write();
    const timedOut = await Promise.race([
      all.then(() => false),
      sleep(WRITE_TIMEOUT_MS).then(() => true),
    ]);
    if (timedOut) this.missed += CLIENTS - this.#got.size;
    this.#done = null;
    if (!record) {
      this.samples.length = samples;
      this.groups.forEach((g, i) => (g.length = grouped[i]!));
      this.firsts.length = firsts;
      this.missed = missed;
    }
  }
}

const isPoke = (data: Buffer) => data.toString().startsWith('{"type":"poke"');

interface ModeResult {
  latency: Stats;
  first: Stats;
  rssPerConnKb: number;
  /** Sockets on the writer's instance (group 0) and on the other (group 1), when split. */
  groups: [Stats, Stats];
}

/**
 * The writer on `writeTo`, every socket on `socketsOn`, or with `alsoOn` every other socket
 * there (RSS is then not per connection of one process: NaN).
 */
async function outpostMode(
  writeTo: ServerProcess,
  socketsOn: ServerProcess,
  alsoOn?: ServerProcess,
): Promise<ModeResult> {
  const users = await Promise.all(
    Array.from({ length: USERS }, (_, u) =>
      postJson<{ token: string }>(`${writeTo.url}/api/v1/auth/dev-token`, {
        email: `fan${u}@example.test`,
        name: `Fan ${u}`,
        orgId: ORG,
        role: 'admin',
      }),
    ),
  );
  const wsUrl = socketsOn.url.replace(/^http/, 'ws') + '/api/v1/sync/ws';
  const splitUrl = alsoOn ? alsoOn.url.replace(/^http/, 'ws') + '/api/v1/sync/ws' : wsUrl;
  // Warm the server (JIT, first connections) before taking the RSS baseline.
  const warm = await openSocket(wsUrl);
  warm.send(
    JSON.stringify({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      clientId: newClientId(),
      token: users[0]!.token,
    }),
  );
  await new Promise((r) => warm.once('message', r));
  warm.close();
  await sleep(SETTLE_MS);
  const rssBefore = rssKb(socketsOn.pid);

  const probe = new LatencyProbe();
  const sockets = await openMany(CLIENTS, async (i) => {
    const ws = await openSocket(i % 2 === 1 ? splitUrl : wsUrl);
    const welcomed = new Promise<void>((resolve, reject) => {
      ws.once('message', (d: Buffer) =>
        d.toString().startsWith('{"type":"welcome"') ? resolve() : reject(new Error(d.toString())),
      );
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        protocolVersion: PROTOCOL_VERSION,
        clientId: newClientId(),
        token: users[i % USERS]!.token,
      }),
    );
    await welcomed;
    probe.attach(ws, i, isPoke, alsoOn && i % 2 === 1 ? 1 : 0);
    return ws;
  });
  await sleep(SETTLE_MS);
  const rssAfter = rssKb(socketsOn.pid);

  const writer = users[0]!.token;
  for (let w = 0; w < WARMUP + WRITES; w++) {
    await probe.measure(async () => {
      await postJson(
        `${writeTo.url}/api/v1/primary-data/projects`,
        { name: `Project ${w}` },
        writer,
      );
    }, w >= WARMUP);
    await sleep(WRITE_GAP_MS);
  }
  for (const ws of sockets) ws.terminate();
  await sleep(200);
  return {
    latency: stats(probe.samples, probe.missed),
    first: stats(probe.firsts, 0),
    rssPerConnKb: alsoOn ? NaN : (rssAfter - rssBefore) / CLIENTS,
    groups: [stats(probe.groups[0]!, 0), stats(probe.groups[1]!, 0)],
  };
}

/** A bare `ws` server process: echoes, and broadcasts any "fan" message to every client. */
const BARE_SERVER = `
import { WebSocketServer } from 'ws';
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('listening', () => console.log('PORT ' + wss.address().port));
wss.on('connection', (ws) => ws.on('message', (d) => {
  const s = d.toString();
  if (s === 'fan') { const msg = JSON.stringify({ type: 'poke', cursor: Date.now() }); for (const c of wss.clients) c.send(msg); }
  else ws.send(s);
}));
`;

async function startBare(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', BARE_SERVER], {
    cwd: SERVER_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`bare ws server exited: ${out}`)));
  });
  return { child, url: `ws://127.0.0.1:${port}` };
}

async function bareMode(): Promise<{ echo: Stats; broadcast: ModeResult }> {
  const { child, url } = await startBare();
  try {
    // Echo round trip, one client.
    const one = await openSocket(url);
    const rtts: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      one.send('ping');
      await new Promise((r) => one.once('message', r));
      rtts.push(performance.now() - t);
    }
    one.terminate();
    await sleep(SETTLE_MS);
    const rssBefore = rssKb(child.pid!);
    const probe = new LatencyProbe();
    const sockets = await openMany(CLIENTS, async (i) => {
      const ws = await openSocket(url);
      probe.attach(ws, i, isPoke);
      return ws;
    });
    await sleep(SETTLE_MS);
    const rssAfter = rssKb(child.pid!);
    const trigger = await openSocket(url);
    for (let w = 0; w < WARMUP + WRITES; w++) {
      await probe.measure(async () => trigger.send('fan'), w >= WARMUP);
      await sleep(WRITE_GAP_MS);
    }
    trigger.terminate();
    for (const ws of sockets) ws.terminate();
    return {
      echo: stats(rtts.slice(50), 0),
      broadcast: {
        latency: stats(probe.samples, probe.missed),
        first: stats(probe.firsts, 0),
        rssPerConnKb: (rssAfter - rssBefore) / CLIENTS,
        groups: [stats(probe.groups[0]!, 0), stats([], 0)],
      },
    };
  } finally {
    child.kill('SIGTERM');
  }
}

const ms = (x: number) => x.toFixed(2).padStart(8);

async function main(): Promise<void> {
  const started = Date.now();
  console.log(
    `fan-out bench: ${CLIENTS} sockets in one org, ${WRITES} measured writes per mode (after ${WARMUP} warm-up), ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`,
  );

  const bare = await bareMode();

  // The servers run as `npm start` runs them (compiled, with its V8 flags): a tsx server's
  // young generation started small and grew while the sockets were opened, which counted as
  // per-connection memory on a server that had not served the sign-ins (the Redis leg's).
  const asStarted = {
    entry: process.env['FANOUT_ENTRY'] ?? 'dist/main.js',
    nodeArgs: npmStartFlags(),
  };
  const dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-fanout-'));
  let inProcess: ModeResult;
  const single = await startServerProcess({ dataDir: dirA, ...asStarted });
  try {
    inProcess = await outpostMode(single, single);
  } finally {
    await single.stop();
    fs.rmSync(dirA, { recursive: true, force: true });
  }

  const redis = await startRedis();
  const dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-fanout-'));
  let viaRedis: ModeResult;
  let split: ModeResult;
  const options = { dataDir: dirB, env: { REDIS_URL: redis.url }, ...asStarted };
  const [one, two] = await Promise.all([startServerProcess(options), startServerProcess(options)]);
  try {
    viaRedis = await outpostMode(one, two);
    split = await outpostMode(one, one, two);
  } finally {
    await Promise.all([one.stop(), two.stop()]);
    await redis.stop();
    fs.rmSync(dirB, { recursive: true, force: true });
  }

  const base = bare.broadcast.latency;
  const row = (name: string, s: Stats, rss: number | null, ratio: boolean) =>
    `| ${name.padEnd(40)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${String(s.samples).padStart(7)} | ${String(s.missed).padStart(6)} | ${rss === null || Number.isNaN(rss) ? '       —' : rss.toFixed(1).padStart(8)} | ${ratio ? `${(s.p50 / base.p50).toFixed(1)}× / ${(s.p99 / base.p99).toFixed(1)}×` : '—'} |`;
  console.log('');
  console.log(
    '| mode                                     | p50 ms   | p95 ms   | p99 ms   | samples | missed | kB/conn  | p50 / p99 vs bare broadcast |',
  );
  console.log(
    '|------------------------------------------|----------|----------|----------|---------|--------|----------|-----------------------------|',
  );
  console.log(row('baseline: bare ws echo RTT (1 client)', bare.echo, null, false));
  console.log(
    row(`baseline: bare ws broadcast (${CLIENTS})`, base, bare.broadcast.rssPerConnKb, false),
  );
  console.log(
    row(
      `outpost in-process: write → poke (${CLIENTS})`,
      inProcess.latency,
      inProcess.rssPerConnKb,
      true,
    ),
  );
  console.log(
    row(
      `outpost via Redis: write → poke (${CLIENTS})`,
      viaRedis.latency,
      viaRedis.rssPerConnKb,
      true,
    ),
  );
  console.log(row('via Redis, half the sockets on each: all', split.latency, null, true));
  console.log(row("  … on the writer's instance", split.groups[0], null, true));
  console.log(row('  … on the other instance', split.groups[1], null, true));
  console.log(row('  first socket per write: bare broadcast', bare.broadcast.first, null, false));
  console.log(row('  first socket per write: in-process', inProcess.first, null, false));
  console.log(row('  first socket per write: via Redis', viaRedis.first, null, false));
  console.log('');
  const verdict = (r: ModeResult) =>
    `p50 ${r.latency.p50 <= 10 ? 'OK' : 'MISS'} (≤ 10 ms), p99 ${r.latency.p99 <= 50 ? 'OK' : 'MISS'} (≤ 50 ms), RSS ${r.rssPerConnKb <= 20 ? 'OK' : 'MISS'} (≤ 20 kB/conn)`;
  console.log(`targets in-process: ${verdict(inProcess)}`);
  console.log(`targets via Redis:  ${verdict(viaRedis)}`);
  console.log(
    `write → poke is measured from sending the REST write (HTTP + commit included) to each socket's poke. Total ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * `pnpm bench:client` — the client sync engine in real Chromium (Playwright, not
 * fake-indexeddb) against a real server process (compiled, with `npm start`'s node flags),
 * each figure beside raw Dexie on the same rows in the same run (issue 6):
 *
 *   - initial sync of 10k / 50k / 100k tasks into an empty browser (ms until all are
 *     queryable, transfer included) vs one raw `bulkPut` of as many rows;
 *   - 2,000 writes made offline, then ms until the server stored all and until the client
 *     says done (issue 17: done ≤ 1.2× stored), and what the app's headline said meanwhile;
 *   - device to device: a write in one browser process → visible in another's live query, two
 *     users of one org, 200 writes 50 ms apart (p50/p95/p99) vs a bare WebSocket relay, and
 *     the floor of a propagation persisted at every hop (a bare IndexedDB put transaction in
 *     the writer, the relay, a bare SQLite FULL commit on the server's disk, a put in the reader);
 *   - the engine's gzip size (no React) beside Dexie alone (`bench/size.ts`);
 *   - 1,000 single local writes vs 1,000 raw single `put`s (blocks of 50 in turn); one 10,000-row
 *     bulk write vs one raw `bulkPut` (three pairs after a first one, the order alternating);
 *   - local write → live query notified, same tab and a second tab (p50/p95);
 *   - the longest main-thread task during the 100k initial sync (PerformanceObserver longtask).
 *
 * Flags: `--quick` (2k/5k sizes, a smoke run), `--probe` (raw IndexedDB diagnostics only),
 * `--only=sync,backlog,writes,latency,d2d,size` (a subset of the scenarios),
 * `--verbose` (the d2d steps and the legs of its slowest 5 % of writes; each read-write transaction of a backlog from "stored" to done,
 * with its requests), `--sizes=10000,50000` (initial-sync sizes, instead of 10k/50k/100k),
 * `--trace-long=FILE` (with the initial syncs: a light Chromium trace of each sync and of its raw
 * bulkPut, streamed over CDP; prints the renderer main thread's tasks over 50 ms by wall and by
 * the thread's CPU time, every major GC with its pause and heap, the heap each minor GC left, and
 * for the longest tasks and the costliest in CPU the events and GC phases they ran —
 * `long-trace.ts`; the long tasks'
 * events go to FILE.<size>.json for DevTools; add `--trace-long-samples` for V8's sampler to
 * name their JavaScript, which slows the sync), `--port=N` (the server's port; a free one by
 * default),
 * `--trace-apply=FILE` (with d2d or `--probe=apply`: a Chromium trace of the applying browser, the
 * writer's beside it as FILE.1.json, and the applies' main-thread and IndexedDB-backend time,
 * wall against CPU; `apply-trace.ts`), `--trace=file.cpuprofile`
 * (a CPU profile of each initial sync, of each offline backlog, or of `--probe=writes`/`--probe=bulk`, unminified, for
 * DevTools). `--probe=writes` (one write's transaction shapes) and `--probe=bulk` (a 10,000-row
 * create's: one outbox entry per row vs entries of many mutations) take `--rounds=N` and
 * `--variants=<regex>`; add `--only=probe` to skip seeding the first-sync orgs. `--probe=apply`
 * (a poke carrying one task create → shown by a synced client, beside a raw Dexie transaction
 * of the same writes, with and without the engine's reads; `--rounds=N` × 10 of each).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'vite';
import { WebSocketServer } from 'ws';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  type EntityId,
  type Mutation,
} from '@outpost/shared';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import {
  npmStartFlags,
  postJson,
  startServerProcess,
} from '../../server/test/helpers/server-process';
import { ENGINE_TREESHAKE } from '../plugins/treeshake';
import { applySplit } from './apply-trace';
import { traceLongTasks } from './long-trace';
import { measureSizes } from './size';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// `--quick` (a smoke run while developing): small sizes only.
const QUICK = process.argv.includes('--quick');
const QUIET = !process.argv.includes('--verbose');
const ONLY = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const TRACE_ARG = process.argv.find((a) => a.startsWith('--trace='))?.slice('--trace='.length);
// `--port=N`: the server's port (a free one by default).
const PORT_ARG = process.argv.find((a) => a.startsWith('--port='))?.slice('--port='.length);
const TRACE_LONG = process.argv
  .find((a) => a.startsWith('--trace-long='))
  ?.slice('--trace-long='.length);
const TRACE_APPLY = process.argv
  .find((a) => a.startsWith('--trace-apply='))
  ?.slice('--trace-apply='.length);

/**
 * Runs `measure` with `browser` traced (`--trace-apply=FILE`: FILE, and `others`' browsers to
 * FILE.N.json on the same clock), then prints where the traced applies went (`apply-trace.ts`).
 */
async function traceApplies<T>(
  traced: [Browser, Page],
  others: [Browser, Page][],
  measure: () => Promise<T>,
): Promise<T> {
  if (!TRACE_APPLY) return measure();
  const categories = ['IndexedDB', 'toplevel', 'blink.user_timing'];
  const all = [traced, ...others];
  const files = all.map((_, i) => (i === 0 ? TRACE_APPLY : `${TRACE_APPLY}.${i}.json`));
  for (const [[browser, page], path] of all.map((x, i) => [x, files[i]!] as const)) {
    await page.evaluate(() => (window.bench.marking = true));
    await browser.startTracing(page, { path, categories });
  }
  const result = await measure();
  for (const [browser, page] of all) {
    await browser.stopTracing();
    await page.evaluate(() => (window.bench.marking = false));
  }
  for (const line of await applySplit(files[0]!, files[1])) console.log(`  ${line}`);
  return result;
}

/** Runs `measure`, writing a CPU profile of the page to `--trace=FILE` when one is asked for. */
async function profiled<T>(page: Page, intervalUs: number, measure: () => Promise<T>): Promise<T> {
  const cdp = TRACE_ARG ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
    await cdp.send('Profiler.start');
  }
  const result = await measure();
  if (cdp)
    await fs.writeFile(TRACE_ARG!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  return result;
}
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 9);
// `--variants=<regex>`: only these probe variants (and the raw put every ratio needs).
const VARIANTS = process.argv.find((a) => a.startsWith('--variants='))?.slice(11);
const want = (scenario: string) => !ONLY || ONLY.includes(scenario);
const SIZES_ARG = process.argv
  .find((a) => a.startsWith('--sizes='))
  ?.slice('--sizes='.length)
  .split(',')
  .map(Number);
const SIZES = !want('sync')
  ? []
  : (SIZES_ARG ?? (QUICK ? [2_000, 5_000] : [10_000, 50_000, 100_000]));

interface Who {
  token: string;
  userId: string;
  orgId: string;
}

async function signIn(url: string, orgId: string, name: string): Promise<Who> {
  const res = await postJson<{ token: string; user: { id: string } }>(
    `${url}/api/v1/auth/dev-token`,
    {
      email: `${name}@${orgId.replace(/_/g, '-')}.example.com`,
      name,
      orgId,
      role: 'admin',
    },
  );
  return { token: res.token, userId: res.user.id, orgId };
}

/** Fills an org with `n` tasks through the normal push path (batches of 500). */
async function seed(url: string, who: Who, n: number): Promise<void> {
  const clientId = newClientId();
  const clock = new HybridLogicalClock(clientId);
  let id = 0;
  const projectId = newEntityId();
  let batch: Mutation[] = [
    {
      type: 'project.create',
      id: ++id,
      hlc: clock.now(),
      entityId: projectId,
      fields: {
        name: 'Seeded',
        description: '',
        status: 'active',
        ownerId: who.userId as EntityId,
      },
    } as Mutation,
  ];
  const flush = async () => {
    if (!batch.length) return;
    await postJson(
      `${url}/api/v1/sync/push`,
      { protocolVersion: PROTOCOL_VERSION, clientId, mutations: batch },
      who.token,
    );
    batch = [];
  };
  for (let i = 0; i < n; i++) {
    batch.push({
      type: 'task.create',
      id: ++id,
      hlc: clock.now(),
      entityId: newEntityId(),
      fields: {
        projectId,
        title: `Task ${i} of the benchmark`,
        notes: 'Some notes that look like what people type into a task.',
        status: (['todo', 'doing', 'done'] as const)[i % 3]!,
        assigneeId: null,
        dueDate: i % 2 ? '2026-12-01' : null,
      },
    } as Mutation);
    if (batch.length === 500) await flush();
  }
  await flush();
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const f = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
type Add = (what: string, engine: string, raw: string, r: string, target: string) => void;

const D2D_N = 200;
const D2D_GAP_MS = 50;

/** Per write: ms from its start to the first observation at or past its count. */
function arrivals(startedAt: number[], seen: { count: number; at: number }[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < startedAt.length; i++) {
    const hit = seen.find((o) => o.count >= i + 1);
    if (hit) out.push(hit.at - startedAt[i]!);
  }
  return out;
}

const spread = (xs: number[]) =>
  `p50 ${f(pct(xs, 50))} · p95 ${f(pct(xs, 95))} · p99 ${f(pct(xs, 99))}`;

async function openPage(browser: Browser, url: string): Promise<Page> {
  // The server's CSP allows sockets to itself only; the baseline's relay listens elsewhere.
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${url}/index.html`);
  await page.waitForFunction(() => document.getElementById('ready')?.textContent === 'ready');
  return page;
}

/**
 * `n` commits of one small row each in a bare SQLite database beside the server's (WAL,
 * `synchronous = FULL`, as the server runs by default), in a child process that resolves the
 * server's better-sqlite3; ms per commit.
 */
function bareCommits(dataDir: string, n: number): number[] {
  const script = `
    const Database = require('better-sqlite3');
    const { performance } = require('node:perf_hooks');
    const file = require('node:path').join(process.argv[1], 'bare-commit.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('create table t (id integer primary key, v text)');
    const ins = db.prepare('insert into t (v) values (?)');
    const out = [];
    for (let i = 0; i < Number(process.argv[2]); i++) {
      const t = performance.now();
      ins.run('x'.repeat(600));
      out.push(performance.now() - t);
    }
    db.close();
    for (const end of ['', '-wal', '-shm']) require('node:fs').rmSync(file + end, { force: true });
    process.stdout.write(JSON.stringify(out));
  `;
  const out = execFileSync(process.execPath, ['-e', script, dataDir, String(n)], {
    cwd: path.join(HERE, '../../server'),
    encoding: 'utf8',
  });
  return JSON.parse(out) as number[];
}

/**
 * A write in one browser process → visible in another's live query (two users of one org,
 * each with its poke socket), beside a bare WebSocket relayed by this process between the
 * same two browsers (the floor any socket-based propagation pays) and the commits a persisted
 * propagation adds to it.
 */
async function deviceToDevice(url: string, dataDir: string, add: Add): Promise<void> {
  const launch = () => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const [one, two] = await Promise.all([launch(), launch()]);
  const relay = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => relay.once('listening', r));
  try {
    const step = (what: string) => QUIET || console.log(`  device → device: ${what}`);
    const [a, b] = await Promise.all([openPage(one, url), openPage(two, url)]);
    step('pages open');
    const writer = await signIn(url, 'org_bench_d2d', 'devicea');
    const reader = await signIn(url, 'org_bench_d2d', 'deviceb');

    relay.on('connection', (ws) =>
      ws.on('message', (m) => relay.clients.forEach((c) => c !== ws && c.send(String(m)))),
    );
    const relayUrl = `ws://127.0.0.1:${(relay.address() as { port: number }).port}`;
    await b.evaluate((u) => window.bench.relayOpen(u), relayUrl);
    await a.evaluate((u) => window.bench.relayOpen(u), relayUrl);
    step('relay sockets open');
    const sent = await a.evaluate(([n, gap]) => window.bench.relaySend(n, gap), [
      D2D_N,
      D2D_GAP_MS,
    ] as const);
    await b.waitForFunction((n) => window.bench.relayed.length >= n, D2D_N);
    const relayed = await b.evaluate(() => window.bench.relayed);
    const bare = sent.map((t, i) => relayed[i]! - t);

    step('relay baseline done');
    // What the path persists on its way: one commit on the server's disk, one in the reader.
    const commits = bareCommits(dataDir, D2D_N);
    // In turn, not at once: the two browsers share the machine's disk and cores.
    const writes = await a.evaluate((n) => window.bench.rawPutTransactions(n, 10), D2D_N);
    const puts = await b.evaluate((n) => window.bench.rawPutTransactions(n, 10), D2D_N);
    step('persistence baselines done');
    const projectId = await a.evaluate((who) => window.bench.d2dWriter(who), writer);
    await b.evaluate(([who, pid]) => window.bench.d2dReader(who, pid), [
      reader,
      projectId,
    ] as const);
    const startedAt = await traceApplies([two, b], [[one, a]], async () => {
      const started = await a.evaluate(([n, gap]) => window.bench.d2dWrite(n, gap), [
        D2D_N,
        D2D_GAP_MS,
      ] as const);
      await b
        .waitForFunction((n) => window.bench.observed.some((o) => o.count >= n), D2D_N, {
          timeout: 30_000,
        })
        .catch(() => undefined);
      return started;
    });
    const seen = arrivals(startedAt, await b.evaluate(() => window.bench.observed));
    const [wr, rd] = await Promise.all([
      a.evaluate(() => window.bench.d2dRequests()),
      b.evaluate(() => window.bench.d2dRequests()),
    ]);
    // The raw timelines, for a closer look (`D2D_DUMP=file.json`).
    if (process.env.D2D_DUMP)
      await fs.writeFile(process.env.D2D_DUMP, JSON.stringify({ startedAt, seen, wr, rd }));
    await Promise.all([
      a.evaluate(() => window.bench.d2dStop()),
      b.evaluate(() => window.bench.d2dStop()),
    ]);
    add(
      `device → device, ${D2D_N} writes ${D2D_GAP_MS} ms apart`,
      spread(seen),
      '',
      `${seen.length}/${D2D_N} seen`,
      'p50 < 10 ms, p99 ≤ 25 ms',
    );
    add('  (baseline: bare WebSocket relay)', spread(bare), '', '', '');
    add("  (baseline: bare SQLite FULL commit on the server's disk)", spread(commits), '', '', '');
    add('  (baseline: bare IndexedDB put transaction in the writer)', spread(writes), '', '', '');
    add('  (baseline: bare IndexedDB put transaction in the reader)', spread(puts), '', '', '');
    // The least a propagation persisted at every hop pays here: the writer's commit, a relay
    // hop, the server's commit and the reader's, one after another.
    const floor = pct(writes, 50) + pct(bare, 50) + pct(commits, 50) + pct(puts, 50);
    add(
      '  (floor: writer put + relay + commit + reader put, p50s summed)',
      f(floor),
      '',
      `p50 ${(pct(seen, 50) / floor).toFixed(1)}× the floor`,
      '',
    );
    add(
      '  (requests: writer pushes · pulls, reader pulls)',
      `${wr.pushes} · ${wr.pulls}, ${rd.pulls}`,
      '',
      `${rd.pokeLog.filter((p) => p.carried).length}/${rd.pokeLog.length} pokes carried`,
      '',
    );
    // Where a write's time goes (medians, p95): the project was mutation 1, write i is i + 2.
    const phases: Record<string, number[]> = {
      'local write': wr.writeMs,
      'committed → push sent': [],
      '(of which writer step start → push sent)': [],
      'push sent → answered': [],
      'push sent → poke at reader': [],
      'poke at reader → shown': [],
      '(of which poke → apply transaction opened)': [],
      '(of which apply transaction open → complete)': [],
      '(of which apply complete → live query read opened)': [],
      '(of which live query read open → shown)': [],
    };
    // The writer's IndexedDB transactions during each local write (an aborted one is a retry).
    let opened = 0;
    let aborted = 0;
    let contended = 0;
    wr.writeMs.forEach((ms, i) => {
      const t = startedAt[i]!;
      const during = wr.idb.filter((x) => x.start >= t && x.start <= t + ms);
      opened += during.length;
      aborted += during.filter((x) => !x.ok).length;
      // A read-write transaction of another path still open when the write began.
      if (wr.idb.some((x) => x.mode === 'readwrite' && x.start < t && (x.end === 0 || x.end > t)))
        contended++;
    });
    let busy = 0;
    /** Each write's legs (ms), for `--verbose`'s slowest 5 %. */
    const legs: { i: number; total: number; parts: string }[] = [];
    const ms = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));
    startedAt.forEach((t, i) => {
      const committed = t + wr.writeMs[i]!;
      const p = wr.pushLog.find((x) => x.lastId >= i + 2);
      const k = p && rd.pokeLog.find((x) => x.cursor >= p.cursor);
      if (!p || !k || seen[i] === undefined) return;
      const shown = t + seen[i]!;
      const ws = wr.stepLog.filter((s) => s.start <= p.start).at(-1);
      if (wr.stepLog.some((s) => s.start <= committed && (s.end === 0 || s.end > committed)))
        busy++;
      phases['committed → push sent']!.push(p.start - committed);
      if (ws)
        phases['(of which writer step start → push sent)']!.push(
          p.start - Math.max(ws.start, committed),
        );
      phases['push sent → answered']!.push(p.end - p.start);
      phases['push sent → poke at reader']!.push(k.at - p.start);
      // A step that only applies carried changes does not say "syncing": time from the poke.
      if (k.at <= shown) {
        phases['poke at reader → shown']!.push(shown - k.at);
        const apply = rd.idb.find(
          (x) => x.mode === 'readwrite' && x.stores.includes('tasks') && x.ok && x.start >= k.at,
        );
        const read =
          apply &&
          rd.idb.find((x) => x.mode === 'readonly' && x.stores === 'tasks' && x.start >= apply.end);
        if (apply && read && read.start <= shown) {
          phases['(of which poke → apply transaction opened)']!.push(apply.start - k.at);
          phases['(of which apply transaction open → complete)']!.push(apply.end - apply.start);
          phases['(of which apply complete → live query read opened)']!.push(
            read.start - apply.end,
          );
          phases['(of which live query read open → shown)']!.push(shown - read.start);
        }
        // What else ran meanwhile: the writer's read-write transactions open while the reader
        // applied, and the reader's own transactions open when the poke came.
        const overlaps = (log: typeof wr.idb, a: number, b: number) =>
          log.filter((x) => x.mode === 'readwrite' && x.start < b && (x.end === 0 || x.end > a));
        const writerBeside = apply ? overlaps(wr.idb, apply.start, apply.end) : [];
        const readerBusy = overlaps(rd.idb, k.at, k.at);
        const prev = wr.pushLog[wr.pushLog.indexOf(p) - 1];
        legs.push({
          i,
          total: seen[i]!,
          parts: [
            `write ${ms(wr.writeMs[i])}`,
            `→ push ${ms(p.start - committed)} (${p.lastId - (prev?.lastId ?? p.lastId - 1)} in it)`,
            `→ poke at reader ${ms(k.at - p.start)} (answer ${ms(p.end - p.start)})`,
            `→ apply opened ${ms(apply && apply.start - k.at)}`,
            `apply ${ms(apply && apply.end - apply.start)}`,
            `→ read ${ms(apply && read && read.start - apply.end)}`,
            `→ shown ${ms(read && shown - read.start)}`,
            `| writer rw beside the apply: ${writerBeside.length}` +
              (writerBeside.length
                ? ` (${writerBeside.map((x) => `${x.stores} ${ms(x.end - x.start)}`).join(', ')})`
                : ''),
            `reader rw open at the poke: ${readerBusy.length}`,
          ].join(' '),
        });
      }
    });
    if (!QUIET) {
      const slow = [...legs]
        .sort((a, b) => b.total - a.total)
        .slice(0, Math.ceil(legs.length / 20));
      console.log(`  device → device: the slowest 5 % (${slow.length} of ${legs.length}), ms:`);
      for (const l of slow) console.log(`    #${l.i} ${ms(l.total)}: ${l.parts}`);
    }
    for (const [what, xs] of Object.entries(phases))
      add(
        `  (${what}: p50 · p95)`,
        `${f(pct(xs, 50))} · ${f(pct(xs, 95))}`,
        '',
        `${xs.length}`,
        '',
      );
    add(
      '  (writer: transactions opened during local writes · aborted · writes begun beside another read-write transaction)',
      `${opened} · ${aborted} · ${contended}`,
      '',
      `${wr.writeMs.length} writes`,
      '',
    );
    // Per received change, both devices, from the first write to the last shown: transactions
    // by mode and the IndexedDB requests they placed.
    const end = startedAt.at(-1)! + (seen.at(-1) ?? 0);
    for (const [who, log] of [
      ['writer', wr.idb],
      ['reader', rd.idb],
    ] as const) {
      const during = log.filter((x) => x.start >= startedAt[0]! && x.start <= end);
      const per = (n: number) => (n / Math.max(1, seen.length)).toFixed(2);
      const requests = (xs: typeof during) =>
        xs.reduce((n, x) => n + Object.values(x.requests).reduce((a, b) => a + b, 0), 0);
      const rw = during.filter((x) => x.mode === 'readwrite');
      const ro = during.filter((x) => x.mode === 'readonly');
      add(
        `  (${who} per change: read-write · read-only transactions · their requests)`,
        `${per(rw.length)} · ${per(ro.length)} · ${per(requests(rw))} · ${per(requests(ro))}`,
        '',
        `${seen.length} changes`,
        '',
      );
      if (!QUIET) {
        // `--verbose`: those transactions by mode and stores, and their requests by kind.
        const shapes = new Map<string, { n: number; requests: Record<string, number> }>();
        for (const x of during) {
          const key = `${x.mode} ${x.stores}`;
          const s = shapes.get(key) ?? { n: 0, requests: {} };
          s.n++;
          for (const [k, v] of Object.entries(x.requests)) s.requests[k] = (s.requests[k] ?? 0) + v;
          shapes.set(key, s);
        }
        console.log(`  ${who} per change, by transaction shape:`);
        for (const [key, s] of [...shapes].sort((a, b) => b[1].n - a[1].n))
          console.log(
            `    ${per(s.n)} ${key}: ` +
              Object.entries(s.requests)
                .sort((a, b) => b[1] - a[1])
                .map(([k, v]) => `${k} ${per(v)}`)
                .join(', '),
          );
      }
    }
    add(
      '  (writes committed while the writer loop was busy · writer steps · reader steps)',
      `${busy} · ${wr.stepLog.length} · ${rd.stepLog.length}`,
      '',
      '',
      '',
    );
  } finally {
    relay.close();
    await Promise.all([one.close(), two.close()]);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-client-bench-'));
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-client-bench-data-'));
  console.log('building the bench page…');
  await build({
    configFile: false,
    root: HERE,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // A trace wants readable function names.
      minify: !TRACE_ARG && !process.argv.includes('--trace-long-samples'),
      rollupOptions: { treeshake: ENGINE_TREESHAKE },
    },
  });
  // The server as `npm start` runs it: compiled, with its node flags (the idle collector on).
  console.log('building the server…');
  execFileSync(process.execPath, ['build.mjs'], {
    cwd: path.join(HERE, '../../server'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server = await startServerProcess({
    dataDir,
    entry: 'dist/main.js',
    nodeArgs: npmStartFlags(),
    env: {
      CLIENT_DIST_DIR: outDir,
      RATE_LIMIT_MAX: '100000000',
      BODY_LIMIT_BYTES: '10485760',
      LOG_LEVEL: 'error',
      ...(PORT_ARG ? { PORT: PORT_ARG } : {}),
    },
  });
  console.log(`server up (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const url = server.url;
    const orgs: Record<number, Who> = {};
    for (const n of SIZES) {
      const who = await signIn(url, `org_bench_${n}`, `reader${n}`);
      const t0 = Date.now();
      await seed(url, who, n);
      console.log(`seeded ${n} tasks in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      orgs[n] = who;
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(`${url}/index.html`);
    await page.waitForFunction(() => document.getElementById('ready')?.textContent === 'ready');

    if (process.argv.includes('--probe=apply')) {
      const who = await signIn(url, 'org_bench_apply', 'applier');
      console.log(
        await profiled(page, 100, () =>
          traceApplies([browser, page], [], () =>
            page.evaluate(([w, r]) => window.bench.probeApply(w, r), [who, ROUNDS * 10] as const),
          ),
        ),
      );
      console.log(
        `load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      return;
    }
    const probe = ['--probe=bulk', '--probe=writes'].find((a) => process.argv.includes(a));
    if (probe) {
      const who = await signIn(url, 'org_bench_probe', 'prober');
      console.log(
        await profiled(page, 200, () =>
          probe === '--probe=bulk'
            ? page.evaluate(([w, r]) => window.bench.probeBulk(w, 10_000, r), [
                who,
                ROUNDS,
              ] as const)
            : page.evaluate(([w, r, v]) => window.bench.probeWrites(w, 200, r, v), [
                who,
                ROUNDS,
                VARIANTS,
              ] as const),
        ),
      );
      console.log(
        `load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      return;
    }
    if (process.argv.includes('--probe')) {
      console.log(await page.evaluate((k) => window.bench.probe(k), 5000));
      return;
    }
    const rowsOut: string[][] = [];
    const add = (what: string, engine: string, raw: string, r: string, target: string) =>
      rowsOut.push([what, engine, raw, r, target]);

    // The initial syncs' raw bulkPuts run in a page of their own context (another renderer,
    // another V8 heap). In the syncs' page a 100k-row raw write's rows were once still live at
    // the sync's first major GC (29 MiB against the sync's own 3–5), V8 set the heap limit from
    // that, and the sync's garbage then grew to 118 MiB before one major GC whose pause took
    // 134 ms of the thread's CPU (`--trace-long`, 2026-12-05): a long task the raw write caused.
    const rawContext = SIZES.length ? await browser.newContext() : null;
    const rawPage = rawContext ? await rawContext.newPage() : page;
    if (rawContext) {
      rawPage.on('pageerror', (e) => console.error('page error:', e));
      await rawPage.goto(`${url}/index.html`);
      await rawPage.waitForFunction(
        () => document.getElementById('ready')?.textContent === 'ready',
      );
    }

    for (const n of SIZES) {
      // `--trace-long`: the raw bulkPut's long tasks too (is a long task the engine's or IndexedDB's?).
      const tracedRaw = await traceLongTasks(
        browser,
        TRACE_LONG && `${TRACE_LONG}.raw.${n}.json`,
        () => rawPage.evaluate((k) => window.bench.rawBulkPut(k), n),
      );
      const raw = tracedRaw.result;
      for (const l of tracedRaw.lines) console.log(`  raw bulkPut ${n}: ${l}`);
      const traced = await traceLongTasks(
        browser,
        TRACE_LONG && `${TRACE_LONG}.${n}.json`,
        () =>
          profiled(page, 500, () =>
            page.evaluate(([who, k]) => window.bench.initialSync(who, k), [orgs[n]!, n] as const),
          ),
        process.argv.includes('--trace-long-samples'),
      );
      const sync = traced.result;
      for (const l of traced.lines) console.log(`  ${n}: ${l}`);
      add(
        `initial sync ${n.toLocaleString('en')} tasks`,
        f(sync.ms),
        f(raw),
        ratio(sync.ms, raw),
        '≤ 1.50×',
      );
      add(
        '  (of which waiting for pull pages)',
        f(sync.pullMs),
        '',
        `${((100 * sync.pullMs) / sync.ms).toFixed(0)} %`,
        '',
      );
      if (n === SIZES.at(-1)) {
        add(
          `longest main-thread task (${n.toLocaleString('en')} sync)`,
          sync.longTasks ? f(sync.longestTaskMs) : '< 50 ms (none)',
          '',
          `${sync.longTasks} long tasks`,
          '≤ 50 ms',
        );
      }
    }

    await rawContext?.close();

    if (want('backlog')) {
      // As a real client runs (poke socket open once back online: pushes go over it), and
      // without the socket (HTTP pushes and pulls only); each in an org of its own.
      for (const pokes of [true, false]) {
        const how = pokes ? 'socket' : 'no socket';
        const uploader = await signIn(
          url,
          pokes ? 'org_bench_upload_ws' : 'org_bench_upload',
          'uploader',
        );
        // `--trace=FILE`: a CPU profile of the upload without the socket (the last one run).
        const up = await profiled(page, 200, () =>
          page.evaluate(
            ([who, withPokes, trace]) => window.bench.offlineUpload(who, 2000, withPokes, trace),
            [uploader, pokes, !QUIET] as const,
          ),
        );
        add(
          `2,000 offline writes → server stored all (${how})`,
          f(up.uploadMs),
          '',
          '',
          '(baseline)',
        );
        add(
          `2,000 offline writes → client says done (${how})`,
          f(up.doneMs),
          f(up.uploadMs),
          ratio(up.doneMs, up.uploadMs),
          '≤ 1.20× stored',
        );
        // When the app's headline last turned to "Synced", and what it said before.
        const synced = up.shown.findLast((h) => h.kind === 'synced')?.ms ?? NaN;
        add(
          "  the app's headline (from back online)",
          up.shown.map((h) => `${h.kind} ${f(h.ms)}`).join(' → '),
          f(up.uploadMs),
          ratio(synced, up.uploadMs),
          '(reported)',
        );
        // `--verbose`: each read-write transaction from "stored" to done, with its requests.
        for (const tx of up.txs ?? [])
          console.log(
            `  ${how}, "stored" + ${tx.at} ms: ${tx.ms} ms ${JSON.stringify(tx.requests)}`,
          );
        const ph = up.phases;
        add(
          '  after "stored": to the pull · pulls · applying · last page + ack',
          `${f(ph.toPull)} · ${ph.pullsAfter} (${ph.pulledRows} rows of ${ph.pulledChanges} changes) waiting ${f(ph.pullWaitMs)} · ${f(ph.applyMs)} · ${f(ph.tail)}`,
          '',
          `${ph.pushes} pushes in ${f(ph.pushing)} (answers ${f(ph.pushWaitMs)}, between ${f(ph.betweenPushesMs)})`,
          '',
        );
        add(
          '  IndexedDB transactions from "stored" to done',
          `${up.afterStored.readwrite} read-write · ${up.afterStored.readonly} read-only`,
          '',
          '',
          '',
        );
        add(
          '  (making those 2,000 writes offline)',
          f(up.writeMs),
          '',
          `${(up.writeMs / 2000).toFixed(2)} ms/write`,
          '',
        );
      }
    }

    const writer = await signIn(url, 'org_bench_writes', 'writer');
    if (want('writes')) {
      const singles = await page.evaluate((who) => window.bench.singleWrites(who, 1000), writer);
      add(
        '1,000 single local writes (blocks of 50 beside raw)',
        f(singles.engine),
        f(singles.raw),
        ratio(singles.engine, singles.raw),
        '≤ 1.50×',
      );
      // One bulk write against one bulkPut swung 1.27–1.62× run to run on the same code (each
      // figure under whatever load its second had), and the first pair of a page is the
      // highest in most runs (the bulk path's first run: compiling, growing the heap). So: a
      // first pair printed apart, then three pairs (the order alternating), medians.
      const bulks: number[] = [];
      const raws: number[] = [];
      const pairs: number[] = [];
      for (let r = 0; r < 4; r++) {
        const engine = () => page.evaluate((who) => window.bench.bulkWrite(who, 10_000), writer);
        const rawPut = () => page.evaluate(() => window.bench.rawBulkPut(10_000));
        let bulk: number;
        let rawBulk: number;
        if (r % 2 === 0) {
          bulk = await engine();
          rawBulk = await rawPut();
        } else {
          rawBulk = await rawPut();
          bulk = await engine();
        }
        bulks.push(bulk);
        raws.push(rawBulk);
        pairs.push(bulk / rawBulk);
      }
      const [first, ...rest] = pairs;
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
      add(
        'one 10,000-row bulk local write (median of 3 pairs after the first)',
        f(med(bulks.slice(1))),
        f(med(raws.slice(1))),
        `${med(rest).toFixed(2)}× (${rest.map((x) => x.toFixed(2)).join(' · ')}; first ${first!.toFixed(2)})`,
        '≤ 1.50×',
      );
    }

    if (want('latency')) {
      const projectId = await page.evaluate((who) => window.bench.prepareLatency(who), writer);
      const other = await context.newPage();
      await other.goto(`${url}/index.html`);
      await other.waitForFunction(() => document.getElementById('ready')?.textContent === 'ready');
      await other.evaluate(([userId, pid]) => window.bench.observeOtherTab(userId, pid), [
        writer.userId,
        projectId,
      ] as const);
      await other.waitForFunction(() => window.bench.observed.length > 0);
      const LAT_N = 200;
      const lat = await profiled(page, 100, () =>
        page.evaluate((k) => window.bench.runLatency(k), LAT_N),
      );
      await other
        .waitForFunction((k) => window.bench.observed.some((o) => o.count >= k), LAT_N, {
          timeout: 10_000,
        })
        .catch(() => undefined);
      const observed = await other.evaluate(() => window.bench.observed);
      const otherTab: number[] = [];
      for (let i = 0; i < LAT_N; i++) {
        const seen = observed.find((o) => o.count >= i + 1);
        if (seen) otherTab.push(seen.at - lat.startedAt[i]!);
      }
      add(
        'write → live query, same tab',
        `p50 ${f(pct(lat.sameTab, 50))} · p95 ${f(pct(lat.sameTab, 95))}`,
        '',
        '',
        'p50 ≤ 3 ms, p95 ≤ 7 ms',
      );
      add(
        '  (of which the write, until committed)',
        `p50 ${f(pct(lat.written, 50))} · p95 ${f(pct(lat.written, 95))}`,
        '',
        '',
        '',
      );
      const tl = lat.timeline;
      add(
        '  (timeline, p50: call → transaction · transaction · → resolved · → live query)',
        `${f(pct(tl.toOpen, 50))} · ${f(pct(tl.inTx, 50))} · ${f(pct(tl.toResolved, 50))} · ${f(pct(tl.toSeen, 50))}`,
        '',
        `${tl.inTx.length}/${LAT_N} traced`,
        '',
      );
      add(
        'write → live query, second tab',
        `p50 ${f(pct(otherTab, 50))} · p95 ${f(pct(otherTab, 95))}`,
        '',
        `${otherTab.length}/${LAT_N} seen`,
        '(reported)',
      );
    }

    if (want('d2d')) await deviceToDevice(url, dataDir, add);

    if (want('size')) {
      const size = await measureSizes();
      add(
        'engine gzip -9 (no React) vs Dexie alone, each by esbuild --bundle --minify',
        kB(size.plain.engine),
        kB(size.plain.dexie),
        `+${kB(size.plain.engine - size.plain.dexie)}`,
        '≤ Dexie + 25 kB',
      );
      add(
        '  (both minified as the app ships them)',
        kB(size.engine),
        kB(size.dexie),
        `+${kB(size.engine - size.dexie)}`,
        '',
      );
      add(
        '  (both from library mode, whitespace kept)',
        kB(size.library.engine),
        kB(size.library.dexie),
        `+${kB(size.library.engine - size.library.dexie)}`,
        '',
      );
      for (const [what, bytes] of size.parts) add(`  (of which ${what})`, kB(bytes), '', '', '');
    }

    const head = ['measure', 'sync engine', 'baseline', 'ratio', 'target'];
    const widths = head.map((h, i) => Math.max(h.length, ...rowsOut.map((r) => r[i]!.length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(
      `\nOutpost client sync bench — ${new Date().toISOString().slice(0, 10)}, Chromium ${browser.version()}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}\n`,
    );
    console.log(line(head));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rowsOut) console.log(line(r));
    console.log(`\n(total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    await browser.close();
    await server.stop();
    if (TRACE_ARG) await fs.cp(outDir, `${TRACE_ARG}.dist`, { recursive: true });
    await fs.rm(outDir, { recursive: true, force: true });
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * `pnpm bench:server` — sync server throughput over real HTTP on loopback, beside a baseline
 * measured in the same run: raw better-sqlite3 inserts of the same rows in one transaction.
 *
 * Bounded: a fixed number of mutations per batch size, and each phase stops early after
 * PHASE_BUDGET_MS. Runs the server with SQLITE_SYNCHRONOUS=FULL, then NORMAL. Prints a table;
 * the target is batched push ≥ 0.5× the raw insert rate. The servers encrypt personal data
 * with a dev key; the price of that is measured apart (encryption.bench.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  HybridLogicalClock,
  PROTOCOL_VERSION,
  newClientId,
  newEntityId,
  type EntityId,
  type Mutation,
} from '@outpost/shared';
import {
  postJson,
  startServerProcess,
  type ServerProcess,
} from '../test/helpers/server-process.js';
import { measureEncryptionOverhead } from './encryption.bench.js';

const ORG = 'org_bench';
const PHASE_BUDGET_MS = 15_000;
const PLAN: { batch: number; total: number }[] = [
  { batch: 1, total: 1000 },
  { batch: 10, total: 5000 },
  { batch: 100, total: 20000 },
];

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function taskFields(projectId: EntityId, i: number) {
  return {
    projectId,
    title: `Task ${i}`,
    notes: 'Bench notes '.repeat(4),
    status: 'todo',
    assigneeId: null,
    dueDate: null,
  };
}

/**
 * The baselines: the same task rows inserted raw in one transaction, with the store's pragmas
 * and table. `full` also inserts everything else a push writes for a create — the row's change
 * entry and its `create` activity (which lives in the change log only) — so the ratio against
 * it isolates the engine's and HTTP's own cost from the storage work.
 */
function rawInsertRate(dir: string, n: number, projectId: EntityId, full: boolean): number {
  fs.mkdirSync(dir, { recursive: true });
  const db = new Database(path.join(dir, `raw-${full ? 'full' : 'rows'}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE rows (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, entity TEXT NOT NULL, data TEXT NOT NULL, clocks TEXT NOT NULL, deleted TEXT, version INTEGER NOT NULL);
    CREATE TABLE changes (org_id TEXT NOT NULL, seq INTEGER NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, row TEXT NOT NULL, clocks TEXT NOT NULL, deleted TEXT, PRIMARY KEY (org_id, seq)) WITHOUT ROWID;`);
  const insert = db.prepare(
    'INSERT INTO rows (id, org_id, entity, data, clocks, deleted, version) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const change = db.prepare(
    'INSERT INTO changes (org_id, seq, entity, entity_id, row, clocks, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const clock = new HybridLogicalClock('raw');
  const rows = Array.from({ length: n }, (_, i) => {
    const id = newEntityId();
    const hlc = clock.now();
    const fields = taskFields(projectId, i);
    const now = new Date().toISOString();
    const activityId = newEntityId();
    const activity = {
      id: activityId,
      orgId: ORG,
      createdAt: now,
      updatedAt: now,
      version: 2 * i + 2,
      actorId: null,
      action: 'create',
      entity: 'task',
      entityId: id,
      changes: Object.entries(fields).map(([field, to]) => ({ field, to })),
      reason: null,
      requestId: 'r',
      clientId: null,
      mutationId: i + 1,
    };
    return [
      id,
      JSON.stringify({
        id,
        orgId: ORG,
        createdAt: now,
        updatedAt: now,
        version: 2 * i + 1,
        ...fields,
      }),
      JSON.stringify(Object.fromEntries(Object.keys(fields).map((f) => [f, hlc]))),
      activityId,
      JSON.stringify(activity),
    ] as const;
  });
  const start = performance.now();
  db.transaction(() => {
    rows.forEach(([id, data, clocks, activityId, activity], i) => {
      insert.run(id, ORG, 'task', data, clocks, null, 2 * i + 1);
      if (!full) return;
      change.run(ORG, 2 * i + 1, 'task', id, data, clocks, null);
      change.run(ORG, 2 * i + 2, 'activity', activityId, activity, '{}', null);
    });
  })();
  const ms = performance.now() - start;
  db.close();
  return n / (ms / 1000);
}

interface Run {
  synchronous: 'FULL' | 'NORMAL';
  results: { label: string; count: number; rate: number; unit: string }[];
  totalTasks: number;
  rssStart: number;
  rssEnd: number;
  projectId: EntityId;
}

/** One server process with SQLITE_SYNCHRONOUS=`synchronous`: push phases, then a full pull. */
async function measure(dir: string, synchronous: 'FULL' | 'NORMAL'): Promise<Run> {
  let server: ServerProcess | null = null;
  try {
    server = await startServerProcess({
      dataDir: path.join(dir, `data-${synchronous}`),
      env: { SQLITE_SYNCHRONOUS: synchronous },
    });
    const api = `${server.url}/api/v1`;
    const { token, user } = await postJson<{ token: string; user: { id: EntityId } }>(
      `${api}/auth/dev-token`,
      {
        email: 'bench@example.com',
        name: 'Bench',
        orgId: ORG,
        role: 'admin',
      },
    );
    const clientId = newClientId();
    const clock = new HybridLogicalClock(clientId);
    let next = 1;
    const projectId = newEntityId();
    await postJson(
      `${api}/sync/push`,
      {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: [
          {
            type: 'project.create',
            id: next++,
            hlc: clock.now(),
            entityId: projectId,
            fields: { name: 'Bench', description: '', status: 'active', ownerId: user.id },
          },
        ],
      },
      token,
    );
    const rssStart = rssMb(server.pid);

    const results: Run['results'] = [];
    let totalTasks = 0;
    for (const { batch, total } of PLAN) {
      const start = performance.now();
      let done = 0;
      while (done < total && performance.now() - start < PHASE_BUDGET_MS) {
        const mutations: Mutation[] = [];
        for (let i = 0; i < batch; i++) {
          mutations.push({
            type: 'task.create',
            id: next++,
            hlc: clock.now(),
            entityId: newEntityId(),
            fields: taskFields(projectId, done + i),
          } as Mutation);
        }
        await postJson(
          `${api}/sync/push`,
          { protocolVersion: PROTOCOL_VERSION, clientId, mutations },
          token,
        );
        done += batch;
      }
      const secs = (performance.now() - start) / 1000;
      totalTasks += done;
      results.push({
        label: `push, batch ${batch}`,
        count: done,
        rate: done / secs,
        unit: 'mutations/s',
      });
    }

    // Pull the whole log back (rows + their activities), 1000 per page.
    const pullStart = performance.now();
    let cursor = 0;
    let pulled = 0;
    for (;;) {
      const page = await postJson<{ changes: unknown[]; cursor: number; hasMore: boolean }>(
        `${api}/sync/pull`,
        { protocolVersion: PROTOCOL_VERSION, clientId, cursor, limit: 1000 },
        token,
      );
      pulled += page.changes.length;
      cursor = page.cursor;
      if (!page.hasMore || performance.now() - pullStart > PHASE_BUDGET_MS) break;
    }
    results.push({
      label: 'pull, pages of 1000',
      count: pulled,
      rate: pulled / ((performance.now() - pullStart) / 1000),
      unit: 'changes/s',
    });
    return { synchronous, results, totalTasks, rssStart, rssEnd: rssMb(server.pid), projectId };
  } finally {
    await server?.stop();
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-'));
  try {
    const runs = [await measure(dir, 'FULL'), await measure(dir, 'NORMAL')];
    const enc = await measureEncryptionOverhead();
    const totalTasks = Math.max(...runs.map((r) => r.totalTasks));
    // Best of three: the baselines are short, so one scheduler hiccup would skew them.
    const best = (full: boolean) =>
      Math.max(
        ...[0, 1, 2].map((i) =>
          rawInsertRate(path.join(dir, `raw${i}`), totalTasks, runs[0]!.projectId, full),
        ),
      );
    const raw = best(false);
    const rawFull = best(true);
    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (x: number) => Math.round(x).toLocaleString('en-US').padStart(10);
    console.log(
      `\nOutpost sync server benchmark — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} cpu, SQLite WAL, SQLITE_SYNCHRONOUS=FULL (the default) then NORMAL\n`,
    );
    console.log(
      `${pad('phase', 34)}${pad('count', 9)}${'rate'.padStart(10)}  ${pad('unit', 13)}${pad('× raw rows', 12)}× raw, all writes`,
    );
    for (const run of runs)
      for (const r of run.results)
        console.log(
          `${pad(`${r.label} (${run.synchronous})`, 34)}${pad(String(r.count), 9)}${num(r.rate)}  ${pad(r.unit, 13)}${pad(`${(r.rate / raw).toFixed(3)}×`, 12)}${(r.rate / rawFull).toFixed(3)}×`,
        );
    console.log(
      `${pad('baseline: raw rows', 34)}${pad(String(totalTasks), 9)}${num(raw)}  ${pad('rows/s', 13)}1.000×`,
    );
    console.log(
      `${pad('baseline: raw, all writes', 34)}${pad(String(totalTasks), 9)}${num(rawFull)}  ${pad('mutations/s', 13)}${pad(`${(rawFull / raw).toFixed(3)}×`, 12)}1.000×`,
    );
    console.log('');
    for (const run of runs)
      console.log(
        `server RSS (${run.synchronous}): ${run.rssStart.toFixed(0)} MB after start, ${run.rssEnd.toFixed(0)} MB after the run`,
      );
    for (const batch of [1, 100]) {
      const [full, normal] = runs.map(
        (run) => run.results.find((r) => r.label === `push, batch ${batch}`)!.rate,
      );
      console.log(
        `push, batch ${batch}: FULL is ${(full! / normal!).toFixed(2)}× NORMAL's rate (the price of an fsync per acknowledged push)`,
      );
    }
    const ratio = (x: { bare: number; encrypted: number }) =>
      `${num(x.encrypted).trim()} vs ${num(x.bare).trim()} /s bare (${(x.encrypted / x.bare).toFixed(2)}×)`;
    console.log(
      `encryption at rest (engine in process, NORMAL, median of 3): task push batch 100 ${ratio(enc.push)}; profile writes ${ratio(enc.profile)}`,
    );
    const batched = runs[0]!.results.find((r) => r.label === 'push, batch 100')!;
    console.log(
      `target batched push (FULL) ≥ 0.5× raw: ${batched.rate / raw >= 0.5 ? 'met' : 'NOT met'} (${(batched.rate / raw).toFixed(3)}×)`,
    );
    console.log(
      `load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (the machine is shared)`,
    );
    console.log(
      'raw rows: the task rows alone, one transaction. raw, all writes: the same rows plus what each push mutation also writes (its change entry, its create activity, which lives in the change log only).',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * `pnpm soak`: seeded schedules against two server processes sharing one SQLite file, with
 * SIGKILLs mid-push. Each schedule is a new org whose replicas write while the network flaps
 * offline/online, deliveries are lost, duplicated and reordered, and tabs restart; then every
 * replica syncs and the run is checked (chaos/checker.ts). Environment:
 *   SCHEDULES (default 200)  KILLS (default 10)  SEED (default: random, printed)
 *   ONLY=<i>   replay schedule i alone (with the same SEED, SCHEDULES and KILLS)
 *   PARALLEL   schedules in flight at once (default 12)
 *   MAX_MINUTES  stop starting new schedules after this long (the final line counts what ran)
 * Ends with one line: `N schedules, N kills, N mutations: N lost, N duplicated, replicas equal|DIFFER`.
 */
import type { OrgId } from '@outpost/shared';
import { SqliteStore } from '../../src/store/sqlite.js';
import { check, type Verdict } from './checker.js';
import { Cluster } from './cluster.js';
import { Rng, seedFrom } from './random.js';
import { localWrite, networkStep, flush, setUpOrg } from './workload.js';

function intFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

const SCHEDULES = intFrom('SCHEDULES', 200);
const KILLS = intFrom('KILLS', 10);
const PARALLEL = Math.max(1, intFrom('PARALLEL', 12));
const MAX_MINUTES = intFrom('MAX_MINUTES', 0);
const SEED = seedFrom(process.env['SEED']);
const ONLY = process.env['ONLY'] === undefined ? null : intFrom('ONLY', 0);

/** Schedule i's own stream, so any one schedule can be replayed alone. */
const scheduleRng = (i: number) => new Rng((SEED ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
/** KILLS spread evenly over SCHEDULES. */
const hasKill = (i: number) =>
  Math.floor(((i + 1) * KILLS) / SCHEDULES) > Math.floor((i * KILLS) / SCHEDULES);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runSchedule(cluster: Cluster, store: SqliteStore, i: number): Promise<Verdict> {
  const rng = scheduleRng(i);
  const orgId = `soak_${SEED}_${i}` as OrgId;
  const org = await setUpOrg(cluster, orgId);
  const steps = 6 + rng.int(16);
  const killAt = hasKill(i) ? rng.int(steps) : -1;
  for (let s = 0; s < steps; s++) {
    const r = rng.pick(org.replicas);
    if (s === killAt) {
      // A push on the wire when its process dies (the answer never comes back).
      if (r.outbox.length === 0) localWrite(r, org, rng);
      r.online = true;
      const url = await cluster.anyUrl();
      const slot = Array.from({ length: cluster.size }, (_, k) => cluster.url(k)).indexOf(url);
      const sent = r.push(url, { size: 1 + rng.int(8) });
      await pause(rng.int(4));
      await cluster.crash(slot);
      await sent;
    } else if (rng.chance(0.45)) localWrite(r, org, rng);
    else await networkStep(r, cluster, rng);
  }
  await flush(cluster, org.replicas);
  return check({
    replicas: org.replicas,
    orgId,
    store,
    call: (fn) => cluster.call(fn),
    token: org.replicas[0]!.token,
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const indexes = ONLY === null ? Array.from({ length: SCHEDULES }, (_, i) => i) : [ONLY];
  console.log(
    `soak: ${indexes.length} schedules, ${KILLS} kills planned, SEED=${SEED}${ONLY === null ? '' : ` ONLY=${ONLY}`}, ${PARALLEL} at once`,
  );
  const cluster = await Cluster.start({ processes: 2 });
  const store = new SqliteStore({ dataDir: cluster.dataDir });
  const total = { schedules: 0, mutations: 0, lost: 0, duplicated: 0, differ: 0, failed: 0 };
  let next = 0;
  let lastReport = Date.now();
  const worker = async () => {
    while (next < indexes.length) {
      if (MAX_MINUTES > 0 && Date.now() - started > MAX_MINUTES * 60_000) break;
      const i = indexes[next++]!;
      let v: Verdict;
      try {
        v = await runSchedule(cluster, store, i);
      } catch (err) {
        v = { mutations: 0, lost: 0, duplicated: 0, replicasEqual: false, problems: [String(err)] };
      }
      total.schedules++;
      total.mutations += v.mutations;
      total.lost += v.lost;
      total.duplicated += v.duplicated;
      if (!v.replicasEqual) total.differ++;
      if (v.problems.length > 0 || v.lost > 0 || v.duplicated > 0 || !v.replicasEqual) {
        total.failed++;
        console.log(
          `FAILED schedule ${i} — replay: SEED=${SEED} SCHEDULES=${SCHEDULES} KILLS=${KILLS} ONLY=${i} pnpm soak\n  ${v.problems.slice(0, 15).join('\n  ')}`,
        );
      }
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        console.log(
          `soak: ${total.schedules}/${indexes.length} schedules, ${cluster.kills} kills, ${total.mutations} mutations, ${total.failed} failed, ${Math.round((Date.now() - started) / 1000)} s`,
        );
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  } finally {
    await store.close();
    await cluster.stop();
    cluster.removeData();
  }
  const secs = Math.round((Date.now() - started) / 1000);
  if (total.failed > 0) console.log(`soak FAILED (${total.failed} schedules) — SEED=${SEED}`);
  console.log(
    `soak took ${secs} s (load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  console.log(
    `${total.schedules} schedules, ${cluster.kills} kills, ${total.mutations} mutations: ${total.lost} lost, ${total.duplicated} duplicated, replicas ${total.differ === 0 ? 'equal' : 'DIFFER'}`,
  );
  process.exitCode = total.failed > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  console.log(`soak aborted — SEED=${SEED}`);
  process.exitCode = 1;
});

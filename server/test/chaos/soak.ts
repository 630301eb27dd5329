/**
 * `pnpm soak`: seeded schedules against two server processes sharing one SQLite file, with
 * SIGKILLs mid-push and tombstone/activity purges at random points. Each schedule is a new org
 * whose replicas write while the network flaps offline/online, deliveries are lost, duplicated
 * and reordered, and tabs restart; a replica whose cursor falls behind a purge is answered 410
 * RESYNC_REQUIRED and resyncs; then every replica syncs and the run is checked
 * (chaos/schedule.ts, chaos/checker.ts). Environment:
 *   SCHEDULES (default 200)  KILLS (default 10)  PURGES (default SCHEDULES / 10)
 *   SEED (default: random, printed)
 *   ONLY=<i>   replay schedule i alone (with the same SEED, SCHEDULES, KILLS and PURGES)
 *   PARALLEL   schedules in flight at once (default 32)
 *   MAX_MINUTES  stop starting new schedules after this long (the final line counts what ran)
 * Ends with one line: `N schedules, N kills, N mutations: N lost, N duplicated, replicas equal|DIFFER`.
 */
import type { OrgId } from '@outpost/shared';
import { compiledEntry } from '../helpers/compiled.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Verdict } from './checker.js';
import { Cluster } from './cluster.js';
import { Purger } from './purges.js';
import { Rng, seedFrom } from './random.js';
import { runSchedule } from './schedule.js';

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
const PURGES = intFrom('PURGES', Math.ceil(SCHEDULES / 10));
const PARALLEL = Math.max(1, intFrom('PARALLEL', 32));
const MAX_MINUTES = intFrom('MAX_MINUTES', 0);
const SEED = seedFrom(process.env['SEED']);
const ONLY = process.env['ONLY'] === undefined ? null : intFrom('ONLY', 0);

/** Schedule i's own stream, so any one schedule can be replayed alone. */
const scheduleRng = (i: number) => new Rng((SEED ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
/** How many of `total` events land in schedule i, spread evenly over SCHEDULES. */
const share = (i: number, total: number) =>
  Math.floor(((i + 1) * total) / SCHEDULES) - Math.floor((i * total) / SCHEDULES);

async function main(): Promise<void> {
  const started = Date.now();
  const indexes = ONLY === null ? Array.from({ length: SCHEDULES }, (_, i) => i) : [ONLY];
  console.log(
    `soak: ${indexes.length} schedules, ${KILLS} kills and ${PURGES} purges planned, SEED=${SEED}${ONLY === null ? '' : ` ONLY=${ONLY}`}, ${PARALLEL} at once`,
  );
  // The compiled server (as `npm start` runs it): a restart after a kill loads no compiler.
  const cluster = await Cluster.start({ processes: 2, entry: compiledEntry() });
  const store = new SqliteStore({ dataDir: cluster.dataDir });
  const purger = new Purger(store);
  const total = {
    schedules: 0,
    mutations: 0,
    lost: 0,
    duplicated: 0,
    differ: 0,
    failed: 0,
    resyncs: 0,
  };
  let next = 0;
  let lastReport = Date.now();
  /** Set when the cluster cannot serve any more (a restart failed): stop, count what ran. */
  let abort: string | null = null;
  const worker = async () => {
    while (next < indexes.length && abort === null) {
      if (MAX_MINUTES > 0 && Date.now() - started > MAX_MINUTES * 60_000) break;
      const i = indexes[next++]!;
      let v: Verdict & { resyncs: number };
      try {
        v = await runSchedule({
          cluster,
          store,
          purger,
          rng: scheduleRng(i),
          orgId: `soak_${SEED}_${i}` as OrgId,
          kill: share(i, KILLS) > 0,
          purges: share(i, PURGES),
        });
      } catch (err) {
        if (String(err).includes('no server process is up')) {
          abort ??= String(err);
          break;
        }
        v = {
          mutations: 0,
          lost: 0,
          duplicated: 0,
          replicasEqual: false,
          problems: [String(err)],
          resyncs: 0,
        };
      }
      total.schedules++;
      total.resyncs += v.resyncs;
      total.mutations += v.mutations;
      total.lost += v.lost;
      total.duplicated += v.duplicated;
      if (!v.replicasEqual) total.differ++;
      if (v.problems.length > 0 || v.lost > 0 || v.duplicated > 0 || !v.replicasEqual) {
        total.failed++;
        console.log(
          `FAILED schedule ${i} — replay: SEED=${SEED} SCHEDULES=${SCHEDULES} KILLS=${KILLS} PURGES=${PURGES} ONLY=${i} pnpm soak\n  ${v.problems.slice(0, 15).join('\n  ')}`,
        );
      }
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        console.log(
          `soak: ${total.schedules}/${indexes.length} schedules, ${cluster.kills} kills, ${purger.purges} purges, ${total.resyncs} resyncs, ${total.mutations} mutations, ${total.failed} failed, ${Math.round((Date.now() - started) / 1000)} s`,
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
  if (abort !== null) {
    total.failed++;
    console.log(`soak ABORTED after ${total.schedules} schedules — ${abort}`);
  }
  if (total.failed > 0) console.log(`soak FAILED (${total.failed} schedules) — SEED=${SEED}`);
  console.log(
    `soak took ${secs} s (load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )}); ${purger.purges} purges (holding the pipeline ${Math.round(purger.stallMs / 1000)} s) removed ${purger.tombstones} tombstones and ${purger.activities} activities; ${total.resyncs} resyncs`,
  );
  console.log(
    `${total.schedules} schedules, ${cluster.kills} kills, ${total.mutations} mutations: ${total.lost} lost, ${total.duplicated} duplicated, replicas ${total.differ === 0 ? 'equal' : 'DIFFER'}`,
  );
  process.exitCode = total.failed > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  console.log(`soak aborted — SEED=${SEED}`);
  // Whatever is left (a server process, a socket) must not keep the run waiting.
  process.exit(1);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgId } from '@outpost/shared';
import { SqliteStore } from '../src/store/sqlite.js';
import { check, checkRebase, type Verdict } from './chaos/checker.js';
import { Cluster } from './chaos/cluster.js';
import { runConcurrent } from './chaos/concurrent.js';
import { Purger } from './chaos/purges.js';
import { Rng, seedFrom } from './chaos/random.js';
import { runSchedule } from './chaos/schedule.js';
import { flush, setUpOrg } from './chaos/workload.js';

/**
 * Checking the checker: the crash test's and the soak's checks, run against a server (or a
 * replica) with one mechanism broken — the duplicate check, the per-org sequence, the rebase,
 * the resync's "never drop pending rows" — must report the failure. One test-only server entry
 * (chaos/faulty-server.ts) breaks a mechanism per org, so one process serves every variant.
 */
const SEED = seedFrom(process.env['SEED']);
let cluster: Cluster;
let store: SqliteStore;
beforeAll(async () => {
  cluster = await Cluster.start({ processes: 1, entry: 'test/chaos/faulty-server.ts' });
  store = new SqliteStore({ dataDir: cluster.dataDir });
}, 200_000);
afterAll(async () => {
  await store?.close();
  await cluster?.stop();
  cluster?.removeData();
});

async function run(variant: string, rebase = true): Promise<Verdict> {
  return runConcurrent({
    cluster,
    store,
    rng: new Rng(SEED),
    orgId: `chk_fault-${variant}_${SEED}` as OrgId,
    kills: 0,
    minSteps: 50,
    rebase,
  });
}

/**
 * A replica falls behind a purge while it holds a task written offline: the admin deletes a
 * shared task and its tombstone is purged before the replica pulls again (410, resync). With
 * `keepsPending` false the replica's resync drops rows the snapshot lacks even when pending.
 */
async function resync(keepsPending: boolean): Promise<Verdict & { resyncs: number }> {
  const orgId = `chk_resync-${keepsPending ? 'kept' : 'dropped'}_${SEED}` as OrgId;
  const purger = new Purger(store);
  const purged = purger.watch(orgId);
  const org = await setUpOrg(cluster, orgId, { resyncKeepsPending: keepsPending });
  const [ana, ben] = org.replicas as [(typeof org.replicas)[0], (typeof org.replicas)[0]];
  ben.online = false;
  ben.createTask(org.projects[0]!, 'written offline');
  ana.deleteTask(ana.liveTasks()[0]!);
  await flush(cluster, [ana]);
  await purger.purge(Date.now() + 1, null);
  ben.online = true;
  await ben.pull(await cluster.anyUrl());
  ben.problems.push(...checkRebase(ben));
  await flush(cluster, org.replicas);
  const v = await check({
    replicas: org.replicas,
    orgId,
    store,
    call: (fn) => cluster.call(fn),
    token: ana.token,
    purged,
  });
  return { ...v, resyncs: ben.resyncs };
}

const why = (v: Verdict) =>
  `seed ${SEED} (rerun with SEED=${SEED})\n${v.problems.slice(0, 10).join('\n')}`;

describe('the chaos checker fails when a mechanism is broken', () => {
  it('control: the same workload on the same test server passes every check', async () => {
    const v = await run('none');
    expect(v.problems, why(v)).toEqual([]);
    expect(v.replicasEqual).toBe(true);
  }, 120_000);

  it('control: soak schedules with purges at random points pass every check', async () => {
    const purger = new Purger(store);
    for (let i = 0; i < 3; i++) {
      const v = await runSchedule({
        cluster,
        store,
        purger,
        rng: new Rng(SEED + i),
        orgId: `chk_fault-none-purges-${i}_${SEED}` as OrgId,
        kill: false,
        purges: 3,
      });
      expect(v.problems, why(v)).toEqual([]);
      expect(v.replicasEqual).toBe(true);
    }
    expect(purger.purges).toBe(9);
  }, 180_000);

  it('control: a replica behind a purge resyncs, keeps its unsent task, and ends equal', async () => {
    const v = await resync(true);
    expect(v.resyncs, why(v)).toBe(1);
    expect(v.problems, why(v)).toEqual([]);
    expect(v.replicasEqual).toBe(true);
  }, 120_000);

  it('a resync that drops pending rows is reported by the rebase invariant', async () => {
    const v = await resync(false);
    expect(v.resyncs, why(v)).toBe(1);
    expect(
      v.problems.some((p) => p.includes('is not base + pending')),
      why(v),
    ).toBe(true);
  }, 120_000);

  it('a replay applied again (no duplicate check) is reported as duplicated', async () => {
    const v = await run('duplicate');
    const twice = v.problems.filter((p) => p.includes('processed twice'));
    expect(v.duplicated + twice.length, why(v)).toBeGreaterThan(0);
  }, 120_000);

  // Replicas may still end equal when a later write to the same row replaced the skipped
  // entry (the log keeps one entry per row), so the gap itself is what must be reported.
  it('a pull that skips a seq (broken per-org sequence) is reported as a gap', async () => {
    const v = await run('sequence');
    expect(
      v.problems.some((p) => p.startsWith('pull from 0')),
      why(v),
    ).toBe(true);
  }, 120_000);

  it('a rebase that drops pending writes is reported by the rebase invariant', async () => {
    const v = await run('rebase', false);
    expect(
      v.problems.some((p) => p.includes('is not base + pending')),
      why(v),
    ).toBe(true);
  }, 120_000);
});

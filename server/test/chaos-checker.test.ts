import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgId } from '@outpost/shared';
import { SqliteStore } from '../src/store/sqlite.js';
import type { Verdict } from './chaos/checker.js';
import { Cluster } from './chaos/cluster.js';
import { runConcurrent } from './chaos/concurrent.js';
import { Rng, seedFrom } from './chaos/random.js';

/**
 * Checking the checker: the crash test's and the soak's checks, run against a server (or a
 * replica) with one mechanism broken, must report the failure. One test-only server entry
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

const why = (v: Verdict) =>
  `seed ${SEED} (rerun with SEED=${SEED})\n${v.problems.slice(0, 10).join('\n')}`;

describe('the chaos checker fails when a mechanism is broken', () => {
  it('control: the same workload on the same test server passes every check', async () => {
    const v = await run('none');
    expect(v.problems, why(v)).toEqual([]);
    expect(v.replicasEqual).toBe(true);
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

import { afterAll, describe, expect, it } from 'vitest';
import type { OrgId } from '@outpost/shared';
import { SqliteStore } from '../src/store/sqlite.js';
import { Cluster } from './chaos/cluster.js';
import { runConcurrent } from './chaos/concurrent.js';
import { Rng, seedFrom } from './chaos/random.js';

/**
 * SIGKILL mid-push: server processes are killed while pushes are in flight and restarted on
 * the same DATA_DIR, while four replicas (an admin, a manager whose clock is 90 minutes behind,
 * a member whose deletes are refused, another manager) write and retry as the protocol says.
 * Seeded: the seed is printed on failure; rerun with SEED=<seed>.
 */
const SEED = seedFrom(process.env['SEED']);
const clusters: Cluster[] = [];
afterAll(async () => {
  for (const c of clusters) {
    await c.stop();
    c.removeData();
  }
});

describe.each([
  { topology: 'two processes on one SQLite file', processes: 2, kills: 2 },
  { topology: 'one process', processes: 1, kills: 2 },
])('crash safety: $topology', ({ processes, kills }) => {
  it('every acknowledged mutation is applied exactly once and every replica equals the server', async () => {
    const rng = new Rng(SEED + processes);
    const cluster = await Cluster.start({ processes });
    clusters.push(cluster);
    const store = new SqliteStore({ dataDir: cluster.dataDir });
    try {
      const v = await runConcurrent({
        cluster,
        store,
        rng,
        orgId: `org_crash_${processes}_${SEED}` as OrgId,
        kills,
        minSteps: 60,
      });
      const summary = `seed ${SEED} (rerun with SEED=${SEED}): ${v.steps} steps, ${cluster.kills} kills, ${v.mutations} mutations, ${v.lost} lost, ${v.duplicated} duplicated\n${v.problems.slice(0, 20).join('\n')}`;
      expect(cluster.kills, summary).toBe(kills);
      expect(v.mutations, summary).toBeGreaterThan(50);
      expect(v.problems, summary).toEqual([]);
      expect(v.lost, summary).toBe(0);
      expect(v.duplicated, summary).toBe(0);
      expect(v.replicasEqual, summary).toBe(true);
    } finally {
      await store.close();
    }
  }, 300_000);
});

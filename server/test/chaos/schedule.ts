import type { OrgId } from '@outpost/shared';
import type { Store } from '../../src/store/types.js';
import { check, checkRebase, type Verdict } from './checker.js';
import type { Cluster } from './cluster.js';
import type { Purger } from './purges.js';
import type { Rng } from './random.js';
import { flush, localWrite, networkStep, setUpOrg, type Step } from './workload.js';

export interface ScheduleOptions {
  cluster: Cluster;
  store: Store;
  purger: Purger;
  rng: Rng;
  orgId: OrgId;
  /** SIGKILL a process while one of this schedule's pushes is on the wire. */
  kill: boolean;
  /** Purge passes at random steps (every org's tombstones; some also purge activities). */
  purges: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One soak schedule: a new org whose replicas write while the network flaps, answers are
 * lost, deliveries are duplicated and reordered and tabs restart; maybe a SIGKILL mid-push and
 * purges at random points (a replica whose cursor falls behind the horizon gets 410 and
 * resyncs). Then everyone syncs and the run is checked. Every request goes through the
 * purger's gate, so purges (here or in a parallel schedule) land between requests.
 */
export async function runSchedule(o: ScheduleOptions): Promise<Verdict & { resyncs: number }> {
  const { cluster, purger, rng } = o;
  const step: Step = (fn) => purger.gate.shared(fn);
  const purged = purger.watch(o.orgId);
  try {
    const org = await setUpOrg(cluster, o.orgId, { step });
    const steps = 6 + rng.int(16);
    const killAt = o.kill ? rng.int(steps) : -1;
    const purgeAt = Array.from({ length: o.purges }, () => rng.int(steps));
    for (let s = 0; s < steps; s++) {
      for (const _ of purgeAt.filter((p) => p === s)) {
        // Every tombstone so far, or only those older than a moment; activities now and then.
        const now = Date.now();
        await purger.purge(now - rng.int(300), rng.chance(0.3) ? now - rng.int(2000) : null);
      }
      const r = rng.pick(org.replicas);
      if (s === killAt) {
        await step(async () => {
          // A push on the wire when its process dies (the answer never comes back).
          if (r.outbox.length === 0) localWrite(r, org, rng);
          r.online = true;
          const url = await cluster.anyUrl();
          const slot = Array.from({ length: cluster.size }, (_, k) => cluster.url(k)).indexOf(url);
          const sent = r.push(url, { size: 1 + rng.int(8) });
          await pause(rng.int(4));
          await cluster.crash(slot);
          await sent;
        });
      } else if (rng.chance(0.45)) localWrite(r, org, rng);
      else await step(() => networkStep(r, cluster, rng));
    }
    // Flushed request by request (purges may land in between: the checks allow for them),
    // then checked with no purge under way.
    await flush(cluster, org.replicas, step);
    return await step(async () => {
      for (const r of org.replicas) r.problems.push(...checkRebase(r));
      const v = await check({
        replicas: org.replicas,
        orgId: o.orgId,
        store: o.store,
        call: (fn) => cluster.call(fn),
        token: org.replicas[0]!.token,
        purged,
      });
      return { ...v, resyncs: org.replicas.reduce((n, r) => n + r.resyncs, 0) };
    });
  } finally {
    purger.unwatch(o.orgId);
  }
}

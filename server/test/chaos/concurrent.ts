import type { OrgId } from '@outpost/shared';
import type { Store } from '../../src/store/types.js';
import { check, type Verdict } from './checker.js';
import type { Cluster } from './cluster.js';
import type { Rng } from './random.js';
import { flush, localWrite, networkStep, setUpOrg } from './workload.js';

export interface ConcurrentOptions {
  cluster: Cluster;
  store: Store;
  rng: Rng;
  orgId: OrgId;
  /** SIGKILLs to land, each while at least one push to that process is in flight. */
  kills: number;
  /** Steps per replica at least (they keep going until every kill has landed). */
  minSteps: number;
  rebase?: boolean;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every replica writes and syncs at once, against random processes of the cluster, while a
 * killer SIGKILLs a process with pushes in flight and restarts it on the same DATA_DIR. Then
 * everyone flushes and the run is checked.
 */
export async function runConcurrent(o: ConcurrentOptions): Promise<Verdict & { steps: number }> {
  const org = await setUpOrg(o.cluster, o.orgId, {
    ...(o.rebase !== undefined ? { rebase: o.rebase } : {}),
  });
  const inFlight = new Array<number>(o.cluster.size).fill(0);
  let killsLeft = o.kills;
  let loopsDone = false;
  let steps = 0;
  const onPush = async (slot: number, send: () => Promise<unknown>) => {
    inFlight[slot]!++;
    try {
      return await send();
    } finally {
      inFlight[slot]!--;
    }
  };

  const killer = (async () => {
    const rng = o.rng.fork();
    while (killsLeft > 0) {
      await pause(50 + rng.int(300));
      // Wait for a push on the wire to a live process, then kill it a moment later (0–3 ms).
      // Restarts run in the background: with two processes the other keeps serving, and a
      // kill may land while the other one is still restarting.
      let slot = -1;
      for (let waited = 0; slot < 0 && waited < 400 && !loopsDone; waited++) {
        slot = inFlight.findIndex((n, i) => n > 0 && o.cluster.url(i) !== null);
        if (slot < 0) await pause(5);
      }
      if (slot < 0) {
        // No push on the wire for a while: kill at a random moment instead.
        await o.cluster.settle();
        slot = rng.int(o.cluster.size);
      }
      await pause(rng.int(4));
      if (o.cluster.url(slot) === null) continue;
      await o.cluster.crash(slot);
      killsLeft--;
    }
    await o.cluster.settle();
  })();

  const loops = org.replicas.map(async (r) => {
    const rng = o.rng.fork();
    for (let i = 0; i < o.minSteps || killsLeft > 0; i++) {
      if (i > o.minSteps * 10) break; // A stuck killer must not keep the test alive.
      steps++;
      if (rng.chance(0.45)) localWrite(r, org, rng);
      else await networkStep(r, o.cluster, rng, onPush);
      // While a process restarts, back off as a client would instead of spinning.
      const anyDown = Array.from({ length: o.cluster.size }, (_, i) => o.cluster.url(i)).includes(
        null,
      );
      await pause(anyDown ? 10 + rng.int(20) : rng.int(3));
    }
  });
  await Promise.all(loops);
  loopsDone = true;
  await killer;
  await flush(o.cluster, org.replicas);
  const verdict = await check({
    replicas: org.replicas,
    orgId: o.orgId,
    store: o.store,
    call: (fn) => o.cluster.call(fn),
    token: org.replicas[0]!.token,
  });
  return { ...verdict, steps };
}

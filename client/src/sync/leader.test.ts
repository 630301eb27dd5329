// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { newClientId, type OrgId } from '@outpost/shared';
import { fakeLocks } from '../../test/helpers/fake-locks';
import { until } from '../../test/helpers/harness';
import { runLeaderElection, type LockManagerLike } from './leader';
import { openReplica, type Replica } from './replica';
import { realTimers } from './timers';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

/** A tab taking part in the election on `replica`, its code speaking `protocolVersion`. */
function tab(
  replica: Replica,
  lock: LockManagerLike | null,
  tabId: string,
  protocolVersion: number,
) {
  const stop = new AbortController();
  let leads = false;
  // Each look at the lease reads the clock: a count of the tab's election rounds.
  let rounds = 0;
  const done = runLeaderElection({
    replica,
    tabId,
    lock,
    now: () => (rounds++, Date.now()),
    timers: realTimers,
    heartbeatMs: 10,
    staleMs: 60_000,
    protocolVersion,
    signal: stop.signal,
    lead: (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
    onChange: (isLeader) => (leads = isLeader),
  });
  const t = {
    done,
    leads: () => leads,
    rounds: () => rounds,
    stop: async () => {
      stop.abort();
      await done;
    },
  };
  stops.push(t.stop);
  return t;
}

/** Until each tab has looked at the lease `n` more times (its election went round). */
async function rounds(n: number, ...tabs: { rounds(): number }[]) {
  const from = tabs.map((t) => t.rounds());
  await until(() => tabs.every((t, i) => t.rounds() >= from[i]! + n), 5_000, `${n} more rounds`);
}

for (const mode of ['web locks', 'meta lease (no Web Locks)'] as const) {
  describe(`leadership across app versions, ${mode}`, () => {
    async function replica() {
      const r = await openReplica({
        userId: `u-${newClientId()}`,
        orgId: 'org_leader' as OrgId,
        sentinel: null,
      });
      stops.push(async () => r.close());
      return r;
    }
    const locks = () => (mode === 'web locks' ? fakeLocks() : null);

    it('a tab of a newer protocol takes over from a leader of an older one, which steps down', async () => {
      const r = await replica();
      const lock = locks();
      const old = tab(r, lock, 'old', 5);
      await until(old.leads, 5_000, 'the old tab to lead');
      const updated = tab(r, lock, 'new', 6);
      await until(updated.leads, 5_000, 'the updated tab to lead');
      await until(() => !old.leads(), 5_000, 'the old tab to step down');
      // And stays the leader: the old tab does not take it back.
      await rounds(5, old, updated);
      expect([old.leads(), updated.leads()]).toEqual([false, true]);
    });

    it('a tab whose database was closed for good (a newer version upgraded it) leaves the election', async () => {
      const r = await replica();
      const t = tab(r, locks(), 'outdated', 6);
      await until(t.leads, 5_000, 'the tab to lead');
      // What db.ts does on `versionchange`.
      r.db.close({ disableAutoOpen: true });
      await t.done;
      expect(t.leads()).toBe(false);
    });

    it('a tab of the same or an older protocol leaves a live leader alone', async () => {
      const r = await replica();
      const lock = locks();
      const leader = tab(r, lock, 'leader', 6);
      await until(leader.leads, 5_000, 'the first tab to lead');
      const same = tab(r, lock, 'same', 6);
      const older = tab(r, lock, 'older', 5);
      await rounds(5, leader, same, older);
      expect([leader.leads(), same.leads(), older.leads()]).toEqual([true, false, false]);
    });
  });
}

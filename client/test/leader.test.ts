// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { describe, expect, it, afterEach } from 'vitest';
import type { EntityId } from '@outpost/shared';
import { MemoryServer, memoryTransport } from './helpers/memory-server';
import { newDevice, openTab, until, type Tab } from './helpers/harness';
import { fakeLocks, freezableTimers } from './helpers/fake-locks';
import type { LockManagerLike } from '@outpost/sync';

const open: Tab[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

const leaders = (tabs: Tab[]) => tabs.filter((t) => t.client.status.getSnapshot().isLeader);

for (const mode of ['web locks', 'meta lease (no Web Locks)'] as const) {
  describe(`multi-tab leadership with ${mode}`, () => {
    async function setup(
      timersFor?: (i: number) => ReturnType<typeof freezableTimers>['timers'] | undefined,
    ) {
      const server = new MemoryServer();
      const user = server.addUser('admin');
      const device = newDevice();
      const lock: LockManagerLike | null = mode === 'web locks' ? fakeLocks() : null;
      const tabs: Tab[] = [];
      for (let i = 0; i < 3; i++) {
        const timers = timersFor?.(i);
        const tab = await openTab(
          device,
          { userId: user.id, orgId: server.orgId },
          memoryTransport(server, user.id),
          {
            lock,
            tabId: `tab${i}`,
            ...(timers ? { timers } : {}),
          },
        );
        tabs.push(tab);
        open.push(tab);
      }
      return { server, user, tabs };
    }

    it('exactly one tab leads; leadership moves when the leader tab closes', async () => {
      const { tabs } = await setup();
      await until(() => leaders(tabs).length === 1, 5_000, 'one leader');
      const first = leaders(tabs)[0]!;
      await first.stop();
      open.splice(open.indexOf(first), 1);
      const rest = tabs.filter((t) => t !== first);
      await until(() => leaders(rest).length === 1, 5_000, 'a new leader');
      expect(leaders(rest)).toHaveLength(1);
    });

    it('a follower takes over from a frozen leader, and the leader steps down when it wakes', async () => {
      const clocks = [freezableTimers(), freezableTimers(), freezableTimers()];
      const { tabs, server, user } = await setup((i) => clocks[i]!.timers);
      await until(() => leaders(tabs).length === 1, 5_000, 'one leader');
      const frozen = leaders(tabs)[0]!;
      const idx = tabs.indexOf(frozen);
      clocks[idx]!.freeze();
      const others = tabs.filter((t) => t !== frozen);
      await until(() => leaders(others).length === 1, 10_000, 'a follower to take over');
      // The new leader syncs a write made in any tab.
      await others[0]!.client.createProject({ name: 'while frozen', ownerId: user.id as EntityId });
      await until(
        () => server.visible('project').length === 1,
        5_000,
        'the write to reach the server',
      );
      clocks[idx]!.thaw();
      await until(
        () => !frozen.client.status.getSnapshot().isLeader,
        5_000,
        'the old leader to step down',
      );
      expect(leaders(tabs)).toHaveLength(1);
    });
  });
}

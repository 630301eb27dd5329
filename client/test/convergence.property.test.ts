// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  newClientId,
  PROTOCOL_VERSION,
  pullResponseSchema,
  type Change,
  type EntityId,
  type Mutation,
  type OrgId,
  type PokeCarried,
  type Role,
  type TaskStatus,
} from '@outpost/shared';
import { SqliteStore } from '../../server/src/store/sqlite';
import { type BaseRow, type SyncTransport, readOutboxEntries } from '@outpost/sync';
import { materialize } from '@outpost/sync/testing';
import { mirrorRows, newDevice, openTab, settled, synced, type Tab } from './helpers/harness';
import {
  deviceTransport,
  serverRows,
  startRealServer,
  type NetworkControls,
  type RealServer,
  type SignedIn,
} from './helpers/real-server';

/**
 * System-level property: K = 3..5 clients of one org, each with its own IndexedDB, against a
 * real server process. Random interleavings of offline edits, deletes (some refused by
 * role), network flaps and syncs; at the end, once everyone has synced, every client's
 * mirror equals the server's state of the org. fast-check prints the seed and the shrunk
 * command list on failure (rerun with `{ seed, path }`).
 */

let server: RealServer;
beforeAll(async () => {
  server = await startRealServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

type Command =
  | { op: 'createTask'; client: number; project: number; title: string }
  | {
      op: 'updateTask';
      client: number;
      pick: number;
      patch: { title?: string; status?: TaskStatus; notes?: string };
    }
  | { op: 'deleteTask'; client: number; pick: number }
  | { op: 'renameProject'; client: number; project: number; name: string }
  | { op: 'offline'; client: number }
  | { op: 'online'; client: number }
  | { op: 'crashAfterPush'; client: number }
  | { op: 'pushDown'; client: number }
  | { op: 'pushUp'; client: number }
  | { op: 'sync'; client: number }
  | { op: 'echoFirst'; client: number }
  | { op: 'answerEcho'; client: number }
  | { op: 'poke'; client: number; lose: number }
  | { op: 'purge' };

const word = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'omega');
const command = (k: number): fc.Arbitrary<Command> => {
  const client = fc.nat({ max: k - 1 });
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('createTask' as const),
        client,
        project: fc.nat({ max: 1 }),
        title: word,
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('updateTask' as const),
        client,
        pick: fc.nat({ max: 20 }),
        patch: fc.record(
          {
            title: word,
            status: fc.constantFrom<TaskStatus>('todo', 'doing', 'done'),
            notes: word,
          },
          { requiredKeys: [] },
        ),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('deleteTask' as const),
        client,
        pick: fc.nat({ max: 20 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('renameProject' as const),
        client,
        project: fc.nat({ max: 1 }),
        name: word,
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('offline' as const), client }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('online' as const), client }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('pushDown' as const), client }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('crashAfterPush' as const), client }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('pushUp' as const), client }) },
    { weight: 5, arbitrary: fc.record({ op: fc.constant('sync' as const), client }) },
    // From now on (or no longer) the device's pushes come back to it on the socket before
    // their answers, as the real server sends them: a push then settles with its echo.
    { weight: 2, arbitrary: fc.record({ op: fc.constant('echoFirst' as const), client }) },
    // From now on (or again) the device's push answers come without their own entries
    // (\`echo\`, protocol 7: an older server, a full socket buffer): it pulls them back.
    { weight: 1, arbitrary: fc.record({ op: fc.constant('answerEcho' as const), client }) },
    // The socket delivers the pokes the tab has not seen, each carrying one push's changes;
    // `lose` < their number drops that one (a gap: the tab must pull).
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant('poke' as const), client, lose: fc.nat({ max: 4 }) }),
    },
    // The retention job at a random point: every tombstone so far is purged.
    { weight: 2, arbitrary: fc.constant({ op: 'purge' as const }) },
  );
};

const scenario = fc.integer({ min: 3, max: 5 }).chain((k) =>
  fc.record({
    k: fc.constant(k),
    roles: fc.array(fc.constantFrom<Role>('admin', 'manager', 'member'), {
      minLength: k - 1,
      maxLength: k - 1,
    }),
    commands: fc.array(command(k), { minLength: 5, maxLength: 25 }),
  }),
);

/** One request at a time across all devices (see `changeLog`). */
function gate() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * Every version of every log entry, as a reference: the server's log is compacted (a row
 * keeps only its latest entry) and purged, so it cannot say what a replica saw at its cursor.
 * Device requests pass one at a time through `serialize`, and after each push the reference
 * copies what it wrote, before anyone can pull or overwrite it.
 */
function changeLog(who: SignedIn) {
  const changes: Change[] = [];
  // What a poke after each push would carry: every log entry the push's catch-up brought.
  const carried: { cursor: number; page: PokeCarried }[] = [];
  const clientId = newClientId();
  const serialize = gate();
  let horizon = 0;
  async function catchUp(): Promise<void> {
    for (;;) {
      const { token } = await who.getToken();
      const res = await fetch(`${server.url}/api/v1/sync/pull`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          protocolVersion: PROTOCOL_VERSION,
          clientId,
          cursor: changes.at(-1)?.seq ?? 0,
          limit: 1000,
          purgeHorizon: horizon,
        }),
      });
      if (!res.ok) throw new Error(`pull: HTTP ${res.status} ${await res.text()}`);
      const page = pullResponseSchema.parse(await res.json());
      changes.push(...page.changes);
      horizon = page.purgeHorizon;
      if (!page.hasMore) return;
    }
  }
  return {
    serialize,
    /**
     * A device's transport whose requests go through the gate, the reference in step. `echo`
     * gets each answered push's poke before the answer is returned (the server's order).
     */
    wrap(
      t: SyncTransport,
      echo?: (cursor: number, page: PokeCarried) => void,
      dropEcho?: () => boolean,
    ): SyncTransport {
      return {
        ...t,
        pull: (req, ctx) => serialize(() => t.pull(req, ctx)),
        push: (req, ctx) =>
          serialize(async () => {
            const from = changes.at(-1)?.seq ?? 0;
            let answered = false;
            try {
              const { echo: own, ...bare } = await t.push(req, ctx);
              answered = true;
              return own && !dropEcho?.() ? { ...bare, echo: own } : bare;
            } finally {
              await catchUp();
              const page = changes.filter((c) => c.seq > from);
              // activityFloor 0: activities are not compared here, so none is dropped.
              if (page.length) {
                const poke = {
                  cursor: page.at(-1)!.seq,
                  page: { from, changes: page, activityFloor: 0 },
                };
                carried.push(poke);
                if (answered) echo?.(poke.cursor, poke.page);
              }
            }
          }),
      };
    },
    /** The pokes after `cursor`, oldest first, without the `lose`-th. */
    pokesAfter(cursor: number, lose: number): { cursor: number; page: PokeCarried }[] {
      return carried.filter((p) => p.cursor > cursor).filter((_, i) => i !== lose);
    },
    async upTo(cursor: number): Promise<Change[]> {
      if ((changes.at(-1)?.seq ?? 0) < cursor) await serialize(catchUp);
      return changes.filter((c) => c.seq <= cursor);
    },
  };
}

/**
 * The rebase invariant, checked after every step: a client's mirror equals the server's
 * state at the client's cursor with the client's outbox re-applied on top.
 */
async function checkRebase(
  tab: Tab,
  log: ReturnType<typeof changeLog>,
  orgId: OrgId,
): Promise<void> {
  const { db } = tab.replica;
  const snap = await db.transaction('r', [db.meta, db.writes, db.tasks, db.projects], async () => ({
    cursor: ((await db.meta.get('cursor'))?.value as number | undefined) ?? 0,
    outbox: await readOutboxEntries(db),
    tasks: await db.tasks.toArray(),
    projects: await db.projects.toArray(),
  }));
  const base = new Map<string, BaseRow>();
  for (const c of await log.upTo(snap.cursor)) {
    if (c.entity === 'task' || c.entity === 'project') {
      base.set(c.entityId, {
        entity: c.entity,
        id: c.entityId,
        row: c.row,
        clocks: c.clocks,
        deleted: c.deleted,
        seq: c.seq,
      });
    }
  }
  const pending = new Map<string, Mutation[]>();
  for (const e of snap.outbox)
    pending.set(e.entityId, [...(pending.get(e.entityId) ?? []), e.mutation]);
  for (const kind of ['task', 'project'] as const) {
    const ids = new Set<string>();
    for (const b of base.values()) if (b.entity === kind) ids.add(b.id);
    for (const e of snap.outbox) if (e.mutation.type.startsWith(`${kind}.`)) ids.add(e.entityId);
    const expected = [...ids]
      .map((id) => materialize(kind, id, orgId, base.get(id), pending.get(id) ?? []))
      .filter((r) => r !== null)
      .sort((a, b) => a.id.localeCompare(b.id));
    const actual = (kind === 'task' ? snap.tasks : snap.projects).sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    expect(
      actual,
      `${kind} mirror of ${tab.replica.userId} = server@${snap.cursor} + outbox`,
    ).toEqual(expected);
  }
}

let run = 0;

describe('convergence (system-level property)', () => {
  it('every client mirror equals the server state after random offline edits, deletes, flaps and syncs', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ k, roles, commands }) => {
        const orgId = `org_prop_${Date.now().toString(36)}_${++run}` as OrgId;
        const tabs: Tab[] = [];
        const nets: NetworkControls[] = [];
        const people: SignedIn[] = [];
        const echoFirst: boolean[] = [];
        const noEcho: boolean[] = [];
        let log: ReturnType<typeof changeLog> | undefined;
        try {
          // Client 0 is an admin who sets up two projects; the others get random roles.
          for (let i = 0; i < k; i++) {
            const role: Role = i === 0 ? 'admin' : roles[i - 1]!;
            const who = await server.signIn({
              email: `p${i}.${orgId}@example.com`.toLowerCase(),
              name: `p${i}`,
              orgId,
              role,
            });
            log ??= changeLog(who);
            const { transport, net } = deviceTransport(server, who);
            const tab = await openTab(
              newDevice(),
              { userId: who.user.id, orgId },
              log.wrap(
                transport,
                (cursor, page) => {
                  if (echoFirst[i]) tabs[i]?.client.poke(cursor, page);
                },
                () => noEcho[i] === true,
              ),
            );
            tabs.push(tab);
            nets.push(net);
            people.push(who);
          }
          const projects = [
            await tabs[0]!.client.createProject({
              name: 'one',
              ownerId: people[0]!.user.id as EntityId,
            }),
            await tabs[0]!.client.createProject({
              name: 'two',
              ownerId: people[0]!.user.id as EntityId,
            }),
          ];
          for (const title of ['seed a', 'seed b', 'seed c'])
            await tabs[0]!.client.createTask({ projectId: projects[0]!, title });
          for (const tab of tabs) await synced(tab);

          for (const c of commands) {
            const tab = tabs['client' in c ? c.client : 0]!;
            const net = nets['client' in c ? c.client : 0]!;
            // Local writes may legitimately fail (the row was deleted meanwhile): ignore those.
            const local = async (f: () => Promise<unknown>) => {
              await f().catch((err: unknown) => {
                if (
                  !(err instanceof Error) ||
                  (err.name !== 'NotFoundError' && err.name !== 'ValidationError')
                )
                  throw err;
              });
            };
            const tasks = await tab.replica.db.tasks.orderBy('id').toArray();
            const picked = tasks.length
              ? tasks[('pick' in c ? c.pick : 0) % tasks.length]
              : undefined;
            switch (c.op) {
              case 'createTask':
                await local(() =>
                  tab.client.createTask({ projectId: projects[c.project]!, title: c.title }),
                );
                break;
              case 'updateTask':
                if (picked && Object.keys(c.patch).length)
                  await local(() => tab.client.updateTask(picked.id, c.patch));
                break;
              case 'deleteTask':
                if (picked) await local(() => tab.client.deleteTask(picked.id));
                break;
              case 'renameProject':
                await local(() => tab.client.updateProject(projects[c.project]!, { name: c.name }));
                break;
              case 'offline':
                net.online = false;
                break;
              case 'online':
                net.online = true;
                tab.client.syncNow();
                break;
              case 'pushDown':
                net.pushDown = true;
                break;
              case 'crashAfterPush':
                // The next push is applied by the server but its answer never arrives, and
                // the device drops offline (only a later pull can tell what happened).
                net.dieAfterNextPush = true;
                break;
              case 'pushUp':
                net.pushDown = false;
                break;
              case 'purge':
                // Another process on the server's file, as the CLI or a second instance's job.
                await log!.serialize(async () => {
                  const store = new SqliteStore({ dataDir: server.dataDir });
                  try {
                    await store.purgeTombstones('9999-12-31T00:00:00.000Z');
                  } finally {
                    await store.close();
                  }
                });
                break;
              case 'poke': {
                // Each applies when it continues the tab's cursor, is skipped when already
                // covered, else the tab pulls: the invariant below holds whichever it does.
                const at = (await tab.replica.db.meta.get('cursor'))?.value as number | undefined;
                for (const p of log!.pokesAfter(at ?? 0, c.lose)) tab.client.poke(p.cursor, p.page);
                break;
              }
              case 'echoFirst':
                echoFirst[c.client] = !echoFirst[c.client];
                break;
              case 'answerEcho':
                noEcho[c.client] = !noEcho[c.client];
                break;
              case 'sync':
                // With pushes failing, the pull still runs: local edits must stay on top.
                if (net.online && (net.pushDown || net.dieAfterNextPush)) await settled(tab);
                else if (net.online) await synced(tab);
                break;
            }
            for (const t of tabs) await checkRebase(t, log!, orgId);
          }

          for (const net of nets) {
            net.online = true;
            net.pushDown = false;
            net.dieAfterNextPush = false;
          }
          // Two rounds: the first gets every outbox to the server, the second brings it all back.
          for (let round = 0; round < 2; round++) for (const tab of tabs) await synced(tab);

          const expectedTasks = await serverRows(server, people[0]!, 'task');
          const expectedProjects = await serverRows(server, people[0]!, 'project');
          for (const tab of tabs) {
            expect((await readOutboxEntries(tab.replica.db)).length).toBe(0);
            expect(await mirrorRows(tab, 'tasks')).toEqual(expectedTasks);
            expect(await mirrorRows(tab, 'projects')).toEqual(expectedProjects);
          }
        } finally {
          await Promise.all(tabs.map((t) => t.stop()));
        }
      }),
      { numRuns: 60, endOnFailure: true },
    );
    // Generous: on shared, loaded cores one run of 60 schedules has taken over 4 minutes.
  }, 600_000);
});

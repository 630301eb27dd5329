import { compareHlc, type EntityId, type OrgId } from '@outpost/shared';
import type { ConflictDetail, Notice, SyncStatus } from '@outpost/sync';
// First: it installs fake-indexeddb's globals, which Dexie (loaded by @outpost/sync) reads
// when it loads (liveQuery does nothing without them).
import { openDevice, SLOW_SYNC_MS, type Device } from './device';
import { readOutboxEntries } from '@outpost/sync';
import { signIn } from './sign-in';
import { readState, until, untilStatus, type ReplicaState } from './watch';

export interface ExampleResult {
  /** The final state of each client's replica (rows in id order, outbox count). */
  ada: ReplicaState;
  grace: ReplicaState;
  /** The title both ended with after the conflicting offline edits, and whose it was. */
  conflict: { winner: 'Ada' | 'Grace'; title: string };
}

const synced = (s: ReplicaState) => s.outbox === 0;
const sameRows = (a: ReplicaState, b: ReplicaState) =>
  JSON.stringify([a.projects, a.tasks]) === JSON.stringify([b.projects, b.tasks]);

/**
 * The story: two users of one org, each with a client of `@outpost/sync` on its own device.
 * Ada writes offline and syncs; Grace receives it live (poke socket); Grace's change reaches
 * Ada live; both rename one task offline and the merge rules pick the winner; both end with
 * the same replica. Throws if anything does not happen as the protocol promises.
 */
export async function runExample(
  baseUrl: string,
  log: (line: string) => void = console.log,
): Promise<ExampleResult> {
  const t0 = Date.now();
  const say = (line: string) => log(`[${((Date.now() - t0) / 1000).toFixed(2)}s] ${line}`);
  // A fresh org per run, so the example can run again against the same server.
  const run = Date.now().toString(36);
  const orgId = `org_example_${run}` as OrgId;

  say(`signing in two users of org ${orgId} at ${baseUrl} (dev tokens)`);
  const adaLogin = await signIn(baseUrl, {
    email: `ada.${run}@example.com`,
    name: 'Ada',
    orgId,
    role: 'admin',
  });
  const graceLogin = await signIn(baseUrl, {
    email: `grace.${run}@example.com`,
    name: 'Grace',
    orgId,
    role: 'member',
  });
  const ada = await openDevice(baseUrl, 'Ada', adaLogin);
  const grace = await openDevice(baseUrl, 'Grace', graceLogin);
  const both = [ada.replica, grace.replica];
  try {
    const firstSync = (s: SyncStatus) => s.lastSyncedAt !== null;
    await untilStatus(ada.client, firstSync, "Ada's first sync");
    await untilStatus(grace.client, firstSync, "Grace's first sync");
    say('Ada (admin) and Grace (member) are synced; each process-local client is its own leader');

    // 1. Offline writes on one client.
    ada.network.set(false);
    say('Ada goes offline');
    const projectId = await ada.client.createProject({ name: 'Launch', ownerId: ada.user.id });
    const taskIds = await ada.client.createTasks([
      { projectId, title: 'Write the announcement' },
      { projectId, title: 'Record the demo' },
      { projectId, title: 'Update the pricing page' },
    ]);
    const [adaOffline] = await until(
      [ada.replica],
      ([s]) => s!.tasks.length === 3,
      'Ada sees her 3 tasks',
    );
    say(
      `Ada wrote 1 project + 3 tasks offline: visible locally at once, ${adaOffline!.outbox} writes queued in her outbox`,
    );
    say(
      `Grace sees ${(await readState(grace.replica)).tasks.length} tasks (nothing has reached the server)`,
    );

    // 2. Sync, and the other client receives it live.
    const wentOnline = Date.now();
    ada.network.set(true);
    say('Ada comes back online: her engine pushes the outbox');
    await until(
      [ada.replica],
      ([s]) => synced(s!),
      "Ada's outbox is empty (pushed, acked by a pull)",
    );
    say("Ada's writes are on the server (outbox empty)");
    await until([grace.replica], ([s]) => s!.tasks.length === 3, "Grace receives Ada's tasks");
    say(
      `Grace received the 3 tasks live, ${Date.now() - wentOnline} ms after Ada went online (a poke: her background resync is every ${SLOW_SYNC_MS / 60_000} min)`,
    );

    // 3. A change the other way, live as well.
    const [first, second] = taskIds as [EntityId, EntityId];
    await grace.client.updateTask(second, { status: 'doing' });
    say('Grace (online) marks "Record the demo" as doing');
    await until(
      [ada.replica],
      ([s]) => s!.tasks.find((t) => t.id === second)?.status === 'doing',
      "Ada sees Grace's status change",
    );
    say("Ada sees Grace's change live (poke → pull)");

    // 4. A conflict: both rename one task while offline.
    ada.network.set(false);
    grace.network.set(false);
    say('Both go offline');
    await ada.client.updateTask(first, { title: 'Announce the launch (Ada)' });
    say('Ada renames "Write the announcement" → "Announce the launch (Ada)"');
    await grace.client.updateTask(first, { title: 'Launch blog post (Grace)' });
    say('Grace renames the same task → "Launch blog post (Grace)" (a moment later)');
    const adaHlc = await pendingHlc(ada, first);
    const graceHlc = await pendingHlc(grace, first);
    // The merge rule (shared/src/merge.ts): per field, the write with the greater HLC wins; an
    // HLC ends in the writer's client id, which breaks a tie of equal times.
    const winner = compareHlc(adaHlc, graceHlc) > 0 ? 'Ada' : 'Grace';
    const title = winner === 'Ada' ? 'Announce the launch (Ada)' : 'Launch blog post (Grace)';
    say(`their clocks: Ada ${adaHlc}, Grace ${graceHlc}`);

    grace.network.set(true);
    await until([grace.replica], ([s]) => synced(s!), "Grace's rename is on the server");
    say('Grace comes online first and syncs her rename');
    ada.network.set(true);
    say('Ada comes online second: her rename reaches the server last');
    const [adaEnd, graceEnd] = await until(
      both,
      ([a, g]) => synced(a!) && synced(g!) && sameRows(a!, g!),
      'both replicas synced and equal',
    );
    const finalTitle = adaEnd!.tasks.find((t) => t.id === first)?.title;
    say(
      `merge rule: per field the later HLC wins, not the later push → ${winner}'s title wins: "${finalTitle}"`,
    );
    if (finalTitle !== title)
      throw new Error(
        `expected ${winner}'s title "${title}" to win, both replicas show "${finalTitle}"`,
      );
    const conflictNotices = (d: Device) =>
      d.client.notices.getSnapshot().filter((n: Notice) => n.kind === 'conflict');
    for (const d of [ada, grace])
      for (const n of conflictNotices(d)) {
        // A notice is facts, not words (the PWA words them): say which of this device's values lost.
        const c = n.detail as ConflictDetail;
        say(
          `${d.name}'s conflict notice: its ${c.entity} ${c.field} ${JSON.stringify(c.mine)} lost`,
        );
      }

    // 5. The converged state, printed by each client from its own replica.
    for (const [name, s] of [
      ['Ada', adaEnd!],
      ['Grace', graceEnd!],
    ] as const) {
      say(`${name}'s replica:`);
      for (const p of s.projects) log(`    project ${p.id}  "${p.name}"  v${p.version}`);
      for (const t of s.tasks) log(`    task    ${t.id}  "${t.title}"  ${t.status}  v${t.version}`);
    }
    const identical = sameRows(adaEnd!, graceEnd!);
    say(
      identical ? 'converged: both replicas are identical' : 'NOT converged: the replicas differ',
    );
    return { ada: adaEnd!, grace: graceEnd!, conflict: { winner, title } };
  } finally {
    await Promise.all([ada.stop(), grace.stop()]);
  }
}

/** The HLC of the client's queued (unsent) write to `taskId`. */
async function pendingHlc(device: Device, taskId: string): Promise<string> {
  const entries = await readOutboxEntries(device.replica.db);
  const last = entries.filter((e) => e.entityId === taskId).at(-1);
  if (!last) throw new Error(`${device.name} has no queued write to ${taskId}`);
  return last.mutation.hlc;
}

import {
  compareHlc,
  mutationEntity,
  mutationKind,
  newClientId,
  PROTOCOL_VERSION,
  pullResponseSchema,
  stableStringify,
  type Change,
  type Mutation,
  type OrgId,
} from '@outpost/shared';
import type { Store } from '../../src/store/types.js';
import { postJson } from './http.js';
import type { PurgeRecord } from './purges.js';
import { applyMutationTo, heldFromChange, type Held, type SimReplica } from './replica.js';

/** What a run of replicas against a server came to. */
export interface Verdict {
  mutations: number;
  /** Acknowledged mutations whose effect (or refusal) the server does not show. */
  lost: number;
  /** Extra applications of a mutation (a second activity for one client id + mutation id). */
  duplicated: number;
  /** Every replica's mirror equals the server's rows. */
  replicasEqual: boolean;
  problems: string[];
}

/**
 * The documented outcome of a mutation in these workloads: members may not delete tasks
 * (docs/protocol.md, role table); everything else the workloads send is valid (replicas only
 * edit rows they hold, projects are never deleted, clocks are never a day ahead).
 */
export function expectedStatus(r: SimReplica, m: Mutation): 'applied' | 'rejected' {
  return r.role === 'member' && mutationKind(m) === 'delete' && mutationEntity(m) === 'task'
    ? 'rejected'
    : 'applied';
}

/**
 * The oracle: every applied mutation folded with the shared merge rules (shared/src/merge.ts).
 * The merge is order-independent, so the order they are folded in does not matter.
 */
export function modelRows(
  replicas: readonly SimReplica[],
  /** Mutations refused because their row had been purged first (`client#id`). */
  refused: ReadonlySet<string> = new Set(),
): Map<string, Held> {
  const rows = new Map<string, Held>();
  for (const r of replicas)
    for (const m of r.journal)
      if (expectedStatus(r, m) === 'applied' && !refused.has(`${r.clientId}#${m.id}`))
        rows.set(m.entityId, applyMutationTo(rows.get(m.entityId), m));
  return rows;
}

function sameHeld(a: Held | undefined, b: Held | undefined): boolean {
  return stableStringify(a ?? null) === stableStringify(b ?? null);
}

/** The rebase invariant: a replica shows its base with its pending outbox re-applied. */
export function checkRebase(r: SimReplica): string[] {
  const ids = new Set<string>([...r.base.keys(), ...r.outbox.map((m) => m.entityId)]);
  const problems: string[] = [];
  for (const id of new Set([...ids, ...r.mirror.keys()])) {
    let expected = r.base.get(id);
    for (const m of r.outbox) if (m.entityId === id) expected = applyMutationTo(expected, m);
    if (!sameHeld(r.mirror.get(id), expected))
      problems.push(
        `${r.name}: mirror row ${id} is not base + pending (${r.outbox.filter((m) => m.entityId === id).length} pending)`,
      );
  }
  return problems;
}

/** The org's rows (live and tombstoned) as the server's file holds them. */
export async function storeRows(store: Store, orgId: OrgId): Promise<Map<string, Held>> {
  const out = new Map<string, Held>();
  for (const entity of ['project', 'task'] as const) {
    let afterId: string | null = null;
    for (;;) {
      const page = await store.listRows({
        orgId,
        entity,
        filter: {},
        afterId,
        limit: 1000,
        includeDeleted: true,
      });
      for (const row of page) {
        const held = heldFromChange({
          seq: row.version,
          entity,
          entityId: row.id,
          row: row.data,
          clocks: row.clocks,
          deleted: row.deleted,
        } as unknown as Change);
        if (held) out.set(row.id, held);
      }
      if (page.length < 1000) break;
      afterId = page.at(-1)!.id;
    }
  }
  return out;
}

/** Every activity of the org the file still holds. */
export async function activitiesOf(store: Store, orgId: OrgId): Promise<Change[]> {
  const activities = await store.activities(orgId, {
    afterSeq: 0,
    limit: Number.MAX_SAFE_INTEGER,
  });
  return activities as unknown as Change[];
}

/** The compacted log (one entry per row) and every activity, in seq order. */
async function allChanges(store: Store, orgId: OrgId): Promise<Change[]> {
  const rows = (await store.changes(orgId, 0, Number.MAX_SAFE_INTEGER)) as unknown as Change[];
  return [...rows, ...(await activitiesOf(store, orgId))].sort((a, b) => a.seq - b.seq);
}

/**
 * Pulls the whole log from cursor 0 over HTTP in small pages, as a new device would; with the
 * activity window's floor (activities below it are not sent to a new device).
 */
async function pullFromZero(
  url: string,
  token: string,
): Promise<{ changes: Change[]; activityFloor: number }> {
  const clientId = newClientId();
  const out: Change[] = [];
  let cursor = 0;
  for (;;) {
    const res = await postJson(
      `${url}/api/v1/sync/pull`,
      { protocolVersion: PROTOCOL_VERSION, clientId, cursor, limit: 97 },
      token,
    );
    if (res.status !== 200)
      throw new Error(`pull from 0: HTTP ${res.status} ${JSON.stringify(res.json)}`);
    const page = pullResponseSchema.parse(res.json);
    out.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes: out, activityFloor: page.activityFloor };
  }
}

/**
 * Checks a finished run (every replica flushed: outbox sent, pulled to the head) against the
 * server's SQLite file, read directly (not through the code under test's pull path):
 * - every mutation was acknowledged and applied exactly once, or refused exactly once, as the
 *   documented rules say; push results and activities agree;
 * - the server's rows equal the model's (shared merge rules over every applied mutation);
 * - a pull from cursor 0 returns the stored log, entry for entry (no gap, nothing extra);
 * - every replica's mirror equals the server's rows.
 * With purges (`purged`: what they removed, recorded as they ran): a purged row is checked
 * against its last state (which the model must equal), an edit or delete that reached it after
 * the purge may be refused `not_found` (and is then left out of the model), purged activities
 * still count, and a replica may keep a purged row only as that same tombstone.
 */
export async function check(input: {
  replicas: readonly SimReplica[];
  orgId: OrgId;
  store: Store;
  /** Runs a request against a live server process (retrying when one is killed). */
  call: <T>(fn: (url: string) => Promise<T>) => Promise<T>;
  token: string;
  purged?: PurgeRecord;
}): Promise<Verdict> {
  const { replicas, orgId, store } = input;
  const purged = input.purged ?? { rows: new Map<string, Held>(), activities: new Map() };
  const problems: string[] = replicas.flatMap((r) => r.problems);
  let lost = 0;
  let duplicated = 0;
  let mutations = 0;

  const log = await allChanges(store, orgId);
  const server = await storeRows(store, orgId);
  /** Rows purged since they were written: gone from the file, last state as recorded. */
  const gone = new Map([...purged.rows].filter(([id]) => !server.has(id)));
  const counted = new Map<number, Change>(purged.activities);
  for (const c of log) if (c.entity === 'activity') counted.set(c.seq, c);
  const counts = new Map<string, number>();
  const byClient = new Map(replicas.map((r) => [r.clientId as string, r]));
  for (const c of counted.values()) {
    if (c.entity !== 'activity') continue;
    const a = c.row as unknown as {
      clientId: string | null;
      mutationId: number | null;
      action: string;
    };
    if (a.clientId === null || a.mutationId === null || !byClient.has(a.clientId)) continue;
    const key = `${a.clientId}#${a.mutationId}:${a.action}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const r = byClient.get(a.clientId)!;
    if (a.mutationId > r.journal.length)
      problems.push(`${r.name}: activity ${a.action} for mutation ${a.mutationId} it never made`);
  }
  for (const [key, n] of counts) {
    if (n > 1) {
      duplicated += n - 1;
      problems.push(`activity ${key} recorded ${n} times`);
    }
  }

  const refused = new Set<string>();
  for (const r of replicas) {
    const client = await store.getClient(r.clientId);
    const processed = client?.lastMutationId ?? 0;
    if (processed !== r.journal.length)
      problems.push(`${r.name}: server processed ${processed} of ${r.journal.length} mutations`);
    for (const m of r.journal) {
      mutations++;
      const key = (action: string) => counts.get(`${r.clientId}#${m.id}:${action}`) ?? 0;
      let expected = expectedStatus(r, m);
      // Sent after its row was purged: refused as not found, which is the documented outcome.
      if (expected === 'applied' && gone.has(m.entityId) && key('rejected') > 0) {
        expected = 'rejected';
        refused.add(`${r.clientId}#${m.id}`);
      }
      const answered = r.results.get(m.id);
      if (answered && answered.status !== expected)
        problems.push(
          `${r.name}#${m.id} ${m.type}: answered ${answered.status}, expected ${expected}`,
        );
      if (expected === 'rejected') {
        if (key('rejected') === 0) {
          lost++;
          problems.push(`${r.name}#${m.id} ${m.type}: acknowledged but no rejection recorded`);
        }
        continue;
      }
      if (key('rejected') > 0)
        problems.push(`${r.name}#${m.id} ${m.type}: recorded as rejected, expected applied`);
      const row = server.get(m.entityId) ?? gone.get(m.entityId);
      let missing = !row;
      if (row && mutationKind(m) === 'delete')
        missing = row.state.deleted === null || compareHlc(row.state.deleted, m.hlc) < 0;
      else if (row)
        for (const f of Object.keys((m as { fields: object }).fields)) {
          const clock = row.state.clocks[f];
          if (clock === undefined || compareHlc(clock, m.hlc) < 0) missing = true;
        }
      if (mutationKind(m) === 'create' && key('create') === 0) missing = true;
      if (missing) {
        lost++;
        problems.push(`${r.name}#${m.id} ${m.type} ${m.entityId}: applied but not on the server`);
      }
    }
  }

  const model = modelRows(replicas, refused);
  const held = new Map([...gone, ...server]);
  for (const id of new Set([...model.keys(), ...held.keys()]))
    if (!sameHeld(model.get(id), held.get(id)))
      problems.push(
        `row ${id}: server${gone.has(id) ? ' (purged)' : ''} ${stableStringify(held.get(id) ?? null)} ≠ model ${stableStringify(model.get(id) ?? null)}`,
      );
  for (const [id, row] of gone)
    if (row.state.deleted === null) problems.push(`row ${id}: purged while live`);

  const { changes: pulled, activityFloor } = await input.call((url) =>
    pullFromZero(url, input.token),
  );
  // What a new device is sent: every row, and the activities of the window (docs/protocol.md).
  const sendable = log.filter((c) => c.entity !== 'activity' || c.seq >= activityFloor);
  const seqs = (cs: Change[]) => cs.map((c) => `${c.seq}:${c.entityId}`).join(',');
  if (seqs(pulled) !== seqs(sendable))
    problems.push(
      `pull from 0 returned ${pulled.length} changes, the stored log has ${sendable.length} to send: ${
        sendable.filter((c) => !pulled.some((p) => p.seq === c.seq)).length
      } missing`,
    );
  for (let i = 1; i < pulled.length; i++)
    if (pulled[i]!.seq <= pulled[i - 1]!.seq)
      problems.push(`pull from 0: seq out of order at ${i}`);

  let replicasEqual = true;
  for (const r of replicas) {
    if (r.outbox.length > 0) problems.push(`${r.name}: ${r.outbox.length} mutations never sent`);
    for (const id of new Set([...server.keys(), ...r.mirror.keys()])) {
      // A purged row: dropped by a resync, or still the tombstone this replica pulled last.
      if (gone.has(id) && !r.mirror.has(id)) continue;
      if (!sameHeld(server.get(id) ?? gone.get(id), r.mirror.get(id))) {
        replicasEqual = false;
        problems.push(`${r.name}: mirror row ${id} differs from the server`);
      }
    }
  }
  return { mutations, lost, duplicated, replicasEqual, problems };
}

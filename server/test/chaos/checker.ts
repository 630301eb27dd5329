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
export function modelRows(replicas: readonly SimReplica[]): Map<string, Held> {
  const rows = new Map<string, Held>();
  for (const r of replicas)
    for (const m of r.journal)
      if (expectedStatus(r, m) === 'applied')
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

async function storeRows(store: Store, orgId: OrgId): Promise<Map<string, Held>> {
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

/** The compacted log (one entry per row) and every activity, in seq order. */
async function allChanges(store: Store, orgId: OrgId): Promise<Change[]> {
  const rows = await store.changes(orgId, 0, Number.MAX_SAFE_INTEGER);
  const activities = await store.activities(orgId, {
    afterSeq: 0,
    limit: Number.MAX_SAFE_INTEGER,
  });
  return [...rows, ...activities].sort((a, b) => a.seq - b.seq) as unknown as Change[];
}

/** Pulls the whole log from cursor 0 over HTTP in small pages, as a new device would. */
async function pullFromZero(url: string, token: string): Promise<Change[]> {
  const clientId = newClientId();
  const out: Change[] = [];
  let cursor = 0;
  for (;;) {
    const res = await fetch(`${url}/api/v1/sync/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientId, cursor, limit: 97 }),
    });
    if (!res.ok) throw new Error(`pull from 0: HTTP ${res.status} ${await res.text()}`);
    const page = pullResponseSchema.parse(await res.json());
    out.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return out;
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
 */
export async function check(input: {
  replicas: readonly SimReplica[];
  orgId: OrgId;
  store: Store;
  /** Runs a request against a live server process (retrying when one is killed). */
  call: <T>(fn: (url: string) => Promise<T>) => Promise<T>;
  token: string;
}): Promise<Verdict> {
  const { replicas, orgId, store } = input;
  const problems: string[] = replicas.flatMap((r) => r.problems);
  let lost = 0;
  let duplicated = 0;
  let mutations = 0;

  const log = await allChanges(store, orgId);
  const server = await storeRows(store, orgId);
  const counts = new Map<string, number>();
  const byClient = new Map(replicas.map((r) => [r.clientId as string, r]));
  for (const c of log) {
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

  for (const r of replicas) {
    const client = await store.getClient(r.clientId);
    const processed = client?.lastMutationId ?? 0;
    if (processed !== r.journal.length)
      problems.push(`${r.name}: server processed ${processed} of ${r.journal.length} mutations`);
    for (const m of r.journal) {
      mutations++;
      const expected = expectedStatus(r, m);
      const key = (action: string) => counts.get(`${r.clientId}#${m.id}:${action}`) ?? 0;
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
      const row = server.get(m.entityId);
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

  const model = modelRows(replicas);
  for (const id of new Set([...model.keys(), ...server.keys()]))
    if (!sameHeld(model.get(id), server.get(id)))
      problems.push(
        `row ${id}: server ${stableStringify(server.get(id) ?? null)} ≠ model ${stableStringify(model.get(id) ?? null)}`,
      );

  const pulled = await input.call((url) => pullFromZero(url, input.token));
  const seqs = (cs: Change[]) => cs.map((c) => `${c.seq}:${c.entityId}`).join(',');
  if (seqs(pulled) !== seqs(log))
    problems.push(
      `pull from 0 returned ${pulled.length} changes, the stored log has ${log.length}: ${
        log.filter((c) => !pulled.some((p) => p.seq === c.seq)).length
      } missing`,
    );
  for (let i = 1; i < pulled.length; i++)
    if (pulled[i]!.seq <= pulled[i - 1]!.seq)
      problems.push(`pull from 0: seq out of order at ${i}`);

  let replicasEqual = true;
  for (const r of replicas) {
    if (r.outbox.length > 0) problems.push(`${r.name}: ${r.outbox.length} mutations never sent`);
    for (const id of new Set([...server.keys(), ...r.mirror.keys()])) {
      if (!sameHeld(server.get(id), r.mirror.get(id))) {
        replicasEqual = false;
        problems.push(`${r.name}: mirror row ${id} differs from the server`);
      }
    }
  }
  return { mutations, lost, duplicated, replicasEqual, problems };
}

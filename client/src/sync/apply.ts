import {
  compareHlc,
  HybridLogicalClock,
  type Change,
  type HlcString,
  type Mutation,
  type PullResponse,
  type PushResponse,
} from '@outpost/shared';
import type { BaseRow, OutboxEntry, WritableKind } from './db';
import { getMeta } from './meta';
import { clocked, kindOf, materialize } from './records';
import type { Replica } from './replica';

/**
 * Everything the sync loop writes to the database. Each function is one transaction, so a
 * crash leaves either the old or the new state, never half of a page or half of an ack.
 */

type EntityRef = { kind: WritableKind; id: string };

/** Both mirror tables through one shape (ids are branded in the row types; keys are plain here). */
interface MirrorTable {
  bulkPut(rows: unknown[]): Promise<unknown>;
  bulkDelete(keys: string[]): Promise<void>;
}

function mirrorOf(replica: Replica, kind: WritableKind): MirrorTable {
  return (kind === 'project' ? replica.db.projects : replica.db.tasks) as unknown as MirrorTable;
}

/**
 * Recomputes mirror rows after their pending mutations changed (call inside a transaction).
 * A row left without pending mutations drops its base entry: its mirror row is the server row.
 */
async function rematerialize(
  replica: Replica,
  refs: Iterable<EntityRef>,
  pendingByEntity?: Map<string, Mutation[]>,
): Promise<void> {
  const { db } = replica;
  const puts: Record<WritableKind, unknown[]> = { project: [], task: [] };
  const deletes: Record<WritableKind, string[]> = { project: [], task: [] };
  const clean: [WritableKind, string][] = [];
  const list = [...refs];
  const bases = await db.base.bulkGet(list.map((r) => [r.kind, r.id] as [WritableKind, string]));
  for (let i = 0; i < list.length; i++) {
    const { kind, id } = list[i]!;
    const pending =
      pendingByEntity?.get(id) ??
      (await db.outbox.where('entityId').equals(id).sortBy('mutationId')).map((e) => e.mutation);
    // No base entry while mutations were pending means the server never had this row
    // (a local create not yet pulled back): its server state is empty.
    const row = materialize(kind, id, replica.orgId, bases[i], pending);
    if (row) puts[kind].push(row);
    else deletes[kind].push(id);
    if (pending.length === 0 && bases[i]) clean.push([kind, id]);
  }
  for (const kind of ['project', 'task'] as const) {
    if (puts[kind].length) await mirrorOf(replica, kind).bulkPut(puts[kind]);
    if (deletes[kind].length) await mirrorOf(replica, kind).bulkDelete(deletes[kind]);
  }
  if (clean.length) await db.base.bulkDelete(clean);
}

function uniqueRefs(refs: EntityRef[]): EntityRef[] {
  const seen = new Map<string, EntityRef>();
  for (const r of refs) seen.set(`${r.kind}:${r.id}`, r);
  return [...seen.values()];
}

async function foldClock(
  replica: Replica,
  now: () => number,
  clocks: Iterable<HlcString>,
): Promise<void> {
  let max: HlcString | null = null;
  for (const c of clocks) if (max === null || compareHlc(c, max) > 0) max = c;
  if (max === null) return;
  const clock = new HybridLogicalClock(
    replica.clientId,
    { now },
    await getMeta(replica.db, 'lastHlc'),
  );
  await replica.db.meta.put({ key: 'lastHlc', value: clock.receive(max) });
}

/**
 * Applies one pulled page in its own transaction: server rows into the mirror (or, for rows
 * with pending local mutations, into `base` and rebased), the read-only tables, then the
 * cursor. `reset` first clears everything the server owns (a pull from 0 after recovery).
 */
export async function applyPullPage(
  replica: Replica,
  page: PullResponse,
  options: { reset: boolean; now: () => number },
): Promise<void> {
  const { db } = replica;
  await db.transaction(
    'rw',
    [db.base, db.projects, db.tasks, db.users, db.activities, db.outbox, db.meta],
    async () => {
      if (options.reset) {
        await Promise.all([
          db.base.clear(),
          db.projects.clear(),
          db.tasks.clear(),
          db.users.clear(),
          db.activities.clear(),
        ]);
      }
      // Later changes of one row supersede earlier ones in the same page (each is a full state).
      const latest = new Map<string, Change>();
      for (const c of page.changes) latest.set(`${c.entity}:${c.entityId}`, c);
      const serverRows: BaseRow[] = [];
      const users: Change[] = [];
      const activities: Change[] = [];
      const clocks: HlcString[] = [];
      for (const c of latest.values()) {
        switch (c.entity) {
          case 'project':
          case 'task':
            serverRows.push({
              entity: c.entity,
              id: c.entityId,
              row: c.row,
              clocks: c.clocks,
              deleted: c.deleted,
              seq: c.seq,
            });
            clocks.push(...Object.values(c.clocks));
            if (c.deleted) clocks.push(c.deleted);
            break;
          case 'user':
            users.push(c);
            break;
          case 'activity':
            activities.push(c);
            break;
        }
      }
      await putOrDelete(db.users, users);
      await putOrDelete(db.activities, activities);

      // Rows with pending local mutations keep the server state in `base` and are rebased;
      // every other row is written once, straight into the mirror (the initial-sync path).
      const pending =
        (await db.outbox.count()) === 0
          ? new Map<string, Mutation[]>()
          : groupPending(await db.outbox.orderBy('mutationId').toArray());
      const rebased = serverRows.filter((b) => pending.has(b.id));
      const plain = pending.size === 0 ? serverRows : serverRows.filter((b) => !pending.has(b.id));
      for (const kind of ['project', 'task'] as const) {
        const rows = plain.filter((b) => b.entity === kind);
        const live = rows.filter((b) => b.deleted === null).map((b) => clocked(b.row, b.clocks));
        const dead = rows.filter((b) => b.deleted !== null).map((b) => b.id);
        if (live.length) await mirrorOf(replica, kind).bulkPut(live);
        if (dead.length) await mirrorOf(replica, kind).bulkDelete(dead);
      }
      if (rebased.length) {
        await db.base.bulkPut(rebased);
        await rematerialize(
          replica,
          rebased.map((b) => ({ kind: b.entity, id: b.id })),
          pending,
        );
      }
      await foldClock(replica, options.now, clocks);
      await db.meta.put({ key: 'cursor', value: page.cursor });
    },
  );
}

async function putOrDelete(table: unknown, changes: Change[]) {
  const t = table as MirrorTable;
  const live = changes.filter((c) => c.deleted === null).map((c) => c.row);
  const dead = changes.filter((c) => c.deleted !== null).map((c) => c.entityId);
  if (live.length) await t.bulkPut(live);
  if (dead.length) await t.bulkDelete(dead);
}

function groupPending(entries: OutboxEntry[]): Map<string, Mutation[]> {
  const byEntity = new Map<string, Mutation[]>();
  for (const e of entries) {
    const list = byEntity.get(e.entityId);
    if (list) list.push(e.mutation);
    else byEntity.set(e.entityId, [e.mutation]);
  }
  return byEntity;
}

/**
 * Records a push answer. Rejected mutations leave the outbox at once and their rows are
 * rebased (rolling back the optimistic effect). Applied/duplicate ones are marked acked but
 * kept until a pull brings their effect into `base` (re-applying them is idempotent), so the
 * UI never flickers back to the old value in between.
 */
export async function applyPushResponse(
  replica: Replica,
  res: PushResponse,
): Promise<{ rejected: OutboxEntry[] }> {
  const { db } = replica;
  return db.transaction('rw', [db.outbox, db.base, db.projects, db.tasks], async () => {
    const acked = await db.outbox.where('mutationId').belowOrEqual(res.lastMutationId).toArray();
    const rejectedIds = new Set(
      res.results.filter((r) => r.status === 'rejected').map((r) => r.id as number),
    );
    const rejected = acked.filter((e) => rejectedIds.has(e.mutationId));
    const kept = acked.filter((e) => !rejectedIds.has(e.mutationId) && e.ackedCursor === null);
    if (rejected.length) await db.outbox.bulkDelete(rejected.map((e) => e.mutationId));
    if (kept.length)
      await db.outbox.bulkPut(
        kept.map((e) => ({ ...e, ackedCursor: res.cursor, acked: 1 as const })),
      );
    if (rejected.length)
      await rematerialize(
        replica,
        uniqueRefs(rejected.map((e) => ({ kind: kindOf(e.mutation), id: e.entityId }))),
      );
    return { rejected };
  });
}

/**
 * After a complete pull: every mutation the server has processed (id ≤ lastMutationId) is in
 * `base` now, so it leaves the outbox; the affected rows are rebased. Also covers a crash
 * between push and ack — the pull alone acknowledges.
 */
export async function ackThrough(replica: Replica, lastMutationId: number): Promise<OutboxEntry[]> {
  const { db } = replica;
  return db.transaction('rw', [db.outbox, db.base, db.projects, db.tasks], async () => {
    const done = await db.outbox.where('mutationId').belowOrEqual(lastMutationId).toArray();
    if (done.length === 0) return done;
    await db.outbox.bulkDelete(done.map((e) => e.mutationId));
    await rematerialize(
      replica,
      uniqueRefs(done.map((e) => ({ kind: kindOf(e.mutation), id: e.entityId }))),
    );
    return done;
  });
}

/** Entries still to send (not acked), oldest first. */
export async function unsentBatch(replica: Replica, max: number): Promise<OutboxEntry[]> {
  return replica.db.outbox.where('acked').equals(0).limit(max).sortBy('mutationId');
}

/**
 * Unsent entries always form one contiguous id range (ids are assigned consecutively and the
 * server acknowledges a prefix), so two index lookups count them: IndexedDB's `count()` walks
 * the whole range, which made every write O(outbox size).
 */
export async function countUnsent(replica: Replica): Promise<number> {
  const unsent = replica.db.outbox.where('acked').equals(0);
  const [first, last] = await Promise.all([unsent.first(), unsent.clone().last()]);
  return first && last ? last.mutationId - first.mutationId + 1 : 0;
}

export async function recordAttempt(
  replica: Replica,
  ids: number[],
  error: string | null,
): Promise<void> {
  const { db } = replica;
  await db.transaction('rw', db.outbox, async () => {
    const entries = (await db.outbox.bulkGet(ids)).filter((e): e is OutboxEntry => e !== undefined);
    await db.outbox.bulkPut(
      entries.map((e) => ({ ...e, attempts: e.attempts + 1, lastError: error })),
    );
  });
}

/** Raises the local mutation counter so new ids never reuse ones the server has processed. */
export async function raiseMutationCounter(replica: Replica, atLeast: number): Promise<void> {
  const { db } = replica;
  await db.transaction('rw', db.meta, async () => {
    const current = (await getMeta(db, 'lastMutationId')) ?? 0;
    if (atLeast > current) await db.meta.put({ key: 'lastMutationId', value: atLeast });
  });
}

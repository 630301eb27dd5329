import {
  compareHlc,
  HybridLogicalClock,
  parseHlc,
  newEntityId,
  type EntityId,
  type HlcString,
  type Mutation,
  type Project,
  type ProjectFields,
  type Task,
  type RecordState,
  type TaskFields,
  unreachable,
} from '@outpost/shared';
import { check, type Check } from './check';
import type { BaseRow, Clocked, MetaEntry, OutboxEntry, WritableKind } from './db';
import { NotFoundError, ValidationError } from './errors';
import { groupPending } from './mirror';
import { baseFromMirror, materialize, rebaseState } from './records';
import type { Replica } from './replica';
import { writeSentinel } from './sentinel';

/**
 * Local writes: each is ONE Dexie transaction that stamps an HLC, assigns the next mutation
 * id, appends to the outbox and updates the mirror row (= base + all pending mutations).
 */

export type NewProject = Omit<ProjectFields, 'description' | 'status'> &
  Partial<Pick<ProjectFields, 'description' | 'status'>>;
export type NewTask = Pick<TaskFields, 'projectId' | 'title'> &
  Partial<Omit<TaskFields, 'projectId' | 'title'>>;

type Op =
  | { kind: 'create'; fields: Record<string, unknown> }
  | { kind: 'update'; fields: Record<string, unknown> }
  | { kind: 'delete' };

/** Both mirror tables through one shape (ids are branded in the row types; keys are plain here). */
interface MirrorTable {
  bulkGet(keys: string[]): Promise<(Clocked<Project | Task> | undefined)[]>;
  bulkPut(rows: unknown[]): Promise<unknown>;
  bulkDelete(keys: string[]): Promise<void>;
}

interface Plan {
  entries: OutboxEntry[];
  puts: unknown[];
  deletes: string[];
  hlc: HlcString | undefined;
  id: number;
}

/** The counters moved since this tab last wrote them: write the batch again from a read. */
class StaleCounters extends Error {}

export interface LocalWriteDeps {
  replica: Replica;
  now: () => number;
}

function parseFields<T>(fields: Check<T>, input: unknown): T {
  const parsed = fields.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(fields)'}: ${i.message}`).join('; '),
      parsed.error.issues.map((i) => ({ path: i.path, message: i.message })),
    );
  }
  return parsed.data;
}

export function createLocalWriter(deps: LocalWriteDeps) {
  const { replica, now } = deps;
  const { db } = replica;

  /**
   * The counters (`meta.lastHlc`, `meta.lastMutationId`) as this tab last wrote them; null
   * until a write has read them. A batch of creates assumes them instead of waiting for the
   * read (see `commitMany`).
   */
  let known: { hlc: HlcString | undefined; id: number } | null = null;

  /**
   * Commits writes of one kind in ONE transaction (a single write, or a bulk create), and
   * leaves the sentinel up to date. Fresh creates skip the base/outbox/mirror lookups: a new
   * UUIDv7 cannot exist yet. Every read is issued at once (one round trip), and so is every
   * write: awaiting each request in turn cost a round trip per request.
   *
   * Creates go further: they assume the counters this tab last wrote and place their writes at
   * once, beside the read of the counters; when that read (answered before any of the writes)
   * shows another tab, a pull or a recovery moved them, the transaction aborts and the batch
   * is written again from what was read. Ids stay unique and consecutive either way.
   */
  async function commitMany(
    kind: WritableKind,
    writes: readonly { entityId: string; op: Op; fresh: boolean }[],
  ): Promise<OutboxEntry[]> {
    const assumed = writes.every((w) => w.fresh) ? known : null;
    let entries: OutboxEntry[];
    try {
      entries = await attempt(kind, writes, assumed);
    } catch (err) {
      known = null;
      if (!(err instanceof StaleCounters)) throw err;
      entries = await attempt(kind, writes, null);
    }
    const last = entries.at(-1);
    if (replica.sentinel && last) {
      writeSentinel(replica.sentinel, replica.userId, {
        clientId: replica.clientId,
        lastMutationId: last.mutationId,
      });
    }
    return entries;
  }

  async function attempt(
    kind: WritableKind,
    writes: readonly { entityId: string; op: Op; fresh: boolean }[],
    assumed: { hlc: HlcString | undefined; id: number } | null,
  ): Promise<OutboxEntry[]> {
    const table = kind === 'project' ? db.projects : db.tasks;
    const mirror = table as unknown as MirrorTable;
    const stale = writes.filter((w) => !w.fresh).map((w) => w.entityId);
    // Fresh creates never touch `base`: a transaction over fewer stores waits on fewer others.
    const stores = stale.length
      ? [db.meta, db.outbox, db.base, table]
      : [db.meta, db.outbox, table];
    return db.transaction('rw', stores, async () => {
      // Both counters in one request: no other meta key sorts between them.
      const reading = db.meta
        .where(':id')
        .between('lastHlc', 'lastMutationId', true, true)
        .toArray()
        .then((found) => readCounters(found));
      if (assumed) {
        const plan = planWrites(kind, writes, assumed, new Map(), new Map());
        known = { hlc: plan.hlc, id: plan.id };
        // The read was placed first, so it is answered before any write lands; throwing
        // there aborts the transaction before it can commit. A clock a page folded in that is
        // still behind the batch's first stamp leaves the plan valid (its stamps are after
        // everything seen): another device's change no longer costs the next write a retry.
        const first = plan.entries[0]?.mutation.hlc;
        const check = reading.then((c) => {
          const clockHolds =
            c.hlc === assumed.hlc ||
            (c.hlc !== undefined && first !== undefined && compareHlc(c.hlc, first) < 0);
          if (c.id !== assumed.id || !clockHolds) throw new StaleCounters();
        });
        await Promise.all([check, placeWrites(mirror, plan, [])]);
        return plan.entries;
      }
      const [counters, pendingEntries, bases, current] = await Promise.all([
        reading,
        stale.length ? db.outbox.where('entityId').anyOf(stale).toArray() : [],
        stale.length
          ? db.base.bulkGet(stale.map((id) => [kind, id] as [WritableKind, string]))
          : [],
        stale.length ? mirror.bulkGet(stale) : [],
      ]);
      const pendingOf = groupPending(pendingEntries);
      const baseOf = new Map<string, BaseRow | undefined>();
      const newBases: BaseRow[] = [];
      stale.forEach((id, i) => {
        let base = bases[i];
        const row = current[i];
        if (!base && !pendingOf.has(id) && row) {
          // First local write to a synced row: its mirror row is the server row; keep that as
          // the base so a later rebase (or a rejection) can return to it exactly.
          base = baseFromMirror(kind, row);
          newBases.push(base);
        }
        baseOf.set(id, base);
      });
      const plan = planWrites(kind, writes, counters, pendingOf, baseOf);
      await placeWrites(mirror, plan, newBases);
      known = { hlc: plan.hlc, id: plan.id };
      return plan.entries;
    });
  }

  /** The outbox entries and mirror rows of a batch, from the counters before it. */
  function planWrites(
    kind: WritableKind,
    writes: readonly { entityId: string; op: Op; fresh: boolean }[],
    counters: { hlc: HlcString | undefined; id: number },
    pendingOf: Map<string, Mutation[]>,
    baseOf: ReadonlyMap<string, BaseRow | undefined>,
  ): Plan {
    const clock = new HybridLogicalClock(replica.clientId, { now }, counters.hlc);
    let id = counters.id;
    let hlc = counters.hlc;
    const createdAt = new Date(now()).toISOString();
    const entries: OutboxEntry[] = [];
    const puts: unknown[] = [];
    const deletes: string[] = [];
    for (const { entityId, op, fresh } of writes) {
      const pending = fresh ? [] : (pendingOf.get(entityId) ?? []);
      const base = fresh ? undefined : baseOf.get(entityId);
      if (
        op.kind !== 'create' &&
        materialize(kind, entityId, replica.orgId, base, pending) === null
      ) {
        throw new NotFoundError(`No ${kind} ${entityId} in this replica (deleted or never synced)`);
      }
      if (op.kind === 'create' && (base || pending.length > 0)) {
        throw new ValidationError(`${kind} ${entityId} already exists`, []);
      }
      const stamp = clock.now();
      hlc = stamp;
      id += 1;
      const mutation = buildMutation(kind, op, {
        id,
        hlc: stamp,
        entityId,
        current: rebaseState(base, pending),
      });
      entries.push({
        mutationId: id,
        clientId: replica.clientId,
        entityId,
        mutation,
        createdAt,
        attempts: 0,
        lastError: null,
        acked: 0,
      });
      pending.push(mutation);
      if (!fresh) pendingOf.set(entityId, pending);
      const row = materialize(kind, entityId, replica.orgId, base, pending);
      if (row) puts.push(row);
      else deletes.push(entityId);
    }
    return { entries, puts, deletes, hlc, id };
  }

  /** Places every write of a plan without waiting for each (requests run in placement order). */
  function placeWrites(mirror: MirrorTable, plan: Plan, newBases: BaseRow[]): Promise<unknown> {
    return Promise.all([
      newBases.length ? db.base.bulkPut(newBases) : null,
      db.outbox.bulkAdd(plan.entries),
      plan.puts.length ? mirror.bulkPut(plan.puts) : null,
      plan.deletes.length ? mirror.bulkDelete(plan.deletes) : null,
      db.meta.bulkPut(counterRows(plan, now())),
    ]);
  }

  async function commit(
    kind: WritableKind,
    entityId: string,
    op: Op,
    fresh = false,
  ): Promise<OutboxEntry> {
    const [entry] = await commitMany(kind, [{ entityId, op, fresh }]);
    return entry!;
  }

  return {
    async createProject(fields: NewProject): Promise<{ id: EntityId; entry: OutboxEntry }> {
      const parsed = parseFields(check.fields.project, {
        description: '',
        status: 'active',
        ...fields,
      });
      const id = newEntityId();
      return { id, entry: await commit('project', id, { kind: 'create', fields: parsed }, true) };
    },
    async updateProject(id: string, patch: Partial<ProjectFields>): Promise<OutboxEntry> {
      return commit('project', id, {
        kind: 'update',
        fields: parsePatch(check.patch.project, patch),
      });
    },
    async deleteProject(id: string): Promise<OutboxEntry> {
      return commit('project', id, { kind: 'delete' });
    },
    async createTask(fields: NewTask): Promise<{ id: EntityId; entry: OutboxEntry }> {
      const parsed = parseFields(check.fields.task, {
        notes: '',
        status: 'todo',
        assigneeId: null,
        dueDate: null,
        ...fields,
      });
      const id = newEntityId();
      return { id, entry: await commit('task', id, { kind: 'create', fields: parsed }, true) };
    },
    /** Many tasks in one transaction (imports, templates): all or nothing. */
    async createTasks(list: readonly NewTask[]): Promise<EntityId[]> {
      const writes = list.map((fields) => ({
        entityId: newEntityId() as string,
        op: {
          kind: 'create',
          fields: parseFields(check.fields.task, {
            notes: '',
            status: 'todo',
            assigneeId: null,
            dueDate: null,
            ...fields,
          }),
        } as Op,
        fresh: true,
      }));
      if (writes.length) await commitMany('task', writes);
      return writes.map((w) => w.entityId as EntityId);
    },
    async updateTask(id: string, patch: Partial<TaskFields>): Promise<OutboxEntry> {
      return commit('task', id, { kind: 'update', fields: parsePatch(check.patch.task, patch) });
    },
    async deleteTask(id: string): Promise<OutboxEntry> {
      return commit('task', id, { kind: 'delete' });
    },
  };
}

export type LocalWriter = ReturnType<typeof createLocalWriter>;

function parsePatch(
  partial: Check<Partial<ProjectFields>> | Check<Partial<TaskFields>>,
  patch: unknown,
): Record<string, unknown> {
  const fields = parseFields<object>(partial, patch) as Record<string, unknown>;
  // Drop keys explicitly set to undefined so they are not sent as writes.
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  if (Object.keys(fields).length === 0)
    throw new ValidationError('an update must change at least one field', []);
  return fields;
}

function buildMutation(
  kind: WritableKind,
  op: Op,
  m: { id: number; hlc: HlcString; entityId: string; current: RecordState },
): Mutation {
  const meta = { id: m.id, hlc: m.hlc, entityId: m.entityId as EntityId } as Pick<
    Mutation,
    'id' | 'hlc' | 'entityId'
  >;
  switch (op.kind) {
    case 'create':
      return { type: `${kind}.create`, ...meta, fields: op.fields } as Mutation;
    case 'update': {
      // The clocks this replica held for the written fields: lets the server tell a
      // concurrent overwrite (a conflict) from a sequential edit.
      const base: Record<string, HlcString | null> = {};
      for (const f of Object.keys(op.fields)) base[f] = m.current.clocks[f] ?? null;
      return { type: `${kind}.update`, ...meta, fields: op.fields, base } as Mutation;
    }
    case 'delete':
      return { type: `${kind}.delete`, ...meta } as Mutation;
    default:
      return unreachable(op);
  }
}

/**
 * The counters as stored: the mutation id in `lastMutationId`'s `value`, the last stamp issued
 * here beside it (`hlc`), and `lastHlc` — the clock a pull folded in (mirror.ts), or a stamp a
 * write issued ahead of the wall clock. The clock resumes from the later of the two stamps.
 */
export function readCounters(found: readonly MetaEntry[]): {
  hlc: HlcString | undefined;
  id: number;
} {
  const row = (key: string) => found.find((e) => e.key === key);
  const folded = check.meta.lastHlc.safeParse(row('lastHlc')?.value).data;
  const issued = check.meta.lastHlc.safeParse(row('lastMutationId')?.hlc).data;
  const hlc =
    folded && issued ? (compareHlc(folded, issued) >= 0 ? folded : issued) : (folded ?? issued);
  return { hlc, id: check.meta.lastMutationId.safeParse(row('lastMutationId')?.value).data ?? 0 };
}

/**
 * What a write stores of the counters: ONE meta row (a request each was a quarter of a raw
 * put's time). `lastHlc` is written too only when the stamp ran ahead of the wall clock (same
 * millisecond, or after a pull folded in a faster clock): a tab still running the code before
 * this change reads only `lastHlc` and `lastMutationId`'s `value`, and would otherwise stamp
 * below this write; at a wall-clock stamp its own clock is ahead anyway.
 */
function counterRows(plan: Pick<Plan, 'hlc' | 'id'>, nowMs: number): MetaEntry[] {
  const rows: MetaEntry[] = [{ key: 'lastMutationId', value: plan.id, hlc: plan.hlc }];
  if (plan.hlc) {
    const { wall, counter } = parseHlc(plan.hlc);
    if (counter > 0 || wall > Math.floor(nowMs)) rows.push({ key: 'lastHlc', value: plan.hlc });
  }
  return rows;
}

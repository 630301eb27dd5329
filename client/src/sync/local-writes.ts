import {
  HybridLogicalClock,
  laterHlc,
  sameValue,
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
import Dexie, { type Transaction } from 'dexie';
import type { BaseRow, Clocked, OutpostDb, WritableKind, WriteRecord } from './db';
import { NotFoundError, ValidationError } from './errors';
import {
  lastAssigned,
  mutationsByEntity,
  readNumbering,
  recordsOf,
  type Stored,
  withDerived,
} from './outbox-ids';
import { storedClock } from './mirror';
import { placeNative, whenCommitted } from './native-writes';
import { baseFromMirror, materialize, rebaseState } from './records';
import type { Replica } from './replica';
import { writeSentinel } from './sentinel';
import { realTimers, type Timers } from './timers';

/**
 * Local writes: each is ONE Dexie transaction that stamps HLCs, appends one outbox record
 * (its mutations' ids are derived later: `outbox-ids.ts`) and updates the mirror rows
 * (= base + all pending mutations).
 */

/** The sentinel is written at most this often during a burst of writes (`scheduleSentinel`). */
export const SENTINEL_EVERY_MS = 100;

export type NewProject = Omit<ProjectFields, 'description' | 'status'> &
  Partial<Pick<ProjectFields, 'description' | 'status'>>;
export type NewTask = Pick<TaskFields, 'projectId' | 'title'> &
  Partial<Omit<TaskFields, 'projectId' | 'title'>>;
type Fields = { project: ProjectFields; task: TaskFields };
type NewFields = { project: NewProject; task: NewTask };

/** A create is always of a new id (a UUIDv7 minted for it): nothing of it can exist yet. */
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

interface Write {
  entityId: string;
  op: Op;
}

interface Plan {
  record: WriteRecord;
  puts: unknown[];
  deletes: string[];
}

export interface LocalWriteDeps {
  replica: Replica;
  now: () => number;
  /** Schedules the sentinel's write after a commit (default: the platform's timers). */
  timers?: Timers;
}

function parseFields<T>(fields: Check<T>, input: unknown): T {
  const parsed = fields.safeParse(input);
  if (!parsed.success) {
    const { issues } = parsed.error;
    throw new ValidationError(
      issues.map((i) => `${i.path.join('.') || '(fields)'}: ${i.message}`).join('; '),
      issues,
    );
  }
  return parsed.data;
}

export function createLocalWriter(deps: LocalWriteDeps) {
  const { replica, now } = deps;
  const timers = deps.timers ?? realTimers;
  const { db } = replica;

  /**
   * This tab's clock: seeded from the stored stamps by its first write, then kept here (a
   * write reads no counter). An edit also folds in the clocks of the row it changes, so it
   * sorts after what it overwrites whichever tab or device wrote that.
   */
  let clock: HybridLogicalClock | null = null;
  /** The last record this tab knows the ids of (its seq, its last id), for the sentinel. */
  let tail: { seq: number; id: number } | null = null;

  /**
   * Commits writes of one kind as ONE record in ONE transaction (a single write, or a bulk
   * create). Fresh creates read nothing (a new UUIDv7 cannot exist yet; ids are derived later,
   * `outbox-ids.ts`): the record and the mirror rows are placed at once. Edits read the row's
   * pending mutations, `base` and mirror row in one round trip, then place their writes.
   * Null: the edits changed nothing the replica shows, so nothing was written.
   */
  async function commitMany(kind: WritableKind, writes: readonly Write[]): Promise<Stored | null> {
    let record: Stored | null;
    try {
      record = await attempt(kind, writes);
    } catch (err) {
      // A write that did not commit leaves the clock as it was only in the database.
      clock = null;
      throw err;
    }
    if (record) noteWritten(record);
    return record;
  }

  /** The scheduled sentinel write, if any, and when the last one was made (`now()`). */
  let sentinelDue: unknown = null;
  let sentinelAt = Number.NEGATIVE_INFINITY;

  /**
   * Keeps the sentinel's last mutation id: counted on when the record directly follows the
   * last one this tab knows (nothing else was written between), else read when it is written.
   * It is written after the commit, in a task of its own (not before the write's promise
   * resolves), at most once per SENTINEL_EVERY_MS: a burst writes it about ten times a second
   * with its last id, not once per write (each localStorage write also costs the browser
   * process that serves IndexedDB). Flushed when the page is hidden or the client stops.
   */
  function noteWritten(record: Stored): void {
    if (!replica.sentinel) return;
    tail =
      tail && record.seq === tail.seq + 1
        ? { seq: record.seq, id: tail.id + record.mutations.length }
        : null;
    sentinelDue ??= timers.setTimeout(
      () => void flushSentinel(),
      Math.max(0, sentinelAt + SENTINEL_EVERY_MS - now()),
    );
  }

  /** Writes a scheduled sentinel value now (reading the last id first when not known). */
  async function flushSentinel(): Promise<void> {
    if (sentinelDue === null) return;
    timers.clearTimeout(sentinelDue);
    sentinelDue = null;
    sentinelAt = now();
    tail ??= await db
      .transaction('r', [db.writes, db.meta], async () => {
        const [n, last] = await Dexie.Promise.all([
          readNumbering(db),
          db.writes.orderBy(':id').lastKey(),
        ]);
        return { seq: (last as number | undefined) ?? 0, id: lastAssigned(n) };
      })
      .catch(() => null);
    if (tail && replica.sentinel)
      writeSentinel(replica.sentinel, replica.userId, {
        clientId: replica.clientId,
        lastMutationId: tail.id,
      });
  }

  async function attempt(kind: WritableKind, writes: readonly Write[]): Promise<Stored | null> {
    const table = kind === 'project' ? db.projects : db.tasks;
    const mirror = table as unknown as MirrorTable;
    const stale = writes.filter((w) => w.op.kind !== 'create').map((w) => w.entityId);
    const seeding = clock === null;
    // Fresh creates never touch `base`, nor `meta` once seeded: a transaction over fewer
    // stores waits on fewer others.
    const stores = [
      db.writes,
      table,
      ...(stale.length ? [db.base] : []),
      ...(seeding ? [db.meta] : []),
    ];
    // Resolved at the commit itself (`whenCommitted`) once the writes are placed, else (nothing
    // written, or the transaction failed) as Dexie's transaction promise settles.
    let early: ((stored: Stored) => void) | undefined;
    const settled = new Promise<Stored | null>((resolve, reject) => {
      early = resolve;
      run().then(resolve, reject);
    });
    const placed = (tx: Transaction, stored: Promise<Stored>): Promise<Stored> => {
      const resolve = early!;
      // A failure is the transaction's promise's to report.
      void Promise.all([stored, whenCommitted(tx.idbtrans)]).then(
        ([s]) => resolve(s),
        () => undefined,
      );
      return stored;
    };
    return settled;

    function run(): Promise<Stored | null> {
      // Not an async scope: Dexie follows an async one's native awaits with extra microtasks
      // ("zone echoes") around every promise of the write and after it.
      if (!seeding && stale.length === 0)
        return db.transaction('rw', stores, (tx) =>
          placed(
            tx,
            placeWrites(
              db,
              tx,
              kind,
              planWrites(replica, now, kind, writes, clock!, new Map(), new Map())!,
              [],
            ),
          ),
        );
      return edit();
    }

    function edit(): Promise<Stored | null> {
      return db.transaction('rw', stores, async (tx) => {
        const [seed, records, bases, current] = await Dexie.Promise.all([
          seeding ? readSeed(db) : Dexie.Promise.resolve(undefined),
          stale.length ? recordsOf(db, stale) : Dexie.Promise.resolve([] as Stored[]),
          stale.length
            ? db.base.bulkGet(stale.map((id) => [kind, id] as [WritableKind, string]))
            : Dexie.Promise.resolve([] as (BaseRow | undefined)[]),
          stale.length ? mirror.bulkGet(stale) : Dexie.Promise.resolve([]),
        ]);
        const tabClock = clock ?? new HybridLogicalClock(replica.clientId, { now }, seed);
        clock = tabClock;
        const wanted = new Set(stale);
        const pendingOf = mutationsByEntity(records, (m) => wanted.has(m.entityId));
        const baseOf = new Map<string, BaseRow | undefined>();
        const newBases: BaseRow[] = [];
        const seen: HlcString[] = [];
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
          if (row) seen.push(...Object.values(row.$c));
          if (base)
            seen.push(...Object.values(base.clocks), ...(base.deleted ? [base.deleted] : []));
          for (const m of pendingOf.get(id) ?? []) seen.push(m.hlc);
        });
        for (const c of seen) foldInto(tabClock, c);
        const plan = planWrites(replica, now, kind, writes, tabClock, pendingOf, baseOf);
        // Nothing changed: nothing to place (not even a base, kept only while writes are pending).
        if (!plan) return null;
        const written = new Set(plan.record.entityIds);
        return placed(
          tx,
          placeWrites(
            db,
            tx,
            kind,
            plan,
            newBases.filter((b) => written.has(b.id)),
          ),
        );
      });
    }
  }

  return {
    /** Writes the sentinel now if a write is not in it yet (the page is hidden, the client stops). */
    flushSentinel: () => void flushSentinel(),
    /** A new row of `kind` under a new id (its defaults filled in, its fields checked). */
    async create<K extends WritableKind>(
      kind: K,
      fields: NewFields[K],
    ): Promise<{ id: EntityId; record: Stored }> {
      const write = newRow(kind, fields);
      // A create always writes (`planWrites`).
      return { id: write.entityId as EntityId, record: (await commitMany(kind, [write]))! };
    },
    /** Many tasks in one transaction (imports, templates): all or nothing. */
    async createTasks(list: readonly NewTask[]): Promise<EntityId[]> {
      const writes = list.map((fields) => newRow('task', fields));
      if (writes.length) await commitMany('task', writes);
      return writes.map((w) => w.entityId as EntityId);
    },
    /**
     * Writes the fields of `patch` whose value differs from the one the replica shows (its
     * server row with the pending writes on top); null when none does: nothing is written, so
     * re-saving a value never overwrites a teammate's concurrent change to it. The patch is
     * checked first (an invalid value throws even if unchanged), and a row the replica does not
     * show throws `NotFoundError`.
     */
    async update<K extends WritableKind>(
      kind: K,
      id: string,
      patch: Partial<Fields[K]>,
    ): Promise<Stored | null> {
      return commitMany(kind, [
        { entityId: id, op: { kind: 'update', fields: parsePatch(check.patch[kind], patch) } },
      ]);
    },
    /**
     * Many task edits in one transaction and one record (a bulk action on a selection): all or
     * nothing — a row missing or a patch refused writes none of them. As `update`, only changed
     * fields are written, a row left with none is not in the record, and null when no row is.
     */
    async updateTasks(
      list: readonly { id: string; patch: Partial<TaskFields> }[],
    ): Promise<Stored | null> {
      const writes = list.map(({ id, patch }) => ({
        entityId: id,
        op: { kind: 'update', fields: parsePatch(check.patch.task, patch) } as Op,
      }));
      return writes.length ? commitMany('task', writes) : null;
    },
    async delete(kind: WritableKind, id: string): Promise<Stored> {
      // A delete always writes (`planWrites`).
      return (await commitMany(kind, [{ entityId: id, op: { kind: 'delete' } }]))!;
    },
  };
}

export type LocalWriter = ReturnType<typeof createLocalWriter>;

/** The stored clock: the later of the counters' stamps and the last record's. */
async function readSeed(db: OutpostDb): Promise<HlcString | undefined> {
  const [found, last] = await Dexie.Promise.all([
    db.meta.where(':id').between('lastHlc', 'lastMutationId', true, true).toArray(),
    db.writes.orderBy(':id').last(),
  ]);
  // The counters as stored: `lastHlc`, the clock a pull folded in (mirror.ts) or a stamp a
  // write issued ahead of the wall clock, and the last stamp issued here, on `lastMutationId`.
  const row = (key: string) => found.find((e) => e.key === key);
  let hlc = storedClock(
    check.meta.lastHlc.safeParse(row('lastHlc')?.value).data,
    row('lastMutationId'),
  );
  for (const m of last?.mutations ?? [])
    hlc = laterHlc(hlc, check.meta.lastHlc.safeParse(m.hlc).data);
  return hlc;
}

/**
 * The record and mirror rows of a batch; null when every write is an update that changes
 * nothing (creates always write).
 */
function planWrites(
  replica: Replica,
  now: () => number,
  kind: WritableKind,
  writes: readonly Write[],
  tabClock: HybridLogicalClock,
  pendingOf: Map<string, Mutation[]>,
  baseOf: ReadonlyMap<string, BaseRow | undefined>,
): Plan | null {
  const createdAt = new Date(now()).toISOString();
  const mutations: Mutation[] = [];
  const puts: unknown[] = [];
  const deletes: string[] = [];
  for (const { entityId, op } of writes) {
    // A create's row has neither (it was not read: see `Op`).
    const pending = pendingOf.get(entityId) ?? [];
    const base = baseOf.get(entityId);
    if (
      op.kind !== 'create' &&
      materialize(kind, entityId, replica.orgId, base, pending) === null
    ) {
      throw new NotFoundError(`No ${kind} ${entityId} in this replica (deleted or never synced)`);
    }
    const current = rebaseState(base, pending);
    const effective = op.kind === 'update' ? changedOnly(op, current) : op;
    if (!effective) continue;
    // The id is derived when the record is pushed (0 until then).
    const mutation = buildMutation(kind, effective, {
      id: 0,
      hlc: tabClock.now(),
      entityId,
      current,
    });
    mutations.push(mutation);
    pending.push(mutation);
    pendingOf.set(entityId, pending);
    const row = materialize(kind, entityId, replica.orgId, base, pending);
    if (row) puts.push(row);
    else deletes.push(entityId);
  }
  if (mutations.length === 0) return null;
  const record = withDerived<WriteRecord>({
    clientId: replica.clientId,
    createdAt,
    mutations,
    ackedThrough: 0,
    attempts: 0,
    lastError: null,
  });
  return { record, puts, deletes };
}

/**
 * Places every write of a plan at once (requests run in placement order), as native requests
 * announced as Dexie announces its own (`native-writes.ts`), and commits the transaction with
 * them: they are its last, and none can fail alone (an `add` under a new auto-increment key,
 * puts in stores without a unique index, deletes).
 */
function placeWrites(
  db: OutpostDb,
  tx: Transaction,
  kind: WritableKind,
  plan: Plan,
  newBases: BaseRow[],
): Promise<Stored> {
  const store = kind === 'project' ? 'projects' : 'tasks';
  const bases = newBases.length ? [{ store: 'base', type: 'put' as const, values: newBases }] : [];
  return placeNative(
    db,
    tx,
    [
      ...bases,
      { store: 'writes', type: 'add', values: [plan.record] },
      ...(plan.puts.length ? [{ store, type: 'put' as const, values: plan.puts }] : []),
      ...(plan.deletes.length ? [{ store, type: 'delete' as const, keys: plan.deletes }] : []),
    ],
    { commit: true },
  ).then((keys) => ({ ...plan.record, seq: keys[bases.length] as number }));
}

/** What a create leaves out takes these values. */
const DEFAULTS = {
  project: { description: '', status: 'active' },
  task: { notes: '', status: 'todo', assigneeId: null, dueDate: null },
} as const;

/** A create with its defaults filled in, checked, under a new id. */
function newRow<K extends WritableKind>(kind: K, fields: NewFields[K]): Write {
  return {
    entityId: newEntityId(),
    op: {
      kind: 'create',
      fields: parseFields<object>(check.fields[kind], { ...DEFAULTS[kind], ...fields }),
    } as Op,
  };
}

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

/**
 * An update without the fields already holding its value in `current` (compared as the merge
 * rules compare values: `sameValue`); null when none is left. Writing a value the replica
 * already shows would change nothing here yet, pushed, override a concurrent change to it.
 */
function changedOnly(op: Extract<Op, { kind: 'update' }>, current: RecordState): Op | null {
  const fields: Record<string, unknown> = {};
  for (const [f, v] of Object.entries(op.fields))
    if (!sameValue(current.fields[f], v)) fields[f] = v;
  return Object.keys(fields).length ? { kind: 'update', fields } : null;
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

/** Folds a stamp seen on the row into the clock; one too far ahead is not followed (the server refuses such clocks too). */
function foldInto(clock: HybridLogicalClock, stamp: HlcString): void {
  try {
    clock.receive(stamp);
  } catch {
    // An unreadable stamp is not a clock to follow.
  }
}

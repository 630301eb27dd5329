import {
  HybridLogicalClock,
  newEntityId,
  projectFieldsSchema,
  taskFieldsSchema,
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
import type { z } from 'zod';
import type { BaseRow, Clocked, OutboxEntry, WritableKind } from './db';
import { NotFoundError, ValidationError } from './errors';
import { metaSchemas } from './meta';
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

export interface LocalWriteDeps {
  replica: Replica;
  now: () => number;
}

function parseFields<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
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
   * Commits writes of one kind in ONE transaction (a single write, or a bulk create). Fresh
   * creates skip the base/outbox/mirror lookups: a new UUIDv7 cannot exist yet. Every read is
   * issued at once (one round trip to IndexedDB), and so is every write: awaiting each request
   * in turn cost a round trip per request, which was most of a single write's time.
   */
  async function commitMany(
    kind: WritableKind,
    writes: readonly { entityId: string; op: Op; fresh: boolean }[],
  ): Promise<OutboxEntry[]> {
    const table = kind === 'project' ? db.projects : db.tasks;
    const mirror = table as unknown as MirrorTable;
    const stale = writes.filter((w) => !w.fresh).map((w) => w.entityId);
    const entries = await db.transaction('rw', [db.meta, db.outbox, db.base, table], async () => {
      const [[lastHlc, lastId], pendingEntries, bases, current] = await Promise.all([
        db.meta.bulkGet(['lastHlc', 'lastMutationId']),
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
      const clock = new HybridLogicalClock(
        replica.clientId,
        { now },
        metaSchemas.lastHlc.safeParse(lastHlc?.value).data,
      );
      let id = metaSchemas.lastMutationId.safeParse(lastId?.value).data ?? 0;
      const createdAt = new Date(now()).toISOString();
      const entries: OutboxEntry[] = [];
      const puts: unknown[] = [];
      const deletes: string[] = [];
      let hlc: HlcString | null = null;
      for (const { entityId, op, fresh } of writes) {
        const pending = fresh ? [] : (pendingOf.get(entityId) ?? []);
        const base = fresh ? undefined : baseOf.get(entityId);
        if (
          op.kind !== 'create' &&
          materialize(kind, entityId, replica.orgId, base, pending) === null
        ) {
          throw new NotFoundError(
            `No ${kind} ${entityId} in this replica (deleted or never synced)`,
          );
        }
        if (op.kind === 'create' && (base || pending.length > 0)) {
          throw new ValidationError(`${kind} ${entityId} already exists`, []);
        }
        hlc = clock.now();
        id += 1;
        const mutation = buildMutation(kind, op, {
          id,
          hlc,
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
      // Requests run in the order they were placed: nothing here waits for the one before.
      await Promise.all([
        newBases.length ? db.base.bulkPut(newBases) : null,
        db.outbox.bulkAdd(entries),
        puts.length ? mirror.bulkPut(puts) : null,
        deletes.length ? mirror.bulkDelete(deletes) : null,
        db.meta.bulkPut([
          { key: 'lastHlc', value: hlc },
          { key: 'lastMutationId', value: id },
        ]),
      ]);
      return entries;
    });
    const last = entries.at(-1);
    if (replica.sentinel && last) {
      writeSentinel(replica.sentinel, replica.userId, {
        clientId: replica.clientId,
        lastMutationId: last.mutationId,
      });
    }
    return entries;
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
      const parsed = parseFields(projectFieldsSchema, {
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
        fields: parsePatch(projectFieldsSchema, patch),
      });
    },
    async deleteProject(id: string): Promise<OutboxEntry> {
      return commit('project', id, { kind: 'delete' });
    },
    async createTask(fields: NewTask): Promise<{ id: EntityId; entry: OutboxEntry }> {
      const parsed = parseFields(taskFieldsSchema, {
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
          fields: parseFields(taskFieldsSchema, {
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
      return commit('task', id, { kind: 'update', fields: parsePatch(taskFieldsSchema, patch) });
    },
    async deleteTask(id: string): Promise<OutboxEntry> {
      return commit('task', id, { kind: 'delete' });
    },
  };
}

export type LocalWriter = ReturnType<typeof createLocalWriter>;

function parsePatch(
  schema: typeof projectFieldsSchema | typeof taskFieldsSchema,
  patch: unknown,
): Record<string, unknown> {
  const fields = parseFields(schema.partial(), patch) as Record<string, unknown>;
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

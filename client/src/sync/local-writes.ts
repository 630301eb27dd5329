import {
  HybridLogicalClock,
  newEntityId,
  projectFieldsSchema,
  taskFieldsSchema,
  type EntityId,
  type HlcString,
  type Mutation,
  type ProjectFields,
  type RecordState,
  type TaskFields,
  unreachable,
} from '@outpost/shared';
import type { z } from 'zod';
import type { OutboxEntry, WritableKind } from './db';
import { NotFoundError, ValidationError } from './errors';
import { getMeta } from './meta';
import { materialize, rebaseState } from './records';
import type { Replica } from './replica';
import { writeSentinel } from './sentinel';

/**
 * Local writes: each is ONE Dexie transaction that stamps an HLC, assigns the next mutation
 * id, appends to the outbox and updates the mirror row (= base + all pending mutations).
 */

export type NewProject = Omit<ProjectFields, 'description' | 'status'> & Partial<Pick<ProjectFields, 'description' | 'status'>>;
export type NewTask = Pick<TaskFields, 'projectId' | 'title'> & Partial<Omit<TaskFields, 'projectId' | 'title'>>;

type Op =
  | { kind: 'create'; fields: Record<string, unknown> }
  | { kind: 'update'; fields: Record<string, unknown> }
  | { kind: 'delete' };

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

  async function commit(kind: WritableKind, entityId: string, op: Op): Promise<OutboxEntry> {
    const mirror = kind === 'project' ? db.projects : db.tasks;
    const entry = await db.transaction('rw', [db.meta, db.outbox, db.base, mirror], async () => {
      const clock = new HybridLogicalClock(replica.clientId, { now }, await getMeta(db, 'lastHlc'));
      const hlc = clock.now();
      const id = ((await getMeta(db, 'lastMutationId')) ?? 0) + 1;
      const base = await db.base.get([kind, entityId]);
      const pending = (await db.outbox.where('entityId').equals(entityId).sortBy('mutationId')).map((e) => e.mutation);
      const current = rebaseState(base, pending);
      const visible = materialize(kind, entityId, replica.orgId, base, pending);
      if (op.kind !== 'create' && visible === null) {
        throw new NotFoundError(`No ${kind} ${entityId} in this replica (deleted or never synced)`);
      }
      if (op.kind === 'create' && (base || pending.length > 0)) {
        throw new ValidationError(`${kind} ${entityId} already exists`, []);
      }
      const mutation = buildMutation(kind, op, { id, hlc, entityId, current });
      const entry: OutboxEntry = {
        mutationId: id,
        clientId: replica.clientId,
        entityId,
        mutation,
        createdAt: new Date(now()).toISOString(),
        attempts: 0,
        lastError: null,
        ackedCursor: null,
        acked: 0,
      };
      await db.outbox.add(entry);
      const row = materialize(kind, entityId, replica.orgId, base, [...pending, mutation]);
      if (row) await mirror.put(row as never);
      else await mirror.delete(entityId as EntityId);
      await db.meta.bulkPut([
        { key: 'lastHlc', value: hlc },
        { key: 'lastMutationId', value: id },
      ]);
      return entry;
    });
    if (replica.sentinel) {
      writeSentinel(replica.sentinel, replica.userId, { clientId: replica.clientId, lastMutationId: entry.mutationId });
    }
    return entry;
  }

  return {
    async createProject(fields: NewProject): Promise<{ id: EntityId; entry: OutboxEntry }> {
      const parsed = parseFields(projectFieldsSchema, { description: '', status: 'active', ...fields });
      const id = newEntityId();
      return { id, entry: await commit('project', id, { kind: 'create', fields: parsed }) };
    },
    async updateProject(id: string, patch: Partial<ProjectFields>): Promise<OutboxEntry> {
      return commit('project', id, { kind: 'update', fields: parsePatch(projectFieldsSchema, patch) });
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
      return { id, entry: await commit('task', id, { kind: 'create', fields: parsed }) };
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

function parsePatch(schema: typeof projectFieldsSchema | typeof taskFieldsSchema, patch: unknown): Record<string, unknown> {
  const fields = parseFields(schema.partial(), patch) as Record<string, unknown>;
  // Drop keys explicitly set to undefined so they are not sent as writes.
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  if (Object.keys(fields).length === 0) throw new ValidationError('an update must change at least one field', []);
  return fields;
}

function buildMutation(
  kind: WritableKind,
  op: Op,
  m: { id: number; hlc: HlcString; entityId: string; current: RecordState },
): Mutation {
  const meta = { id: m.id, hlc: m.hlc, entityId: m.entityId as EntityId } as Pick<Mutation, 'id' | 'hlc' | 'entityId'>;
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

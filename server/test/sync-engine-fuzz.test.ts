import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PROTOCOL_VERSION, type EntityId, type Mutation, type OrgId } from '@outpost/shared';
import { AppError } from '../src/errors.js';
import {
  EngineHarness,
  FakeClient,
  newEntityId,
  projectFields,
  taskFields,
} from './sync-harness.js';

const ORG = 'org_fuzz' as OrgId;
const CLIENTS = [
  ['ana', 'manager'],
  ['ben', 'member'],
  ['cy', 'manager'],
] as const;

type Op =
  | { kind: 'edit'; task: number; field: 'title' | 'notes' | 'status'; value: number }
  | { kind: 'delete'; task: number }
  | { kind: 'create' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      task: fc.nat(3),
      field: fc.constantFrom('title' as const, 'notes' as const, 'status' as const),
      value: fc.nat(5),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), task: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('create' as const) }) },
);

/** One step of the network: which client sends which slice of its outbox. */
const deliveryArb = fc.record({
  client: fc.nat(CLIENTS.length - 1),
  from: fc.integer({ min: -2, max: 3 }),
  size: fc.integer({ min: 1, max: 4 }),
});

interface Sim {
  h: EngineHarness;
  clients: FakeClient[];
}

/** A server with the shared starting point: one project and four tasks everyone has synced. */
async function setup(
  projectId: EntityId,
  taskIds: EntityId[],
  clientIds?: FakeClient['clientId'][],
): Promise<Sim> {
  const h = new EngineHarness();
  const clients: FakeClient[] = [];
  for (const [i, [name, role]] of CLIENTS.entries()) {
    const c = new FakeClient(await h.actor(ORG, role, name), () => h.time);
    if (clientIds) (c as { clientId: FakeClient['clientId'] }).clientId = clientIds[i]!;
    clients.push(c);
  }
  const admin = await h.actor(ORG, 'admin', 'root');
  await h.engine.applyRest(admin, {
    kind: 'create',
    entity: 'project',
    entityId: projectId,
    fields: projectFields(admin.user.id),
  });
  for (const id of taskIds)
    await h.engine.applyRest(admin, {
      kind: 'create',
      entity: 'task',
      entityId: id,
      fields: taskFields(projectId),
    });
  return { h, clients };
}

function toMutation(
  c: FakeClient,
  op: Op,
  taskIds: EntityId[],
  projectId: EntityId,
  created: EntityId[],
): Mutation {
  switch (op.kind) {
    case 'edit': {
      const value =
        op.field === 'status'
          ? (['todo', 'doing', 'done'] as const)[op.value % 3]
          : `${op.field}-${op.value}`;
      // Half the edits target a task this client created (always after its create).
      const target =
        created.length > 0 && op.value % 2 === 0
          ? created[op.task % created.length]!
          : taskIds[op.task]!;
      return c.make({ type: 'task.update', entityId: target, fields: { [op.field]: value } });
    }
    case 'delete':
      return c.make({ type: 'task.delete', entityId: taskIds[op.task]! });
    case 'create': {
      const id = newEntityId();
      created.push(id);
      return c.make({
        type: 'task.create',
        entityId: id,
        fields: taskFields(projectId, `new by ${c.actor.user.name}`),
      });
    }
  }
}

/**
 * The starting rows are REST writes, whose stamps name their writer (`api-<userId>`): each
 * simulation's admin has its own id, so the writer is named alike before states are compared.
 */
const sameWriter = (hlc: string | null) => hlc?.replace(/-api-[0-9a-f-]+$/, '-api-root') ?? null;
const sameWriters = (clocks: Record<string, string>) =>
  Object.fromEntries(Object.entries(clocks).map(([f, c]) => [f, sameWriter(c)]));

async function taskState(h: EngineHarness) {
  const rows = await h.store.listRows({
    orgId: ORG,
    entity: 'task',
    filter: {},
    afterId: null,
    limit: 10_000,
    includeDeleted: true,
  });
  return rows.map((r) => ({
    id: r.id,
    title: r.data['title'],
    notes: r.data['notes'],
    status: r.data['status'],
    clocks: sameWriters(r.clocks),
    deleted: sameWriter(r.deleted),
  }));
}

/**
 * (client, mutation, action) of every create and rejected activity, sorted. (Deletes are left
 * out: when two clients delete one task, the first to arrive records the delete — correctly
 * order-dependent; the tombstones themselves are compared through the rows.)
 */
async function audited(h: EngineHarness): Promise<string[]> {
  const rows = (await h.activities(ORG)).map((data) => ({
    data: data as unknown as Record<string, unknown>,
  }));
  return rows
    .filter(
      (r) =>
        r.data['mutationId'] !== null && ['create', 'rejected'].includes(String(r.data['action'])),
    )
    .map(
      (r) =>
        `${String(r.data['clientId'])}#${String(r.data['mutationId'])}:${String(r.data['action'])}`,
    )
    .sort();
}

describe('sync engine under random delivery (seeded; fast-check prints the seed on failure)', () => {
  it('applies each mutation exactly once whatever the delivery order, duplication and gaps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 8 }), {
          minLength: CLIENTS.length,
          maxLength: CLIENTS.length,
        }),
        fc.array(deliveryArb, { maxLength: 25 }),
        async (plans, deliveries) => {
          const projectId = newEntityId();
          const taskIds = [newEntityId(), newEntityId(), newEntityId(), newEntityId()];
          const messy = await setup(projectId, taskIds);
          const tidy = await setup(
            projectId,
            taskIds,
            messy.clients.map((c) => c.clientId),
          );
          try {
            // Every client builds its offline outbox (same mutations for both servers).
            const outboxes = messy.clients.map((c, i) => {
              const created: EntityId[] = [];
              return plans[i]!.map((op) => toMutation(c, op, taskIds, projectId, created));
            });
            const acked = messy.clients.map(() => 0);
            const send = async (i: number, batch: Mutation[]) => {
              const c = messy.clients[i]!;
              try {
                const res = await messy.h.engine.push(c.actor, {
                  protocolVersion: PROTOCOL_VERSION,
                  clientId: c.clientId,
                  mutations: batch,
                });
                acked[i] = res.lastMutationId;
              } catch (err) {
                expect(err).toBeInstanceOf(AppError);
                expect((err as AppError).code).toBe('MUTATION_GAP');
              }
            };
            // The messy network: slices around the acknowledged point, so some are replays,
            // some overlap, some leave gaps.
            for (const d of deliveries) {
              const start = Math.max(0, acked[d.client]! + d.from);
              const slice = outboxes[d.client]!.slice(start, start + d.size);
              if (slice.length > 0) await send(d.client, slice);
            }
            // Then every client flushes what is left, as a real client does.
            for (const [i, outbox] of outboxes.entries()) {
              const rest = outbox.slice(acked[i]);
              if (rest.length > 0) await send(i, rest);
              expect(acked[i]).toBe(outbox.length);
            }
            // The tidy network: each outbox once, in order, client by client.
            for (const [i, outbox] of outboxes.entries()) {
              const c = tidy.clients[i]!;
              await tidy.h.engine.push(tidy.clients[i]!.actor, {
                protocolVersion: PROTOCOL_VERSION,
                clientId: c.clientId,
                mutations: outbox,
              });
            }
            expect(await taskState(messy.h)).toEqual(await taskState(tidy.h));
            // Nothing was processed twice: the per-mutation audit trail is the same.
            expect(await audited(messy.h)).toEqual(await audited(tidy.h));

            // The log replayed from 0 (what a fresh replica pulls) rebuilds the server's rows.
            const log = await messy.h.pullAll(
              messy.clients[0]!.actor,
              messy.clients[0]!.clientId,
              50,
            );
            // Strictly increasing, one entry per row (the log is compacted: seqs have gaps).
            expect(log.map((c) => c.seq)).toEqual(
              [...new Set(log.map((c) => c.seq))].sort((a, b) => a - b),
            );
            const rowEntries = log.filter((c) => c.entity !== 'activity');
            expect(new Set(rowEntries.map((c) => c.entityId)).size).toBe(rowEntries.length);
            const mirror = new Map<string, unknown>();
            for (const c of log)
              if (c.entity === 'task')
                mirror.set(c.entityId, {
                  clocks: sameWriters(c.clocks),
                  deleted: sameWriter(c.deleted),
                  title: c.row.title,
                });
            const server = await taskState(messy.h);
            expect(server.map((r) => mirror.get(r.id))).toEqual(
              server.map((r) => ({ clocks: r.clocks, deleted: r.deleted, title: r.title })),
            );
          } finally {
            await messy.h.close();
            await tidy.h.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMutation, mutationState } from './apply-mutation.js';
import { serializeHlc, type HlcString } from './hlc.js';
import type { EntityId, MutationId } from './ids.js';
import { EMPTY_RECORD, mergeRecords } from './merge.js';
import type { Mutation } from './protocol/mutation.js';

const ID = '0190a000-0000-7000-8000-000000000001' as EntityId;
const PROJECT = '0190a000-0000-7000-8000-000000000002' as EntityId;
const hlc = (wall: number, node = 'a'): HlcString =>
  `${String(wall).padStart(15, '0')}-00000-${node}` as HlcString;
const mid = (n: number) => n as MutationId;

const create: Mutation = {
  type: 'task.create',
  id: mid(1),
  hlc: hlc(1),
  entityId: ID,
  fields: {
    projectId: PROJECT,
    title: 'Buy rope',
    notes: '',
    status: 'todo',
    assigneeId: null,
    dueDate: null,
  },
};

describe('applyMutation', () => {
  it('creates a record with every field at the mutation clock', () => {
    const r = applyMutation(EMPTY_RECORD, create);
    expect(r.state.fields).toEqual(create.type === 'task.create' ? create.fields : {});
    expect(Object.values(r.state.clocks)).toEqual(Array(6).fill(hlc(1)));
    expect(r.changed).toHaveLength(6);
    expect(r.conflicts).toEqual([]);
  });

  it('updates only the fields it names, and reports an overwrite of a value it never saw', () => {
    const created = applyMutation(EMPTY_RECORD, create).state;
    const other = applyMutation(created, {
      type: 'task.update',
      id: mid(1),
      hlc: hlc(2, 'b'),
      entityId: ID,
      fields: { title: 'Buy rope (20 m)' },
      base: { title: hlc(1) },
    }).state;
    const r = applyMutation(other, {
      type: 'task.update',
      id: mid(2),
      hlc: hlc(3),
      entityId: ID,
      fields: { title: 'Buy chalk' },
      base: { title: hlc(1) },
    });
    expect(r.state.fields['title']).toBe('Buy chalk');
    expect(r.state.fields['notes']).toBe('');
    expect(r.changed).toEqual(['title']);
    expect(r.conflicts).toMatchObject([{ field: 'title', kind: 'lww', lost: 'Buy rope (20 m)' }]);
  });

  it('loses to a later write of the same field and says so', () => {
    const created = applyMutation(EMPTY_RECORD, create).state;
    const later = applyMutation(created, {
      type: 'task.update',
      id: mid(2),
      hlc: hlc(5),
      entityId: ID,
      fields: { status: 'done' },
    }).state;
    const r = applyMutation(later, {
      type: 'task.update',
      id: mid(1),
      hlc: hlc(4, 'b'),
      entityId: ID,
      fields: { status: 'doing' },
    });
    expect(r.state.fields['status']).toBe('done');
    expect(r.changed).toEqual([]);
    expect(r.conflicts).toMatchObject([
      { field: 'status', kind: 'lww', lost: 'doing', won: 'done' },
    ]);
  });

  it('deletes with a tombstone, after which edits are reported lost', () => {
    const created = applyMutation(EMPTY_RECORD, create).state;
    const deleted = applyMutation(created, {
      type: 'task.delete',
      id: mid(2),
      hlc: hlc(2),
      entityId: ID,
    });
    expect(deleted.state.deleted).toBe(hlc(2));
    expect(deleted.changed).toEqual(['deleted']);
    const edit = applyMutation(deleted.state, {
      type: 'task.update',
      id: mid(3),
      hlc: hlc(3),
      entityId: ID,
      fields: { title: 'Too late' },
    });
    expect(edit.state.deleted).toBe(hlc(2));
    expect(edit.changed).toEqual([]);
    expect(edit.conflicts).toMatchObject([{ field: 'title', kind: 'deleted', lost: 'Too late' }]);
  });

  it('changes nothing when the same mutation is applied twice (a replay)', () => {
    const once = applyMutation(EMPTY_RECORD, create).state;
    const twice = applyMutation(once, create);
    expect(twice.state).toEqual(once);
    expect(twice.changed).toEqual([]);
    expect(twice.conflicts).toEqual([]);
  });
});

describe('mutationState', () => {
  // Few clocks and values on purpose: equal clocks (replays, forged ties) and equal values are common.
  const hlcArb = fc
    .record({
      wall: fc.integer({ min: 1, max: 3 }),
      counter: fc.nat(1),
      node: fc.constantFrom('a', 'b'),
    })
    .map(serializeHlc);
  const mutationArb: fc.Arbitrary<Mutation> = fc
    .oneof(
      fc.record({
        type: fc.constantFrom('task.create' as const, 'task.update' as const),
        hlc: hlcArb,
        fields: fc.dictionary(
          fc.constantFrom('title', 'notes', 'status'),
          fc.oneof(fc.constantFrom('x', 'y'), fc.constant(null)),
          { minKeys: 1 },
        ),
        base: fc.dictionary(fc.constantFrom('title', 'notes', 'status'), fc.option(hlcArb)),
      }),
      fc.record({ type: fc.constant('task.delete' as const), hlc: hlcArb }),
    )
    .map((m) => ({ ...m, id: mid(1), entityId: ID }) as unknown as Mutation);

  it('joined into a state gives the state applyMutation gives', () => {
    fc.assert(
      fc.property(fc.array(mutationArb, { maxLength: 6 }), mutationArb, (history, m) => {
        const state = history.reduce((s, h) => applyMutation(s, h).state, EMPTY_RECORD);
        expect(mergeRecords(state, mutationState(m))).toEqual(applyMutation(state, m).state);
      }),
      { numRuns: 2000 },
    );
  });
});

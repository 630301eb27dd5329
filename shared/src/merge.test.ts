import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeHlc, type HlcString } from './hlc.js';
import { EMPTY_RECORD, applyDelete, applyWrite, mergeRecords, type RecordState } from './merge.js';

const RUNS = { numRuns: 1000 };
const NODES = [
  '0190a000-0000-7000-8000-00000000000a',
  '0190a000-0000-7000-8000-00000000000b',
  '0190a000-0000-7000-8000-00000000000c',
];
const FIELDS = ['title', 'notes', 'status'];

type Op =
  | { kind: 'write'; field: string; value: string; hlc: HlcString }
  | { kind: 'delete'; hlc: HlcString };

/** Small clock space on purpose: equal wall+counter on different nodes is common. */
const hlcArb = fc
  .record({
    wall: fc.integer({ min: 1, max: 4 }),
    counter: fc.integer({ min: 0, max: 2 }),
    node: fc.constantFrom(...NODES),
  })
  .map(serializeHlc);

/** Ops with unique clocks: one clock is one event, so it carries one value. */
const opsArb = fc.uniqueArray(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('write' as const),
        field: fc.constantFrom(...FIELDS),
        value: fc.string({ maxLength: 3 }),
        hlc: hlcArb,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), hlc: hlcArb }) },
  ),
  { selector: (op) => op.hlc, maxLength: 12 },
);

function apply(state: RecordState, op: Op): RecordState {
  return op.kind === 'write'
    ? applyWrite(state, { fields: { [op.field]: op.value }, hlc: op.hlc }).state
    : applyDelete(state, op.hlc).state;
}

const stateArb = opsArb.map((ops) => ops.reduce(apply, EMPTY_RECORD));

describe('mergeRecords', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        expect(mergeRecords(a, b)).toEqual(mergeRecords(b, a));
      }),
      RUNS,
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(stateArb, stateArb, stateArb, (a, b, c) => {
        expect(mergeRecords(mergeRecords(a, b), c)).toEqual(mergeRecords(a, mergeRecords(b, c)));
      }),
      RUNS,
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(stateArb, (a) => {
        expect(mergeRecords(a, a)).toEqual(a);
      }),
      RUNS,
    );
  });
});

describe('replicas applying the same writes', () => {
  it('end identical whatever the order, with duplicates', () => {
    fc.assert(
      fc.property(
        opsArb.chain((ops) =>
          fc.tuple(
            fc.constant(ops),
            fc.array(
              fc.tuple(
                fc.shuffledSubarray(ops, { minLength: ops.length }),
                fc.array(fc.constantFrom(...(ops.length ? ops : [null])), { maxLength: 4 }),
              ),
              {
                minLength: 2,
                maxLength: 5,
              },
            ),
          ),
        ),
        ([ops, replicas]) => {
          const states = replicas.map(([order, dups]) =>
            [...order, ...dups.filter((d): d is Op => d !== null)].reduce(apply, EMPTY_RECORD),
          );
          const reference = ops.reduce(apply, EMPTY_RECORD);
          for (const s of states) expect(s).toEqual(reference);
        },
      ),
      RUNS,
    );
  });

  it('break equal clock times by client id, whichever write arrives first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.nat(100),
        fc.uniqueArray(fc.constantFrom(...NODES), { minLength: 2, maxLength: 3 }),
        fc.string({ maxLength: 5 }),
        (wall, counter, nodes, seed) => {
          // Values sort opposite to client ids, so only the client-id tiebreak picks the winner.
          const label = (node: string) =>
            `${seed}:${String.fromCharCode(122 - NODES.indexOf(node))}`;
          const writes = nodes.map((node) => ({
            node,
            hlc: serializeHlc({ wall, counter, node }),
            value: label(node),
          }));
          const winner = [...nodes].sort().at(-1)!;
          for (const order of [writes, [...writes].reverse()]) {
            const s = order.reduce(
              (st, w) => applyWrite(st, { fields: { title: w.value }, hlc: w.hlc }).state,
              EMPTY_RECORD,
            );
            expect(s.fields['title']).toBe(label(winner));
          }
        },
      ),
      RUNS,
    );
  });

  it('treat a replayed write as a no-op: state unchanged, no other value reported lost', () => {
    fc.assert(
      fc.property(
        stateArb,
        hlcArb,
        fc.constantFrom(...FIELDS),
        fc.string({ maxLength: 3 }),
        (s0, hlc, field, value) => {
          const write = { fields: { [field]: value }, hlc };
          const once = applyWrite(s0, write);
          const twice = applyWrite(once.state, write);
          expect(twice.state).toEqual(once.state);
          expect(twice.changed).toEqual([]);
          // A replay can only repeat the report of its own loss, never blame another value.
          expect(twice.conflicts).toEqual(once.conflicts.filter((c) => c.lostHlc === hlc));
        },
      ),
      RUNS,
    );
  });
});

describe('conflict reporting', () => {
  const h = (wall: number, node: string) => serializeHlc({ wall, counter: 0, node });
  const A = NODES[0]!;
  const B = NODES[1]!;

  it('keeps concurrent edits to different fields', () => {
    const s1 = applyWrite(EMPTY_RECORD, { fields: { title: 't', notes: '' }, hlc: h(1, A) }).state;
    const a = applyWrite(s1, { fields: { title: 'A' }, hlc: h(2, A), base: { title: h(1, A) } });
    const b = applyWrite(a.state, {
      fields: { notes: 'B' },
      hlc: h(2, B),
      base: { notes: h(1, A) },
    });
    expect(b.state.fields).toEqual({ title: 'A', notes: 'B' });
    expect([...a.conflicts, ...b.conflicts]).toEqual([]);
  });

  it('reports the loser of a same-field race whichever arrives first', () => {
    const s1 = applyWrite(EMPTY_RECORD, { fields: { title: 't' }, hlc: h(1, A) }).state;
    const wa = { fields: { title: 'A' }, hlc: h(2, A), base: { title: h(1, A) } };
    const wb = { fields: { title: 'B' }, hlc: h(3, B), base: { title: h(1, A) } };
    // B's later write arrives second: it wins and A's value (never seen by B) is the loser.
    const ab = applyWrite(applyWrite(s1, wa).state, wb);
    expect(ab.state.fields['title']).toBe('B');
    expect(ab.conflicts).toMatchObject([{ field: 'title', kind: 'lww', lost: 'A', won: 'B' }]);
    // A's earlier write arrives second: it loses outright.
    const ba = applyWrite(applyWrite(s1, wb).state, wa);
    expect(ba.state.fields['title']).toBe('B');
    expect(ba.conflicts).toMatchObject([{ field: 'title', kind: 'lww', lost: 'A', won: 'B' }]);
  });

  it('does not report a sequential overwrite as a conflict', () => {
    const s1 = applyWrite(EMPTY_RECORD, { fields: { title: 'A' }, hlc: h(1, A) }).state;
    const r = applyWrite(s1, { fields: { title: 'B' }, hlc: h(2, B), base: { title: h(1, A) } });
    expect(r.conflicts).toEqual([]);
  });

  it('delete wins over an edit in either order, and the edit is reported lost', () => {
    const s1 = applyWrite(EMPTY_RECORD, { fields: { title: 't' }, hlc: h(1, A) }).state;
    const edit = { fields: { title: 'late edit' }, hlc: h(5, B) };
    const editThenDelete = applyDelete(applyWrite(s1, edit).state, h(3, A));
    const deleteThenEdit = applyWrite(applyDelete(s1, h(3, A)).state, edit);
    expect(editThenDelete.state).toEqual(deleteThenEdit.state);
    expect(editThenDelete.state.deleted).not.toBeNull();
    expect(editThenDelete.conflicts).toMatchObject([
      { field: 'title', kind: 'deleted', lost: 'late edit' },
    ]);
    expect(deleteThenEdit.conflicts).toMatchObject([
      { field: 'title', kind: 'deleted', lost: 'late edit' },
    ]);
  });
});

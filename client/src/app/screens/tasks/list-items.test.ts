import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listItems, sharesPositions, type ListItems, type Section } from './list-items';

const ids = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `t${String(from + i).padStart(6, '0')}`);

function sections(doing: readonly string[], todo: readonly string[], done?: readonly string[]) {
  return [
    { status: 'doing', ids: doing, count: doing.length },
    { status: 'todo', ids: todo, count: todo.length },
    done
      ? { status: 'done', ids: done, count: done.length }
      : { status: 'done', ids: [], count: 3, collapsed: true },
  ] satisfies Section[];
}

/** What a list built from nothing has: its items' keys, and every task's position. */
function laidOut(list: ListItems) {
  return {
    keys: list.items.map((it) => `${it.key}${it.kind === 'head' ? `(${it.count})` : ''}`),
    heads: list.heads,
    at: list.items.flatMap((it) => (it.kind === 'task' ? [[it.id, list.indexOf(it.id)]] : [])),
  };
}

describe('listItems', () => {
  it('patches an add to a long list: the same items and map of positions, one put in', () => {
    const todo = ids(10_000, 100);
    const before = listItems(null, sections(ids(3), todo));
    const added = 't999999';
    const after = listItems(before, sections(ids(3), [...todo, added]));
    expect(sharesPositions(before, after)).toBe(true);
    // The items around it are the same objects (their windows, as read, too).
    expect(after.items[10]).toBe(before.items[10]);
    expect(after.items.at(-3)).toBe(before.items.at(-2));
    const at = after.indexOf(added);
    expect(after.items[at]).toMatchObject({ kind: 'task', id: added, window: [added] });
    expect(at).toBe(1 + 3 + 1 + 10_000);
    // The heading's count follows.
    expect(after.items[4]).toMatchObject({ kind: 'head', count: 10_001 });
    expect(after.indexOf('t000002')).toBe(3);
    expect(after.indexOf('nope')).toBe(-1);
    // A tick (one out of In progress, one into Completed, open) shifts what follows.
    const done = ids(2, 50_000);
    const opened = listItems(after, sections(ids(3), [...todo, added], done));
    const ticked = listItems(
      opened,
      sections(ids(2), [...todo, added], ['t000002', ...done].sort()),
    );
    expect(laidOut(ticked)).toEqual(
      laidOut(listItems(null, sections(ids(2), [...todo, added], ['t000002', ...done].sort()))),
    );
  });

  it('lays a list out as one built from nothing, after any changes', () => {
    const pool = ids(30);
    type State = { doing: string[]; todo: string[]; done: string[] | undefined };
    const where = fc.constantFrom('doing', 'todo', 'done', 'none');
    // Each task in one section (or none), as the app lists them; Completed folded or open.
    const state: fc.Arbitrary<State> = fc
      .record({ at: fc.array(where, { minLength: 30, maxLength: 30 }), open: fc.boolean() })
      .map(({ at, open }) => {
        const of = (k: string) => pool.filter((_, i) => at[i] === k);
        return { doing: of('doing'), todo: of('todo'), done: open ? of('done') : undefined };
      });
    // Often one task moved (added, ticked, deleted): what is patched. Sometimes into a second
    // section without leaving the first (never patched).
    const nudged = (s: State) =>
      fc
        .record({ to: where, id: fc.constantFrom(...pool), keep: fc.nat(9) })
        .map(({ to, id, keep }) => {
          const move = (k: 'doing' | 'todo' | 'done') => {
            const list = s[k];
            if (!list) return list;
            const rest = keep === 0 ? list : list.filter((x) => x !== id);
            return k === to && !rest.includes(id) ? [...rest, id].sort() : rest;
          };
          return { doing: move('doing')!, todo: move('todo')!, done: move('done') };
        });
    fc.assert(
      fc.property(
        state,
        fc.array(fc.nat(), { minLength: 1, maxLength: 80 }),
        fc.infiniteStream(fc.boolean()),
        (first, seeds, jumps) => {
          let s = first;
          let list = listItems(null, sections(s.doing, s.todo, s.done));
          for (const seed of seeds) {
            s = jumps.next().value
              ? fc.sample(state, { seed, numRuns: 1 })[0]!
              : fc.sample(nudged(s), { seed, numRuns: 1 })[0]!;
            const next = sections(s.doing, s.todo, s.done);
            list = listItems(list, next);
            expect(laidOut(list)).toEqual(laidOut(listItems(null, next)));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

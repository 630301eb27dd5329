import { describe, expect, it } from 'vitest';
import {
  createLeftPlaces,
  edge,
  pageStep,
  placeIn,
  step,
  takePlace,
  unreadBetween,
  type CursorItem,
  type SectionItem,
} from './cursor';

const head = { kind: 'head' } as const;
const task = (id: string) => ({ kind: 'task', id }) as const;
// In progress: a; To do: b, c, one row not read yet; Completed (folded).
const items: CursorItem[] = [
  head,
  task('a'),
  head,
  task('b'),
  task('c'),
  { kind: 'pending' },
  head,
];

describe('step (j/k)', () => {
  it('moves to the next or previous task, over section heads', () => {
    expect(step(items, 1, 1)).toBe(3);
    expect(step(items, 3, -1)).toBe(1);
    expect(step(items, 3, 1)).toBe(4);
  });
  it('stays put past either end (-1) and skips rows not read yet', () => {
    expect(step(items, 1, -1)).toBe(-1);
    expect(step(items, 4, 1)).toBe(-1);
  });
  it('from no task, j takes the first task and k nothing', () => {
    expect(step(items, -1, 1)).toBe(1);
    expect(step(items, -1, -1)).toBe(-1);
    expect(step([head], -1, 1)).toBe(-1);
  });
});

describe('edge (Home/End)', () => {
  it('is the first or last task, not a section head or a row not read yet', () => {
    expect(edge(items, 'first')).toBe(1);
    expect(edge(items, 'last')).toBe(4);
    expect(edge([head], 'first')).toBe(-1);
    expect(edge([head], 'last')).toBe(-1);
  });
});

describe('unreadBetween (a key waits for the rows it would move over)', () => {
  it('is true when a row not read yet lies between the two, either way, ends excluded', () => {
    // j from c, or End: the row after c is still being read.
    expect(unreadBetween(items, 4, items.length)).toBe(true);
    expect(unreadBetween(items, 4, -1)).toBe(false);
    expect(unreadBetween(items, 1, 3)).toBe(false);
    expect(unreadBetween(items, 6, 4)).toBe(true);
    expect(unreadBetween(items, 5, 6)).toBe(false);
  });
});

describe('takePlace', () => {
  it('is the task now at the left row’s index', () => {
    // b left: c is at 3 now.
    expect(takePlace([head, task('a'), head, task('c'), head], 3)).toBe(3);
  });
  it('skips a head at that index to the next task', () => {
    // a (the only one in progress) left: the To do head is at 1, b after it.
    expect(takePlace([head, task('b'), head], 1)).toBe(1);
    expect(takePlace([head, head, task('b')], 1)).toBe(2);
  });
  it('falls back to the last task before it when the left row was the last', () => {
    expect(takePlace([head, task('a'), head, task('b'), head], 4)).toBe(3);
    expect(takePlace([head, task('a')], 5)).toBe(1);
  });
  it('is -1 when no task is left', () => {
    expect(takePlace([head], 1)).toBe(-1);
    expect(takePlace([], 0)).toBe(-1);
  });
});

describe('placeIn', () => {
  const items: SectionItem[] = [
    { kind: 'head', status: 'doing' },
    { kind: 'task', id: '05' },
    { kind: 'head', status: 'todo' },
    { kind: 'task', id: '02' },
    { kind: 'task', id: '04' },
    { kind: 'pending' },
    { kind: 'task', id: '08' },
    { kind: 'head', status: 'done' },
  ];

  it('finds where a task that left its section stood: the next task after it in key order', () => {
    expect(placeIn(items, 'todo', '03')).toBe(4);
    expect(placeIn(items, 'todo', '01')).toBe(3);
    expect(placeIn(items, 'todo', '06')).toBe(6);
  });

  it('takes the section’s last task past its end, and none from a section without tasks', () => {
    expect(placeIn(items, 'todo', '09')).toBe(6);
    expect(placeIn(items, 'done', '01')).toBe(-1);
    expect(placeIn(items, 'results', '01')).toBe(-1);
  });
});

describe('createLeftPlaces', () => {
  const places = (ids: string[]) => (id: string) => ids.indexOf(id);

  it('says where a row stood in the list it just left, the latest place first', () => {
    let t = 0;
    const left = createLeftPlaces(2000, () => t);
    expect(left.of('b')).toBe(-1);
    left.replaced(places(['a', 'b', 'c']));
    t = 10;
    left.replaced(places(['b', 'c']));
    expect(left.of('b')).toBe(0);
    expect(left.of('a')).toBe(0);
    expect(left.of('z')).toBe(-1);
  });

  it('forgets a list once ttlMs passed since it was replaced', () => {
    let t = 0;
    const left = createLeftPlaces(2000, () => t);
    left.replaced(places(['a', 'b']));
    t = 1999;
    expect(left.of('b')).toBe(1);
    t = 2000;
    expect(left.of('b')).toBe(-1);
  });

  it('keeps only the last few lists', () => {
    const left = createLeftPlaces(2000, () => 0);
    left.replaced(places(['gone']));
    for (let k = 0; k < 8; k++) left.replaced(places([`r${k}`]));
    expect(left.of('gone')).toBe(-1);
    expect(left.of('r0')).toBe(0);
  });
});

describe('pageStep (Page Down / Page Up)', () => {
  // A head, then ten tasks, rows 40px apart.
  const list: CursorItem[] = [head, ...Array.from({ length: 10 }, (_, i) => task(`t${i}`))];
  const startOf = (i: number) => i * 40;
  it('moves to the farthest task within a page of the cursor', () => {
    expect(pageStep(list, 1, 1, startOf, 160)).toBe(5);
    expect(pageStep(list, 7, -1, startOf, 160)).toBe(3);
  });
  it('stops at the last or first task, skipping heads', () => {
    expect(pageStep(list, 8, 1, startOf, 400)).toBe(10);
    expect(pageStep(list, 3, -1, startOf, 400)).toBe(1);
    expect(pageStep(list, 10, 1, startOf, 400)).toBe(-1);
    expect(pageStep(list, 1, -1, startOf, 400)).toBe(-1);
  });
  it('moves at least one task, however tall the row', () => {
    expect(pageStep(list, 1, 1, startOf, 10)).toBe(2);
  });
  it('from no task, Page Down takes the first', () => {
    expect(pageStep(list, -1, 1, startOf, 160)).toBe(1);
    expect(pageStep(list, -1, -1, startOf, 160)).toBe(-1);
  });
});

import { describe, expect, it } from 'vitest';
import type { SearchEntry } from '../../../data';
import {
  createSorter,
  openingSort,
  parseSort,
  rememberedSort,
  rememberSort,
  sortIds,
} from './sort';

type Keys = Pick<SearchEntry, 'status' | 'dueDate' | 'title' | 'updatedAt'>;
const k = (over: Partial<Keys> = {}): Keys => ({
  status: 'todo',
  dueDate: null,
  title: 'A task',
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...over,
});
const byId = (rows: Record<string, Partial<Keys>>) =>
  new Map(Object.entries(rows).map(([id, over]) => [id, k(over)]));

describe('sorting a task list', () => {
  it('keeps the default (created) order as it is, the same array', () => {
    const ids = ['c', 'a', 'b'];
    expect(sortIds(ids, byId({ a: {}, b: {}, c: {} }), 'created')).toBe(ids);
  });

  it('by due date: overdue and soonest first, no date last, ties in created order', () => {
    const rows = byId({
      a: { dueDate: null },
      b: { dueDate: '2026-12-10' },
      c: { dueDate: '2026-11-20' }, // overdue
      d: { dueDate: '2026-12-10' }, // same day as b, created after it
      e: { dueDate: null },
      f: { dueDate: '2026-12-04' },
    });
    expect(sortIds(['a', 'b', 'c', 'd', 'e', 'f'], rows, 'due')).toEqual([
      'c',
      'f',
      'b',
      'd',
      'a',
      'e',
    ]);
  });

  it('by due date among results: a done task, never overdue, comes after the open ones', () => {
    const rows = byId({
      a: { dueDate: '2026-12-09' },
      b: { dueDate: '2026-11-01', status: 'done' },
      c: { dueDate: null },
    });
    expect(sortIds(['a', 'b', 'c'], rows, 'due')).toEqual(['a', 'c', 'b']);
  });

  it('by recently updated: the latest change first, whatever offset its stamp has', () => {
    const rows = byId({
      a: { updatedAt: '2026-12-01T10:00:00.000Z' },
      b: { updatedAt: '2026-12-03T09:00:00.000Z' },
      // 2026-12-03T10:00Z, written with an offset: later than b though its text sorts lower.
      c: { updatedAt: '2026-12-03T08:00:00.000-02:00' },
      d: { updatedAt: '2026-12-01T10:00:00.000Z' }, // a tie with a
    });
    expect(sortIds(['a', 'b', 'c', 'd'], rows, 'updated')).toEqual(['c', 'b', 'a', 'd']);
  });

  it('by title: A–Z ignoring case and accents, numbers in natural order, ties in created order', () => {
    const rows = byId({
      a: { title: 'Step 10' },
      b: { title: 'step 2' },
      c: { title: 'Étude' },
      d: { title: 'apple' },
      e: { title: 'Banana' },
      f: { title: 'Step 2' },
    });
    expect(sortIds(['a', 'b', 'c', 'd', 'e', 'f'], rows, 'title', 'en')).toEqual([
      'd',
      'e',
      'c',
      'b',
      'f',
      'a',
    ]);
  });

  it('by title in the user’s language: Swedish puts Ö after Z, German beside O', () => {
    const rows = byId({ a: { title: 'Öl' }, b: { title: 'Zebra' }, c: { title: 'Ost' } });
    expect(sortIds(['a', 'b', 'c'], rows, 'title', 'sv')).toEqual(['c', 'b', 'a']);
    expect(sortIds(['a', 'b', 'c'], rows, 'title', 'de')).toEqual(['a', 'c', 'b']);
  });

  it('puts a task not read yet after the others, in created order', () => {
    const rows = byId({ b: { title: 'B' }, d: { title: 'A' } });
    expect(sortIds(['a', 'b', 'c', 'd'], rows, 'title', 'en')).toEqual(['d', 'b', 'a', 'c']);
  });

  it('reads the URL’s sort, taking an unknown one as the default', () => {
    expect(parseSort('due')).toBe('due');
    expect(parseSort(null)).toBe('created');
    expect(parseSort('priority')).toBe('created');
  });

  it('kept sorted as tasks change, comes out as a fresh sort would, the same array while nothing changed', () => {
    // A seeded walk (mulberry32): edits, new tasks, tasks gone, tasks not read yet.
    let seed = 19;
    const rnd = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const keys = (): Keys =>
      k({
        status: pick(['todo', 'done'] as const),
        dueDate: pick([null, '2026-11-20', '2026-12-04', '2026-12-10']),
        title: pick(['Step 2', 'step 10', 'Étude', 'apple', 'Banana']),
        updatedAt: `2026-12-0${1 + Math.floor(rnd() * 3)}T10:00:00.000Z`,
      });
    let next = 0;
    const newId = () => `id${String(next++).padStart(4, '0')}`;
    for (const sort of ['due', 'updated', 'title'] as const) {
      const byId = new Map<string, Keys>();
      let ids: string[] = [];
      for (let i = 0; i < 200; i++) {
        const id = newId();
        ids.push(id);
        if (rnd() < 0.95) byId.set(id, keys());
      }
      const sorter = createSorter('en');
      for (let step = 0; step < 300; step++) {
        const map = new Map(byId);
        const changes = 1 + Math.floor(rnd() * (step % 50 === 0 ? 100 : 4));
        for (let c = 0; c < changes; c++) {
          const r = rnd();
          if (r < 0.5) map.set(pick(ids), keys());
          else if (r < 0.7) {
            const id = newId();
            ids = [...ids, id];
            map.set(id, keys());
          } else if (r < 0.9 && ids.length > 1) {
            const gone = pick(ids);
            ids = ids.filter((id) => id !== gone);
          } else map.delete(pick(ids));
        }
        byId.clear();
        for (const [id, e] of map) byId.set(id, e);
        const got = sorter(ids, map, sort);
        expect(got, `${sort}, step ${step}`).toEqual(sortIds(ids, map, sort, 'en'));
        expect(sorter(ids, map, sort)).toBe(got);
      }
    }
  });
});

describe('the order remembered per project', () => {
  /** A localStorage of its own (the tests have no DOM). */
  const storage = (): Storage => {
    const m = new Map<string, string>();
    return {
      get length() {
        return m.size;
      },
      clear: () => m.clear(),
      getItem: (k) => m.get(k) ?? null,
      key: (i) => [...m.keys()][i] ?? null,
      removeItem: (k) => void m.delete(k),
      setItem: (k, v) => void m.set(k, v),
    };
  };

  const org1 = { orgId: 'org1', userId: 'u1' };
  const org2 = { orgId: 'org2', userId: 'u3' };

  it('is the one last chosen for that project in that org, by that person; Created (the default) forgets it', () => {
    const s = storage();
    expect(rememberedSort(org1, 'p1', s)).toBe('created');
    rememberSort(org1, 'p1', 'due', s);
    expect(rememberedSort(org1, 'p1', s)).toBe('due');
    // Another project, or the same id in another org, has its own.
    expect(rememberedSort(org1, 'p2', s)).toBe('created');
    expect(rememberedSort(org2, 'p1', s)).toBe('created');
    // So has another person signed in on this device.
    expect(rememberedSort({ orgId: 'org1', userId: 'u2' }, 'p1', s)).toBe('created');
    rememberSort(org1, 'p1', 'title', s);
    expect(rememberedSort(org1, 'p1', s)).toBe('title');
    rememberSort(org1, 'p1', 'created', s);
    expect(rememberedSort(org1, 'p1', s)).toBe('created');
    expect(s.length).toBe(0);
  });

  it('is the default where there is no storage, or it refuses', () => {
    expect(rememberedSort(org1, 'p1', null)).toBe('created');
    const refusing = {
      ...storage(),
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => rememberSort(org1, 'p1', 'due', refusing)).not.toThrow();
    expect(rememberedSort(org1, 'p1', refusing)).toBe('created');
  });

  it('gives way to an order named in the link', () => {
    expect(openingSort('title', 'due')).toBe('title');
    expect(openingSort(undefined, 'due')).toBe('due');
    expect(openingSort(undefined, 'created')).toBe('created');
  });
});

import { describe, expect, it } from 'vitest';
import type { SearchEntry } from '../../../data';
import { parseSort, sortIds } from './sort';

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
});

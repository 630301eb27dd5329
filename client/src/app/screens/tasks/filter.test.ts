import { describe, expect, it } from 'vitest';
import { searchText, type SearchEntry } from '../../../data';
import type { Task } from '@outpost/shared';
import { taskRow } from '../../../../test/helpers/task-row';
import { isActive, matchesTask, matchTasks, mine, NO_QUERY } from './filter';

const e = (id: string, over: Partial<SearchEntry> = {}): SearchEntry => ({
  id,
  projectId: 'p1',
  status: 'todo',
  assigneeId: null,
  dueDate: null,
  title: '',
  updatedAt: '',
  text: '',
  ...over,
});
const today = '2026-11-30';

describe('task search and filters', () => {
  const entries = [
    e('a', { text: 'book the venue\ncapacity 40' }),
    e('b', { text: 'print flyers', status: 'done', dueDate: '2026-11-01' }),
    e('c', { text: 'order snacks', dueDate: '2026-11-29', assigneeId: 'u1' }),
    e('d', { text: 'venue deposit', dueDate: '2026-12-04', status: 'doing' }),
    e('e', { text: 'later', dueDate: '2026-12-10' }),
  ];

  it('matches every word in title or notes, case-insensitively', () => {
    expect(matchTasks(entries, { ...NO_QUERY, text: 'VENUE' }, today)).toEqual(['a', 'd']);
    expect(matchTasks(entries, { ...NO_QUERY, text: 'venue 40' }, today)).toEqual(['a']);
    expect(matchTasks(entries, { ...NO_QUERY, text: 'nothing' }, today)).toEqual([]);
  });

  it('ignores accents and other marks, in the text and in the words typed', () => {
    const folded = [e('f', { text: searchText('Café crème\nÉCOLE Straße') }), ...entries];
    for (const typed of ['cafe', 'CAFÉ', 'creme', 'ecole', 'école', 'strasse', 'straße'])
      expect(matchTasks(folded, { ...NO_QUERY, text: typed }, today)).toEqual(['f']);
  });

  it('filters by status, assignee and due date', () => {
    expect(matchTasks(entries, { ...NO_QUERY, status: 'done' }, today)).toEqual(['b']);
    expect(matchTasks(entries, { ...NO_QUERY, status: 'open' }, today)).toEqual([
      'a',
      'c',
      'd',
      'e',
    ]);
    expect(matchTasks(entries, { ...NO_QUERY, assignee: 'u1' }, today)).toEqual(['c']);
    expect(matchTasks(entries, { ...NO_QUERY, assignee: 'none' }, today)).toEqual([
      'a',
      'b',
      'd',
      'e',
    ]);
    // Done tasks are never overdue; "this week" is today and the six days after.
    expect(matchTasks(entries, { ...NO_QUERY, due: 'overdue' }, today)).toEqual(['c']);
    expect(matchTasks(entries, { ...NO_QUERY, due: 'week' }, today)).toEqual(['d']);
  });

  it('keeps to one project when asked', () => {
    const mixed = [...entries, e('f', { text: 'venue map', projectId: 'p2' })];
    expect(matchTasks(mixed, { ...NO_QUERY, text: 'venue' }, today)).toEqual(['a', 'd', 'f']);
    expect(matchTasks(mixed, { ...NO_QUERY, text: 'venue' }, today, 'p2')).toEqual(['f']);
  });

  it('knows when nothing is filtered', () => {
    expect(isActive(NO_QUERY)).toBe(false);
    expect(isActive({ ...NO_QUERY, text: '  ' })).toBe(false);
    expect(isActive({ ...NO_QUERY, due: 'week' })).toBe(true);
  });
});

describe('one task against the search and filters', () => {
  const t = (over: Partial<Task>) => taskRow(over) as unknown as Task;

  it('reads its title and notes, status and project as matchTasks does', () => {
    const task = t({ title: 'Book the Café', notes: 'capacity 40', status: 'todo' });
    expect(matchesTask(task, { ...NO_QUERY, text: 'cafe 40' }, today)).toBe(true);
    expect(matchesTask(task, { ...NO_QUERY, text: 'venue' }, today)).toBe(false);
    expect(matchesTask(task, { ...NO_QUERY, status: 'done' }, today)).toBe(false);
    expect(matchesTask(task, NO_QUERY, today, task.projectId)).toBe(true);
    expect(matchesTask(task, NO_QUERY, today, 'another project')).toBe(false);
  });
});

describe('the m key', () => {
  it('shows only my tasks, keeping the rest of the search, and everyone’s again', () => {
    const q = { ...NO_QUERY, text: 'venue', assignee: 'none' };
    expect(mine(q, 'me')).toEqual({ ...q, assignee: 'me' });
    expect(mine(mine(q, 'me'), 'me')).toEqual({ ...q, assignee: 'any' });
  });
});

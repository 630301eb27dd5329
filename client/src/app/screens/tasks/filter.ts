import type { Task, TaskStatus } from '@outpost/shared';
import { searchEntry, type SearchEntry } from '../../../data';
import { addDays } from '../../ui/format';
import { queryWords } from './highlight';

export type DueFilter = 'any' | 'overdue' | 'week' | 'none';
export type AssigneeFilter = 'any' | 'none' | string;

export interface TaskQuery {
  text: string;
  status: TaskStatus | 'open' | 'all';
  assignee: AssigneeFilter;
  due: DueFilter;
}

export const NO_QUERY: TaskQuery = { text: '', status: 'all', assignee: 'any', due: 'any' };

export function isActive(q: TaskQuery): boolean {
  return q.text.trim() !== '' || q.status !== 'all' || q.assignee !== 'any' || q.due !== 'any';
}

/** The `m` key: only the tasks assigned to me, or everyone's again. */
export function mine(q: TaskQuery, me: string): TaskQuery {
  return { ...q, assignee: q.assignee === me ? 'any' : me };
}

/**
 * Local search and filters over the workspace's entries (or one project's): every word must
 * appear in the title or the notes (ignoring case and accents). Pure and synchronous, so results follow
 * each keystroke.
 */
export function matchTasks(
  entries: readonly SearchEntry[],
  q: TaskQuery,
  today: string,
  projectId?: string,
): string[] {
  const words = queryWords(q.text);
  const weekEnd = addDays(today, 6);
  const out: string[] = [];
  for (const e of entries) {
    if (projectId !== undefined && e.projectId !== projectId) continue;
    if (q.status === 'open' ? e.status === 'done' : q.status !== 'all' && e.status !== q.status)
      continue;
    if (
      q.assignee === 'none'
        ? e.assigneeId !== null
        : q.assignee !== 'any' && e.assigneeId !== q.assignee
    )
      continue;
    if (q.due === 'overdue' && !(e.dueDate !== null && e.dueDate < today && e.status !== 'done'))
      continue;
    if (q.due === 'week' && !(e.dueDate !== null && e.dueDate >= today && e.dueDate <= weekEnd))
      continue;
    if (q.due === 'none' && e.dueDate !== null) continue;
    if (words.length && !words.every((w) => e.text.includes(w))) continue;
    out.push(e.id);
  }
  return out;
}

/** Whether one task, as it now is, matches the search and filters (as `matchTasks` would list it). */
export function matchesTask(t: Task, q: TaskQuery, today: string, projectId?: string): boolean {
  return matchTasks([searchEntry(t)], q, today, projectId).length > 0;
}

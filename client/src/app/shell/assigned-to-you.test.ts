import type { Activity } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { assignedTo, assignedToast, claimUntold, type Assigned } from './assigned-to-you';
import { named } from '../ui/toasts';

function activity(over: Partial<Record<keyof Activity, unknown>>): Activity {
  return {
    id: 'a',
    orgId: 'org_x',
    createdAt: '2026-12-03T10:00:00.000Z',
    updatedAt: '2026-12-03T10:00:00.000Z',
    version: 1,
    actorId: 'ana',
    action: 'update',
    entity: 'task',
    entityId: 't1',
    changes: [{ field: 'assigneeId', from: null, to: 'ben' }],
    reason: null,
    requestId: null,
    clientId: null,
    mutationId: null,
    ...over,
  } as unknown as Activity;
}

const task = (taskId: string, by = 'Ana'): Assigned => ({
  taskId,
  projectId: 'p1',
  title: `Task ${taskId}`,
  by,
});

describe('telling a teammate a task was assigned to them', () => {
  it('finds a teammate’s create or update that gives the reader a task, never their own', () => {
    expect(assignedTo(activity({}), 'ben')).toBe('t1');
    expect(assignedTo(activity({ action: 'create' }), 'ben')).toBe('t1');
    // Their own change, a system write, someone else's task, another field: not news.
    expect(assignedTo(activity({ actorId: 'ben' }), 'ben')).toBeNull();
    expect(assignedTo(activity({ actorId: null }), 'ben')).toBeNull();
    expect(assignedTo(activity({}), 'cy')).toBeNull();
    expect(
      assignedTo(activity({ changes: [{ field: 'assigneeId', from: 'ben', to: null }] }), 'ben'),
    ).toBeNull();
    expect(assignedTo(activity({ action: 'conflict' }), 'ben')).toBeNull();
    expect(assignedTo(activity({ entity: 'project', entityId: 'p1' }), 'ben')).toBeNull();
  });

  it('says one task by name, and many in one summary naming who', () => {
    expect(assignedToast([])).toBeNull();
    expect(assignedToast([task('1')])).toMatchObject({
      kind: 'one',
      message: `${named('Ana')} assigned “Task 1” to you`,
    });
    expect(assignedToast(['1', '2', '3', '4', '5'].map((id) => task(id)))).toEqual({
      kind: 'many',
      message: `${named('Ana')} assigned you 5 tasks`,
    });
    expect(assignedToast([task('1'), task('2', 'Bo')])?.message).toBe(
      `${named('Ana')} and ${named('Bo')} assigned you 2 tasks`,
    );
    expect(
      assignedToast(['Ana', 'Bo', 'Cy', 'Di'].map((by, i) => task(String(i), by)))?.message,
    ).toBe(`${named('Ana')}, ${named('Bo')} and 2 others assigned you 4 tasks`);
  });
});

describe('claimUntold (each assignment told in one tab)', () => {
  function memoryStorage(): Storage {
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
  }

  it('gives each assignment to the first tab that claims it, and a new one again', () => {
    const storage = memoryStorage();
    expect(claimUntold(storage, 'told', ['t1@4', 't2@5'])).toEqual(['t1@4', 't2@5']);
    // The other tab, with the same two and one more.
    expect(claimUntold(storage, 'told', ['t1@4', 't2@5', 't3@6'])).toEqual(['t3@6']);
    // The same task given to the reader again later is news again.
    expect(claimUntold(storage, 'told', ['t1@9'])).toEqual(['t1@9']);
    expect(claimUntold(storage, 'told', ['t1@9'])).toEqual([]);
  });
});

import type { Activity } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { assignedTo, assignedToast, type Assigned } from './assigned-to-you';

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
      message: 'Ana assigned “Task 1” to you',
    });
    expect(assignedToast(['1', '2', '3', '4', '5'].map((id) => task(id)))).toEqual({
      kind: 'many',
      message: 'Ana assigned you 5 tasks',
    });
    expect(assignedToast([task('1'), task('2', 'Bo')])?.message).toBe(
      'Ana and Bo assigned you 2 tasks',
    );
    expect(
      assignedToast(['Ana', 'Bo', 'Cy', 'Di'].map((by, i) => task(String(i), by)))?.message,
    ).toBe('Ana, Bo and 2 others assigned you 4 tasks');
  });
});

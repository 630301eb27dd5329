import { describe, expect, it } from 'vitest';
import { deletedWithProject, deletedWithProjectReason } from './conflict.js';

describe('deletedWithProject', () => {
  const project = '01a232ea-0000-7000-8000-000000000002';

  it('reads the project from a task delete its project’s delete made', () => {
    const reason = deletedWithProjectReason(project);
    // The words stored in existing audit entries, which the app reads back.
    expect(reason).toBe(`its project ${project} was deleted`);
    expect(deletedWithProject({ action: 'delete', reason })).toBe(project);
  });

  it('is null for a task deleted on its own, or another action', () => {
    expect(deletedWithProject({ action: 'delete', reason: null })).toBeNull();
    expect(
      deletedWithProject({ action: 'update', reason: deletedWithProjectReason(project) }),
    ).toBeNull();
  });
});

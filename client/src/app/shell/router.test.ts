import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from './router';

describe('hash routes', () => {
  it('round-trips every route through its href', () => {
    const routes: Route[] = [
      { name: 'projects' },
      { name: 'project', id: '0190a0b0-0000-7000-8000-000000000001' },
      {
        name: 'project',
        id: '0190a0b0-0000-7000-8000-000000000001',
        taskId: '0190a0b0-0000-7000-8000-000000000002',
      },
      { name: 'project', id: '0190a0b0-0000-7000-8000-000000000001', sort: 'due' },
      {
        name: 'project',
        id: '0190a0b0-0000-7000-8000-000000000001',
        taskId: '0190a0b0-0000-7000-8000-000000000002',
        sort: 'title',
      },
      { name: 'activity' },
      { name: 'activity', entityId: '0190a0b0-0000-7000-8000-000000000002' },
      { name: 'sync' },
      { name: 'resources' },
      { name: 'members' },
      { name: 'search' },
      { name: 'search', taskId: '0190a0b0-0000-7000-8000-000000000002' },
    ];
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r);
  });

  it('sends empty hashes to the project list, and says an unknown one is not found', () => {
    expect(parseRoute('')).toEqual({ name: 'projects' });
    expect(parseRoute('#/')).toEqual({ name: 'projects' });
    expect(parseRoute('#/projects')).toEqual({ name: 'projects' });
    expect(parseRoute('#/projects/')).toEqual({ name: 'projects' });
    // It showed Projects, as if the address were right.
    expect(parseRoute('#/nope')).toEqual({ name: 'not-found', path: '/nope' });
    expect(parseRoute('#/projects/p/oops')).toEqual({
      name: 'not-found',
      path: '/projects/p/oops',
    });
    expect(href({ name: 'not-found', path: '/nope' })).toBe('#/nope');
  });

  it('leaves the default order out of the URL, and takes an unknown one as the default', () => {
    expect(href({ name: 'project', id: 'p', sort: 'created' })).toBe('#/projects/p');
    expect(parseRoute('#/projects/p?sort=created')).toEqual({ name: 'project', id: 'p' });
    expect(parseRoute('#/projects/p?sort=priority')).toEqual({ name: 'project', id: 'p' });
    expect(parseRoute('#/projects/p/tasks/t?sort=due')).toEqual({
      name: 'project',
      id: 'p',
      taskId: 't',
      sort: 'due',
    });
  });
});

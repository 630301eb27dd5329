import { describe, expect, it } from 'vitest';
import { groupByProject } from './group';

describe('search results grouped by project', () => {
  const entries = [
    { id: 'a', projectId: 'web' },
    { id: 'b', projectId: 'conf' },
    { id: 'c', projectId: 'web' },
    { id: 'd', projectId: 'gone' },
    { id: 'e', projectId: 'empty' },
    { id: 'f', projectId: 'conf' },
  ];
  const projects = [
    { id: 'conf', name: 'Conference' },
    { id: 'empty', name: 'Errands' },
    { id: 'web', name: 'Website' },
  ];

  it("puts projects in the projects list's order, tasks in the index's, and skips projects with no hit", () => {
    expect(groupByProject(entries, ['c', 'a', 'f', 'b'], projects)).toEqual([
      { key: 'conf', label: 'Conference', ids: ['b', 'f'] },
      { key: 'web', label: 'Website', ids: ['a', 'c'] },
    ]);
  });

  it('lists results of a project not known here last, as an unknown project', () => {
    expect(groupByProject(entries, ['d', 'a'], projects)).toEqual([
      { key: 'web', label: 'Website', ids: ['a'] },
      { key: 'gone', label: 'Unknown project', ids: ['d'] },
    ]);
  });

  it('has no group at all for no results', () => {
    expect(groupByProject(entries, [], projects)).toEqual([]);
  });
});

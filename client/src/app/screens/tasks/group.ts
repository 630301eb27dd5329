import type { SearchEntry } from '../../../data';

export interface ResultGroup {
  /** The project's id. */
  key: string;
  label: string;
  ids: string[];
}

/**
 * Search results (ids, from `matchTasks`) under their projects: projects in the order given
 * (the projects list's), tasks within one in the index's order; a project with no result has
 * no group, and results of a project not given (not read yet) come last, named as unknown.
 */
export function groupByProject(
  entries: readonly Pick<SearchEntry, 'id' | 'projectId'>[],
  ids: readonly string[],
  projects: readonly { id: string; name: string }[],
): ResultGroup[] {
  const wanted = new Set(ids);
  const byProject = new Map<string, string[]>();
  for (const e of entries) {
    if (!wanted.has(e.id)) continue;
    const group = byProject.get(e.projectId);
    if (group) group.push(e.id);
    else byProject.set(e.projectId, [e.id]);
  }
  const out: ResultGroup[] = [];
  for (const p of projects) {
    const group = byProject.get(p.id);
    if (!group) continue;
    out.push({ key: p.id, label: p.name, ids: group });
    byProject.delete(p.id);
  }
  for (const [key, group] of byProject) out.push({ key, label: 'Unknown project', ids: group });
  return out;
}

import type { Project, User } from '@outpost/shared';
import { peopleYouFirst } from '../../ui/people';
import { KINDS, NO_FILTER, isFiltered, type Filter, type Kind } from './describe';

/** Project, person and kind: native selects, so keys, screen readers and phones just work. */
export function ActivityFilters({
  filter,
  onChange,
  projects,
  users,
  me,
}: {
  filter: Filter;
  onChange: (next: Filter) => void;
  projects: readonly Project[];
  users: readonly User[];
  /** The signed-in user's id (named "(you)"). */
  me: string;
}) {
  const set = (patch: Partial<Filter>) => onChange({ ...filter, ...patch });
  return (
    <div className="activity-filters" role="group" aria-label="Filter activity">
      <label>
        <span>Project</span>
        <select value={filter.projectId} onChange={(e) => set({ projectId: e.target.value })}>
          <option value="">All projects</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Person</span>
        <select value={filter.personId} onChange={(e) => set({ personId: e.target.value })}>
          <option value="">Everyone</option>
          {peopleYouFirst(users, me).map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Kind</span>
        <select value={filter.kind} onChange={(e) => set({ kind: e.target.value as Kind })}>
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      {isFiltered(filter) && (
        <button type="button" className="link" onClick={() => onChange(NO_FILTER)}>
          Clear filters
        </button>
      )}
    </div>
  );
}

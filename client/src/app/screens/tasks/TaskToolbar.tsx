import { memo, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { User } from '@outpost/shared';
import { useKeyboardLikely } from '../../ui/keyboard-likely';
import { STATUS_LABEL } from '../../ui/format';
import type { DueFilter, TaskQuery } from './filter';
import { NO_QUERY, isActive } from './filter';
import { DEFAULT_SORT, SORT_LABELS, TASK_SORTS, type TaskSort } from './sort';

interface Props {
  query: TaskQuery;
  onChange(next: TaskQuery): void;
  /** The list's order, and its control after the filters (a project's list; not given: none). */
  sort?: TaskSort;
  onSort?(next: TaskSort): void;
  users: readonly User[];
  /** The signed-in user's id: "Assigned to me" filters by it. */
  me: string;
  searchRef: RefObject<HTMLInputElement | null>;
  onSearchFocus(): void;
  onHelp(): void;
  /** The search field's name ("Search tasks" in a project, "Search all tasks" across them). */
  label?: string;
  /** Rows are being picked for a bulk action (the button then ends it). */
  selecting?: boolean;
  /** Rows can be selected (a project's list): a Select button, the way in without a keyboard. */
  onSelecting?(): void;
  /** ↓ or Enter in the search field: on to the first task listed (the list's keys take over). */
  onResults?(): void;
  /** Escape in the empty search field: focus goes back to the list (it must not fall to the page). */
  onLeave?(): void;
}

/**
 * Search (title and notes, on this device), filters by status, assignee and due date, and the
 * list's order.
 */
export const TaskToolbar = memo(function TaskToolbar({
  query,
  onChange,
  sort = DEFAULT_SORT,
  onSort,
  users,
  me,
  searchRef,
  onSearchFocus,
  onHelp,
  label = 'Search tasks',
  selecting = false,
  onSelecting,
  onResults,
  onLeave,
}: Props) {
  const ids = { status: useId(), assignee: useId(), due: useId(), sort: useId() };
  const set = (patch: Partial<TaskQuery>) => onChange({ ...query, ...patch });
  // On a phone the filters fold away behind a button (they stay open while one is set).
  const [showFilters, setShowFilters] = useState(false);
  const filtersId = useId();
  const filtered = query.status !== 'all' || query.assignee !== 'any' || query.due !== 'any';
  // An order other than the default keeps them open too: it says why the list reads as it does.
  const held = filtered || sort !== DEFAULT_SORT;
  const toggle = useRef<HTMLButtonElement>(null);
  // Its key (/) and the shortcuts' list only where a keyboard is likely: not on a phone.
  const keys = useKeyboardLikely();
  // Escape folds the opened filters away again (with one set they stay) and focus goes back
  // to their button.
  const foldOnEscape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !showFilters || held) return;
    e.preventDefault();
    setShowFilters(false);
    toggle.current?.focus();
  };
  const clearHere = query.text.trim() !== '' && !(showFilters || held);
  return (
    <div className="toolbar" role="search" aria-label="Search and filter tasks">
      <div className="search-row">
        <span className={clearHere ? 'search-field with-clear' : 'search-field'}>
          <input
            ref={searchRef}
            type="search"
            aria-label={label}
            placeholder={keys ? `${label}  /` : label}
            value={query.text}
            onFocus={onSearchFocus}
            onChange={(e) => set({ text: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                // Escape backs out: clear the search, then leave the field for the list.
                if (query.text) set({ text: '' });
                else {
                  e.currentTarget.blur();
                  onLeave?.();
                }
              } else if ((e.key === 'ArrowDown' || e.key === 'Enter') && onResults) {
                // Typed, then on to what it found (as Linear's search): j, k, x, Enter act there.
                if (e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
                e.preventDefault();
                onResults();
              }
            }}
          />
          {/* A phone's filters folded away take their Clear with them: a search kept from before
              (coming back to the list) is cleared from here, in one tap — inside the field, so
              the field keeps its width on a 360 px screen. */}
          {clearHere && (
            <button
              type="button"
              className="clear-search"
              aria-label="Clear the search"
              title="Clear the search"
              onClick={() => onChange(NO_QUERY)}
            >
              <span aria-hidden="true">×</span>
            </button>
          )}
        </span>
        <button
          ref={toggle}
          type="button"
          className="filters-toggle"
          aria-expanded={showFilters || held}
          aria-controls={filtersId}
          onClick={() => setShowFilters((v) => !v)}
          onKeyDown={foldOnEscape}
        >
          Filters{filtered ? ' •' : ''}
        </button>
        {onSelecting && (
          <button type="button" className="select-toggle" onClick={onSelecting}>
            {selecting ? 'Done' : 'Select'}
          </button>
        )}
        {keys && (
          <button
            type="button"
            className="icon"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={onHelp}
          >
            ?
          </button>
        )}
      </div>
      <div
        className={`filters${showFilters || held ? ' open' : ''}`}
        id={filtersId}
        onKeyDown={foldOnEscape}
      >
        <label htmlFor={ids.status} className="visually-hidden">
          Status
        </label>
        <select
          id={ids.status}
          className={query.status !== 'all' ? 'set' : undefined}
          value={query.status}
          onChange={(e) => set({ status: e.target.value as TaskQuery['status'] })}
        >
          <option value="all">Any status</option>
          <option value="open">Open</option>
          <option value="todo">To do</option>
          <option value="doing">In progress</option>
          <option value="done">{STATUS_LABEL.done}</option>
        </select>
        <label htmlFor={ids.assignee} className="visually-hidden">
          Assignee
        </label>
        <select
          id={ids.assignee}
          className={query.assignee !== 'any' ? 'set' : undefined}
          value={query.assignee}
          onChange={(e) => set({ assignee: e.target.value })}
        >
          <option value="any">Anyone</option>
          <option value={me}>Assigned to me</option>
          <option value="none">Unassigned</option>
          {users
            .filter((u) => u.id !== me)
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
        </select>
        <label htmlFor={ids.due} className="visually-hidden">
          Due
        </label>
        <select
          id={ids.due}
          className={query.due !== 'any' ? 'set' : undefined}
          value={query.due}
          onChange={(e) => set({ due: e.target.value as DueFilter })}
        >
          <option value="any">Any due date</option>
          <option value="overdue">Overdue</option>
          <option value="week">Due this week</option>
          <option value="none">No due date</option>
        </select>
        {onSort && (
          <>
            <label htmlFor={ids.sort} className="visually-hidden">
              Sort
            </label>
            <select
              id={ids.sort}
              className={sort !== DEFAULT_SORT ? 'sort set' : 'sort'}
              value={sort}
              onChange={(e) => onSort(e.target.value as TaskSort)}
            >
              {TASK_SORTS.map((s) => (
                <option key={s} value={s}>
                  {SORT_LABELS[s]}
                </option>
              ))}
            </select>
          </>
        )}
        {isActive(query) && (
          <button type="button" className="link" onClick={() => onChange(NO_QUERY)}>
            Clear
          </button>
        )}
      </div>
    </div>
  );
});

// @vitest-environment happy-dom
import { act, createRef } from 'react';
import { describe, expect, it } from 'vitest';
import { TaskToolbar } from './TaskToolbar';
import { NO_QUERY, type TaskQuery } from './filter';
import type { TaskSort } from './sort';
import { testRoot } from '../../testing/test-root';
import { STATUS_LABEL } from '../../ui/format';

const dom = testRoot();

function render(query: TaskQuery, sort?: TaskSort) {
  act(() =>
    dom.root.render(
      <TaskToolbar
        query={query}
        onChange={() => undefined}
        {...(sort ? { sort, onSort: () => undefined } : {})}
        users={[]}
        me="u1"
        searchRef={createRef()}
        onSearchFocus={() => undefined}
        onHelp={() => undefined}
      />,
    ),
  );
  const select = (label: string) => {
    const id = [...dom.host.querySelectorAll('label')].find(
      (l) => l.textContent === label,
    )!.htmlFor;
    return dom.host.querySelector<HTMLSelectElement>(`#${CSS.escape(id)}`)!;
  };
  return {
    status: select('Status'),
    assignee: select('Assignee'),
    due: select('Due'),
    filters: dom.host.querySelector('.filters')!,
  };
}

describe('TaskToolbar', () => {
  it('marks each filter that is set (it stands out as a chip), and no other', () => {
    const none = render(NO_QUERY);
    expect([none.status, none.assignee, none.due].map((s) => s.classList.contains('set'))).toEqual([
      false,
      false,
      false,
    ]);
    const some = render({ ...NO_QUERY, assignee: 'u1', due: 'overdue' });
    expect([some.status, some.assignee, some.due].map((s) => s.classList.contains('set'))).toEqual([
      false,
      true,
      true,
    ]);
    const status = render({ ...NO_QUERY, status: 'open' });
    expect(status.status.classList.contains('set')).toBe(true);
  });

  it('names a finished task’s status as the list’s section and toasts do: Completed, not Done', () => {
    const { status } = render(NO_QUERY);
    expect([...status.options].map((o) => o.text)).toEqual([
      'Any status',
      'Open',
      'To do',
      'In progress',
      'Completed',
    ]);
    expect(status.querySelector<HTMLOptionElement>('option[value="done"]')!.text).toBe(
      STATUS_LABEL.done,
    );
  });

  it('shows the list’s order after the filters, set apart when not the default, and keeps a phone’s folded filters open while it is', () => {
    const sortOf = () =>
      [...dom.host.querySelectorAll('label')].find((l) => l.textContent === 'Sort');
    const none = render(NO_QUERY);
    expect(sortOf()).toBeUndefined();
    expect(none.filters.classList.contains('open')).toBe(false);
    const created = render(NO_QUERY, 'created');
    const control = dom.host.querySelector<HTMLSelectElement>(`#${CSS.escape(sortOf()!.htmlFor)}`)!;
    expect(control.value).toBe('created');
    expect(control.classList.contains('set')).toBe(false);
    expect(created.filters.classList.contains('open')).toBe(false);
    const due = render(NO_QUERY, 'due');
    expect(control.value).toBe('due');
    expect(control.classList.contains('set')).toBe(true);
    expect(due.filters.classList.contains('open')).toBe(true);
    expect(dom.host.querySelector('.filters-toggle')!.getAttribute('aria-expanded')).toBe('true');
  });
});

// @vitest-environment happy-dom
import { act, createRef } from 'react';
import { describe, expect, it } from 'vitest';
import { TaskToolbar } from './TaskToolbar';
import { NO_QUERY, type TaskQuery } from './filter';
import { testRoot } from '../../testing/test-root';

const dom = testRoot();

function render(query: TaskQuery) {
  act(() =>
    dom.root.render(
      <TaskToolbar
        query={query}
        onChange={() => undefined}
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
  return { status: select('Status'), assignee: select('Assignee'), due: select('Due') };
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
});

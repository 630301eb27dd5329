// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { extendTo, NO_SELECTION, selectAll, toggle, type Selection } from './selection';
import { useSelection } from './use-selection';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/** The hook in a component, rendered with the rows listed; `shown` is what each render saw. */
function mount(first: readonly string[] | null) {
  const root = createRoot(document.createElement('div'));
  cleanup.push(() => act(() => root.unmount()));
  const shown: string[][] = [];
  let change: (f: (s: Selection) => Selection) => void = () => undefined;
  let current: Selection = NO_SELECTION;
  function Probe({ listed }: { listed: readonly string[] | null }) {
    const [selection, set] = useSelection(listed);
    change = set;
    current = selection;
    shown.push([...selection.ids].sort());
    return null;
  }
  const render = (listed: readonly string[] | null) =>
    act(() => root.render(<Probe listed={listed} />));
  render(first);
  return {
    render,
    change: (f: (s: Selection) => Selection) => act(() => change(f)),
    ids: () => [...current.ids].sort(),
    current: () => current,
    shown,
  };
}

describe('useSelection (only rows shown are selected)', () => {
  it('a row that leaves the list leaves the selection, and comes back unselected', () => {
    const list = mount(['a', 'b', 'c']);
    list.change((s) => toggle(toggle(s, 'a'), 'b'));
    expect(list.ids()).toEqual(['a', 'b']);
    // b is filtered out, completed into the folded section, moved or deleted…
    list.render(['a', 'c']);
    expect(list.ids()).toEqual(['a']);
    // …and shown again, with no selection change in between: not selected.
    list.render(['a', 'b', 'c']);
    expect(list.ids()).toEqual(['a']);
    // No render ever showed b selected while it was gone.
    expect(list.shown.slice(-2)).toEqual([['a'], ['a']]);
  });

  it('a range started before a row left does not take it back (its base and anchor went too)', () => {
    const order = ['a', 'b', 'c', 'd'];
    const list = mount(order);
    list.change((s) => extendTo(toggle(s, 'b'), order, 'c'));
    list.render(['a', 'c', 'd']);
    expect(list.current().anchor).toBeNull();
    list.render(order);
    list.change((s) => extendTo(s, order, 'd', 'c'));
    expect(list.ids()).toEqual(['c', 'd']);
  });

  it('keeps the selection while the list is still being read, and through a list that keeps its rows', () => {
    const list = mount(['a', 'b']);
    list.change(() => selectAll(['a', 'b']));
    const before = list.current();
    list.render(null);
    expect(list.current()).toBe(before);
    // The same rows in a new list (a row added, or moved between open sections): the same selection.
    list.render(['b', 'x', 'a']);
    expect(list.current()).toBe(before);
  });
});

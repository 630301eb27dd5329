import { describe, expect, it } from 'vitest';
import {
  actOn,
  extendByKey,
  extendTo,
  keepListed,
  listedIds,
  NO_SELECTION,
  selectAll,
  toggle,
  type Selection,
} from './selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const ids = (s: Selection) => [...s.ids].sort();

describe('toggle (Ctrl/⌘+click, Space)', () => {
  it('adds a row, removes it again, and anchors the next range there', () => {
    const one = toggle(NO_SELECTION, 'b');
    expect(ids(one)).toEqual(['b']);
    expect(one.anchor).toBe('b');
    expect(ids(toggle(one, 'b'))).toEqual([]);
  });
});

describe('extendTo (Shift+click, Shift+j/k)', () => {
  it('selects the range from the anchor, in either direction', () => {
    const s = toggle(NO_SELECTION, 'b');
    expect(ids(extendTo(s, order, 'd'))).toEqual(['b', 'c', 'd']);
    expect(ids(extendTo(s, order, 'a'))).toEqual(['a', 'b']);
  });
  it('a new end replaces the range, not the rows toggled before it', () => {
    let s = toggle(NO_SELECTION, 'e');
    s = toggle(s, 'a');
    s = extendTo(s, order, 'c');
    expect(ids(s)).toEqual(['a', 'b', 'c', 'e']);
    // Back towards the anchor: the range shrinks, e stays.
    s = extendTo(s, order, 'b');
    expect(ids(s)).toEqual(['a', 'b', 'e']);
  });
  it('with nothing anchored, starts at the cursor row (or the row alone)', () => {
    expect(ids(extendTo(NO_SELECTION, order, 'c', 'a'))).toEqual(['a', 'b', 'c']);
    expect(ids(extendTo(NO_SELECTION, order, 'c'))).toEqual(['c']);
    expect(extendTo(NO_SELECTION, order, 'c', 'a').anchor).toBe('a');
  });
  it('an anchor no longer listed is not a start; a row not listed changes nothing', () => {
    const s = toggle(NO_SELECTION, 'x');
    expect(ids(extendTo(s, order, 'b', 'a'))).toEqual(['a', 'b', 'x']);
    expect(extendTo(s, order, 'zz')).toBe(s);
  });
});

describe('extendByKey (Shift+j/k)', () => {
  it('grows from the anchor while on the range, and starts again at a cursor moved off it', () => {
    let s = extendByKey(NO_SELECTION, order, 'b', 'a');
    expect(ids(s)).toEqual(['a', 'b']);
    s = extendByKey(s, order, 'c', 'b');
    expect(ids(s)).toEqual(['a', 'b', 'c']);
    s = extendByKey(s, order, 'b', 'c');
    expect(ids(s)).toEqual(['a', 'b']);
    // j j onto d (not selected), then Shift+j: d and e join, a and b stay.
    s = extendByKey(s, order, 'e', 'd');
    expect(ids(s)).toEqual(['a', 'b', 'd', 'e']);
    expect(s.anchor).toBe('d');
  });
});

describe('select all (Ctrl/⌘+A)', () => {
  it('selects the rows shown: the search results, or the open sections without a folded one', () => {
    const filtered = [{ status: 'results', ids: ['c', 'e'] }];
    expect(ids(selectAll(listedIds(filtered)))).toEqual(['c', 'e']);
    const sections = [{ ids: ['a'] }, { ids: ['b', 'c'] }, { ids: [], collapsed: true }];
    expect(ids(selectAll(listedIds(sections)))).toEqual(['a', 'b', 'c']);
    expect(listedIds([{ ids: ['d'], collapsed: true }])).toEqual([]);
  });
});

describe('keepListed (rows that vanish)', () => {
  it('drops rows no longer listed, and the anchor with them', () => {
    const s = extendTo(toggle(NO_SELECTION, 'a'), order, 'c');
    const kept = keepListed(s, new Set(['b', 'c', 'd']));
    expect(ids(kept)).toEqual(['b', 'c']);
    expect(kept.anchor).toBeNull();
    // The next range starts from the cursor, over what is left.
    expect(ids(extendTo(kept, ['b', 'c', 'd'], 'd', 'c'))).toEqual(['b', 'c', 'd']);
  });
  it('keeps the very same selection when every row is still listed', () => {
    const s = toggle(NO_SELECTION, 'a');
    expect(keepListed(s, new Set(order))).toBe(s);
  });
});

describe('actOn (s, a, d, p in a list)', () => {
  it('acts on the selected rows, not the cursor’s, when any are selected', () => {
    const s = extendTo(toggle(NO_SELECTION, 'b'), order, 'd');
    expect(actOn(s, 'a')).toBe(s);
  });

  it('selects the cursor’s row alone when none is selected', () => {
    const s = actOn(NO_SELECTION, 'c');
    expect(s && ids(s)).toEqual(['c']);
    expect(s?.anchor).toBe('c');
  });

  it('does nothing with neither a selection nor a cursor', () => {
    expect(actOn(NO_SELECTION, null)).toBeNull();
  });
});

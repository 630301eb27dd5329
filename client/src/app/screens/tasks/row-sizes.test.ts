import { describe, expect, it } from 'vitest';
import { RowSizes } from './row-sizes';

describe('the estimated height of rows not measured yet', () => {
  it('is the height measured most often among the first rows, not the last one measured', () => {
    const sizes = new RowSizes(48);
    expect(sizes.typical('p')).toBe(48);
    // A phone: most rows carry their meta under the title (68 px), one in seven wraps (109 px).
    for (let i = 0; i < 14; i++) sizes.add('p', i % 7 === 3 ? 109 : 68, 334);
    expect(sizes.typical('p')).toBe(68);
    sizes.add('p', 109, 334);
    expect(sizes.typical('p')).toBe(68);
  });

  it('stays put while scrolling measures another mix of rows at the same width', () => {
    const sizes = new RowSizes(48);
    // The top of a project: two-line rows (a due date under the title).
    for (let i = 0; i < 20; i++) sizes.add('p', 65, 334);
    expect(sizes.typical('p')).toBe(65);
    // Further down, one-line rows only: the estimate of the rows not measured yet stays, so
    // the next change of the list does not lay 10,000 of them out 17 px shorter.
    for (let i = 0; i < 500; i++) sizes.add('p', 48, 334);
    expect(sizes.typical('p')).toBe(65);
  });

  it('is learnt again at a new width, and kept for a width seen before', () => {
    const sizes = new RowSizes(48);
    for (let i = 0; i < 40; i++) sizes.add('p', 65, 334);
    // Turned to landscape: the meta fits beside the title.
    sizes.add('p', 48, 716);
    expect(sizes.typical('p')).toBe(48);
    for (let i = 0; i < 40; i++) sizes.add('p', i % 3 ? 48 : 65, 716);
    expect(sizes.typical('p')).toBe(48);
    // And back.
    sizes.add('p', 85, 334);
    expect(sizes.typical('p')).toBe(65);
  });

  it("is each list's own: a project of two-line rows opened after one of one-line rows", () => {
    const sizes = new RowSizes(48);
    for (let i = 0; i < 40; i++) sizes.add('plain', 48, 334);
    expect(sizes.typical('plain')).toBe(48);
    // Not measured yet: the first guess, not the other project's height.
    expect(sizes.typical('dated')).toBe(48);
    for (let i = 0; i < 40; i++) sizes.add('dated', 65, 334);
    expect(sizes.typical('dated')).toBe(65);
    // Each keeps its own when opened again.
    expect(sizes.typical('plain')).toBe(48);
  });
});

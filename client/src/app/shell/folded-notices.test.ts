import { describe, expect, it } from 'vitest';
import { FOLDED_LABEL_MAX, foldedLabel } from './folded-notices';

describe('foldedLabel (the button over notices folded on a phone)', () => {
  it('names the kinds folded when that fits on one line', () => {
    expect(foldedLabel(['conflict', 'refused-task'])).toBe('2 more: a conflict, a refused task');
    expect(foldedLabel(['conflict', 'refused-task', 'conflict'])).toBe(
      '3 more: 2 conflicts, a refused task',
    );
    expect(foldedLabel(['conflict', 'rejected'])).toBe('2 more: a conflict, a refused change');
    expect(foldedLabel(['unsaved-text', 'conflict'])).toBe('2 more: an unsaved text, a conflict');
  });

  it('names one kind as the noun itself', () => {
    expect(foldedLabel(['conflict'])).toBe('1 more conflict');
    expect(foldedLabel(['refused-task', 'refused-task'])).toBe('2 more refused tasks');
    // Text typed into a task deleted meanwhile, or a refused kept edit (UnsavedTextNotice).
    expect(foldedLabel(['unsaved-text'])).toBe('1 more unsaved text');
    expect(foldedLabel(['unsaved-text', 'unsaved-text'])).toBe('2 more unsaved texts');
  });

  it('keeps the count when the names would not fit on one line, or a kind has no name', () => {
    // "2 more: an archived project, a refused task": two lines at 360 px.
    expect(foldedLabel(['archived-meanwhile', 'refused-task'])).toBe('2 more notices');
    expect(foldedLabel(['archived-meanwhile', 'rejected', 'project-lost'])).toBe('3 more notices');
    expect('2 more: a conflict, a refused change'.length).toBeLessThanOrEqual(FOLDED_LABEL_MAX);
    expect(foldedLabel(['conflict', 'quota'])).toBe('2 more notices');
  });
});

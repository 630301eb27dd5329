import { describe, expect, it } from 'vitest';
import { keptGoneTexts, noGoneTexts, reportedGone, shownGone, type GoneText } from './gone-text';

const notes: GoneText = {
  of: 't1',
  field: 'notes',
  label: 'Notes of “Ship”',
  text: 'Ask the printer for two more boxes',
};
const name: GoneText = { of: 'p1', field: 'name', label: 'Project name', text: 'Launch v2' };

describe('text a project’s screen lists once the project is gone', () => {
  it('lists what was reported', () => {
    const g = reportedGone(reportedGone(noGoneTexts('p1'), 'p1', notes), 'p1', name);
    expect(g.texts).toEqual([notes, name]);
  });

  it('no longer lists text a deleted task’s panel showed, once that panel is left', () => {
    const g = shownGone(reportedGone(noGoneTexts('p1'), 'p1', notes), 'p1', [notes]);
    expect(g.texts).toEqual([]);
  });

  it('does not list it again when the same save fails again after the panel was left', () => {
    // The notes field saves once more as the panel closes: that save fails too, afterwards.
    let g = shownGone(reportedGone(noGoneTexts('p1'), 'p1', notes), 'p1', [notes]);
    g = reportedGone(g, 'p1', { ...notes });
    g = reportedGone(g, 'p1', name);
    expect(g.texts).toEqual([name]);
    // Other text typed into that task later is new: it is listed.
    const more = { ...notes, text: 'And tape' };
    expect(reportedGone(g, 'p1', more).texts).toEqual([name, more]);
  });

  it('starts afresh for another project', () => {
    const g = shownGone(reportedGone(noGoneTexts('p1'), 'p1', notes), 'p1', [notes]);
    expect(reportedGone(g, 'p2', notes).texts).toEqual([notes]);
  });

  it('lists the same text typed into another task of the same title, the first one’s shown', () => {
    // Two tasks "Ship", "Ask the printer…" typed into each one's notes: two texts, not one.
    const other: GoneText = { ...notes, of: 't2' };
    let g = shownGone(reportedGone(noGoneTexts('p1'), 'p1', notes), 'p1', [notes]);
    g = reportedGone(g, 'p1', other);
    expect(g.texts).toEqual([other]);
    // Its title field is another field too.
    const title: GoneText = { ...notes, field: 'title', label: 'Title of “Ship”' };
    expect(reportedGone(g, 'p1', title).texts).toEqual([other, title]);
  });
});

describe('text a closing page kept that the next start could not write (its row deleted)', () => {
  it('is shown where that row’s screen says it is gone, labelled without the row’s name', () => {
    const kept = [
      { kind: 'task' as const, of: 't1', field: 'notes' as const, text: 'Two more boxes' },
      { kind: 'project' as const, of: 'p1', field: 'description' as const, text: 'For May' },
      { kind: 'task' as const, of: 't2', field: 'title' as const, text: 'Book it' },
    ];
    expect(keptGoneTexts(kept, 'task', 't1')).toEqual([
      { of: 't1', field: 'notes', label: 'Notes of a deleted task', text: 'Two more boxes' },
    ]);
    expect(keptGoneTexts(kept, 'project', 'p1')).toEqual([
      { of: 'p1', field: 'description', label: 'Project description', text: 'For May' },
    ]);
    expect(keptGoneTexts(kept, 'project', 't1')).toEqual([]);
  });
});

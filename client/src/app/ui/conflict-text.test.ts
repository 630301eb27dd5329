import type { ClientId, FieldChange } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { changedWhileEditing, conflictLine } from './conflict-text';

const PEOPLE: Record<string, string> = { a: 'Ana', b: 'Ben', c: 'Chris' };
const names = { user: (id: string | null) => (id ? (PEOPLE[id] ?? 'someone') : 'someone') };
const dev = (id: string) => id as ClientId;

describe('conflictLine', () => {
  it("names the winner's kept value and the loser's lost value", () => {
    const c: FieldChange = {
      field: 'title',
      lost: 'Launch',
      to: 'Launch v2',
      wonHlc: 'x',
      winner: { userId: 'b' as never, clientId: dev('1') },
      loser: { userId: 'a' as never, clientId: dev('2') },
    };
    expect(conflictLine(c, names, false)).toBe(
      'Ben\u2019s title “Launch v2” replaced Ana\u2019s “Launch”',
    );
  });

  it('says when both values came from two devices of one person', () => {
    const c: FieldChange = {
      field: 'dueDate',
      lost: '2026-12-01',
      to: '2026-12-02',
      wonHlc: 'x',
      winner: { userId: 'c' as never, clientId: dev('1') },
      loser: { userId: 'c' as never, clientId: dev('2') },
    };
    expect(conflictLine(c, names, false)).toBe(
      'Chris\u2019 due date “2026-12-02” from one device replaced “2026-12-01” from another',
    );
  });

  it("says when one person's value came through the API (no device to name)", () => {
    const c: FieldChange = {
      field: 'title',
      lost: 'Draft',
      to: 'Final',
      wonHlc: 'x',
      winner: { userId: 'c' as never, clientId: null },
      loser: { userId: 'c' as never, clientId: dev('2') },
    };
    expect(conflictLine(c, names, false)).toBe(
      'Chris\u2019 title “Final” through the API replaced “Draft” from a device',
    );
    expect(conflictLine({ ...c, winner: c.loser, loser: c.winner }, names, false)).toBe(
      'Chris\u2019 title “Final” from a device replaced “Draft” through the API',
    );
  });

  it('a deletion that beat an edit says the edit was lost', () => {
    // As the server records it: no kept value, and the tombstone's clock as the winning one.
    const c: FieldChange = {
      field: 'title',
      lost: 'Late edit',
      lostHlc: 'y',
      wonHlc: 'x',
      winner: { userId: 'b' as never, clientId: dev('1') },
      loser: { userId: 'a' as never, clientId: dev('2') },
    };
    expect(conflictLine(c, names, true)).toBe(
      'Ben deleted it; Ana\u2019s title “Late edit” was lost',
    );
  });

  it('an edit that lost to a cleared value is not a deletion', () => {
    // The same shape as a deletion's change: only the activity (`lostToDelete`) tells them apart.
    const c: FieldChange = {
      field: 'assigneeId',
      lost: 'someone',
      lostHlc: 'y',
      wonHlc: 'x',
      winner: { userId: 'b' as never, clientId: dev('1') },
      loser: { userId: 'a' as never, clientId: dev('2') },
    };
    expect(conflictLine(c, { ...names, value: (_f, v) => (v ? 'Chris' : 'nobody') }, false)).toBe(
      'Ben\u2019s assignee nobody replaced Ana\u2019s Chris',
    );
  });

  it('an entry recorded before sides were named still reads', () => {
    expect(
      conflictLine({ field: 'status', lost: 'todo', to: 'done', wonHlc: 'x' }, names, false),
    ).toBe('status: “done” replaced “todo”');
  });
});

describe('changedWhileEditing', () => {
  it('names who changed the field to what, and which key keeps which', () => {
    expect(changedWhileEditing({ kind: 'person', name: 'Ana' }, 'title', 'Ship v2', 'Enter')).toBe(
      'Ana changed the title to “Ship v2” while you were editing. Enter keeps yours; Escape takes theirs.',
    );
    expect(changedWhileEditing({ kind: 'unknown' }, 'notes', '', 'Ctrl+Enter')).toBe(
      'Someone cleared the notes while you were editing. Ctrl+Enter keeps yours; Escape takes theirs.',
    );
  });

  it('says when it was the reader elsewhere, and quotes a long note by its start on one line', () => {
    const note = `First line\n${'word '.repeat(40)}`;
    const line = changedWhileEditing({ kind: 'you', where: 'device' }, 'notes', note, 'Enter');
    expect(line).toMatch(
      /^You changed the notes to “First line word word .*…” on another device while you were editing here\. Enter keeps this text; Escape takes that one\.$/,
    );
    expect(line.split('“')[1]!.split('”')[0]!.length).toBeLessThanOrEqual(80);
  });
});

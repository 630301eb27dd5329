import { describe, expect, it } from 'vitest';
import { mentionAt, type Member } from './mention';
import { parseQuickAdd, type QuickAddContext } from './quick-add';
import { previewSpeech } from './QuickAddPreview';

const ana: Member = { id: 'a', name: 'Ana Lopez', email: 'ana@acme.example' };
const anabel: Member = { id: 'b', name: 'Anabel Ruiz', email: 'bel@acme.example' };
const ben: Member = { id: 'c', name: 'Ben', email: 'ben@acme.example' };
const ctx: QuickAddContext = {
  today: '2026-12-02',
  members: [ana, anabel, ben],
  me: 'c',
  kept: new Set(),
  picked: new Map(),
};

/** Title, due date, assignee id and notes (kind + text), as the table reads them. */
const read = (text: string, over: Partial<QuickAddContext> = {}) => {
  const q = parseQuickAdd(text, { ...ctx, ...over });
  return [
    q.title,
    q.due?.date ?? null,
    q.assignee?.member.id ?? null,
    q.notes.map((n) => `${n.kind} ${n.token.text}`),
  ];
};

describe('a quick-add title read as a task', () => {
  it.each([
    ['Call the bank tomorrow @ana', ['Call the bank', '2026-12-03', 'a', []]],
    ['@ben Call the bank tomorrow', ['Call the bank', '2026-12-03', 'c', []]],
    ['Call the bank, tomorrow', ['Call the bank,', '2026-12-03', null, []]],
    ['Call  the bank', ['Call  the bank', null, null, []]],
    ['Pay @me on fri', ['Pay', '2026-12-04', 'c', []]],
    ['Send the invoice by fri @ana', ['Send the invoice', '2026-12-04', 'a', []]],
    ['Renewal due dec 5', ['Renewal', '2026-12-05', null, []]],
    // The last date is taken; an earlier one is part of the title.
    ['Move Monday meeting to tomorrow', ['Move Monday meeting to', '2026-12-03', null, []]],
    // Not guessed: stays text, and says why.
    ['Ask @an about it', ['Ask @an about it', null, null, ['many @an']]],
    ['Ask @zed about it', ['Ask @zed about it', null, null, ['none @zed']]],
    ['Ask @ana and @ben', ['Ask @ana and', null, 'c', ['extra @ana']]],
    ['Ask @ about it', ['Ask @ about it', null, null, []]],
    ['Mail bob@acme.example today', ['Mail bob@acme.example', '2026-12-02', null, []]],
    ['tomorrow', ['', '2026-12-03', null, []]],
  ])('%s', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it('keeps a recognised part as text when asked, and takes the date before it', () => {
    expect(read('Move Monday meeting to tomorrow', { kept: new Set(['tomorrow']) })).toEqual([
      'Move meeting to tomorrow',
      '2026-12-07',
      null,
      [],
    ]);
    expect(read('Mayday drill today', { kept: new Set(['today']) })).toEqual([
      'Mayday drill today',
      null,
      null,
      [],
    ]);
    expect(read('Thank @ben', { kept: new Set(['@ben']) })).toEqual(['Thank @ben', null, null, []]);
  });

  it('reads a name picked from the suggestions as that member', () => {
    expect(read('Ask @an', { picked: new Map([['an', 'b']]) })).toEqual(['Ask', null, 'b', []]);
  });

  it('leaves the @word whose suggestions are open out of the title and notes, as a pick will', () => {
    const open = (text: string, caret = text.length) => {
      const q = parseQuickAdd(text, ctx, mentionAt(text, caret));
      return [q.title, q.due?.date ?? null, q.assignee?.member.id ?? null, q.notes.length];
    };
    expect(open('Call the bank tomorrow @an')).toEqual(['Call the bank', '2026-12-03', null, 0]);
    expect(open('Ask @an about it tomorrow', 7)).toEqual(['Ask about it', '2026-12-03', null, 0]);
    // Only the open one: an earlier @name that stays text stays in the title, with its note.
    expect(open('Ask @zed and @ana tomorrow @an')).toEqual(['Ask @zed and', '2026-12-03', 'a', 1]);
    // An open @word that already names someone leaves the title once, as the assignee.
    expect(open('Pay fri @ben')).toEqual(['Pay', '2026-12-04', 'c', 0]);
    // Closed, the title is what Enter adds.
    expect(read('Call the bank tomorrow @an')[0]).toBe('Call the bank @an');
  });
});

describe('what the preview says', () => {
  it('says the day, the person and why an @name stays text', () => {
    const q = parseQuickAdd('Call @zed tomorrow @ben', ctx);
    expect(previewSpeech(q, ctx.today)).toBe(
      'Due tomorrow. Assigned to Ben. No one here is called “@zed”: it stays text.',
    );
    expect(previewSpeech(parseQuickAdd('Ask @an today', ctx), ctx.today)).toBe(
      'Due today. “@an” could be Ana Lopez and Anabel Ruiz: it stays text unless you pick one.',
    );
    expect(previewSpeech(parseQuickAdd('Send the invoice yesterday', ctx), ctx.today)).toBe(
      'Due yesterday.',
    );
  });
});

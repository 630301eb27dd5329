import { describe, expect, it } from 'vitest';
import { mentionAt, type Member } from './mention';
import { parseQuickAdd, pickMention, previewQuickAdd, type QuickAddContext } from './quick-add';
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
});

describe('the preview with the @name suggestions open: the task Enter will add', () => {
  /** As `read`, with the suggestions open for the @word at `caret` and `highlighted` highlighted. */
  const preview = (text: string, caret: number, highlighted: Member) => {
    const q = previewQuickAdd(text, ctx, { token: mentionAt(text, caret)!, highlighted });
    return [
      q.title,
      q.due?.date ?? null,
      q.assignee?.member.id ?? null,
      q.notes.map((n) => `${n.kind} ${n.token.text}`),
    ];
  };

  it('is what Enter adds when the @word names the highlighted person in full', () => {
    // The caret back on "@me" (Ben here): Enter adds the task; the last @name is its assignee.
    expect(read('Call @me @ana')).toEqual(['Call @me', null, 'a', ['extra @me']]);
    expect(preview('Call @me @ana', 'Call @me'.length, ben)).toEqual(read('Call @me @ana'));
    expect(preview('Pay fri @ben', 12, ben)).toEqual(['Pay', '2026-12-04', 'c', []]);
  });

  it('is the task once the highlighted person is picked when Enter picks', () => {
    expect(preview('Call the bank tomorrow @an', 26, anabel)).toEqual([
      'Call the bank',
      '2026-12-03',
      'b',
      [],
    ]);
    expect(preview('Ask @an about it tomorrow', 7, ana)).toEqual([
      'Ask about it',
      '2026-12-03',
      'a',
      [],
    ]);
    // Picked before a later @name, the picked one stays text: the last one is the assignee.
    expect(preview('Ask @an @ben', 7, ana)).toEqual(['Ask @Ana', null, 'c', ['extra @Ana']]);
    // Picked after one, it is the assignee and the earlier one stays text.
    expect(preview('Ask @zed and @ana tomorrow @an', 30, anabel)).toEqual([
      'Ask @zed and @ana',
      '2026-12-03',
      'b',
      ['none @zed', 'extra @ana'],
    ]);
  });

  it('keeps the @word as typed on the assignee, so its × keeps that word as text', () => {
    const q = previewQuickAdd('Ask @an', ctx, {
      token: mentionAt('Ask @an', 7)!,
      highlighted: ana,
    });
    expect(q.assignee?.token.text).toBe('@an');
  });

  it('picks a person as their first name, read as them from now on', () => {
    const picked = pickMention('Ask @an now', mentionAt('Ask @an now', 7)!, anabel, ctx);
    expect(picked.text).toBe('Ask @Anabel now');
    expect(picked.caret).toBe('Ask @Anabel '.length);
    expect(picked.picked.get('anabel')).toBe('b');
    expect(pickMention('Ask @an', mentionAt('Ask @an', 7)!, ana, ctx).text).toBe('Ask @Ana ');
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

import { describe, expect, it } from 'vitest';
import {
  completeMention,
  findMentions,
  handleOf,
  matchMention,
  mentionAt,
  suggestMembers,
  type Member,
} from './mention';

const ana: Member = { id: 'a', name: 'Ana Lopez', email: 'ana@acme.example' };
const anabel: Member = { id: 'b', name: 'Anabel Ruiz', email: 'bel@acme.example' };
const ben: Member = { id: 'c', name: 'Ben', email: 'benjamin.k@acme.example' };
const members = [ana, anabel, ben];

describe('@mentions in a quick-add title', () => {
  it('finds @words at word boundaries, without trailing punctuation', () => {
    expect(findMentions('Call @ana, then @Ben. Mail bob@acme.example (@x)')).toEqual([
      { start: 5, end: 9, text: '@ana', word: 'ana' },
      { start: 16, end: 20, text: '@Ben', word: 'ben' },
      { start: 45, end: 47, text: '@x', word: 'x' },
    ]);
    expect(findMentions('Ask @')).toEqual([{ start: 4, end: 5, text: '@', word: '' }]);
  });

  it('knows the mention the caret is in or right after', () => {
    expect(mentionAt('Call @an now', 8)?.text).toBe('@an');
    expect(mentionAt('Call @an now', 6)?.text).toBe('@an');
    expect(mentionAt('Call @an now', 5)).toBeNull();
    expect(mentionAt('Call @an now', 9)).toBeNull();
  });

  it.each([
    ['ana', 'a'], // a whole first name beats Anabel's prefix
    ['anab', 'b'],
    ['lopez', 'a'],
    ['analopez', 'a'],
    ['bel', 'b'], // email name
    ['benjamin', 'c'],
    ['BEN'.toLowerCase(), 'c'],
    ['me', 'c'],
  ])('@%s names one member', (word, id) => {
    const m = matchMention(word, members, 'c');
    expect(m.kind === 'one' && m.member.id).toBe(id);
  });

  it('never guesses: two at the same step are many, nobody is none', () => {
    expect(matchMention('an', members, 'c')).toEqual({ kind: 'many', members: [ana, anabel] });
    expect(matchMention('zed', members, 'c')).toEqual({ kind: 'none' });
    expect(matchMention('', members, 'c')).toEqual({ kind: 'none' });
  });

  it('takes a name picked from the suggestions for that word first', () => {
    const twins = [ana, { ...anabel, name: 'Ana Ruiz' }];
    expect(matchMention('ana', twins, 'c').kind).toBe('many');
    const picked = new Map([['ana', 'b']]);
    const m = matchMention('ana', twins, 'c', picked);
    expect(m.kind === 'one' && m.member.id).toBe('b');
  });

  it('suggests whoever a partial word could be, you first', () => {
    expect(suggestMembers('', members, 'c').map((m) => m.id)).toEqual(['c', 'a', 'b']);
    expect(suggestMembers('an', members, 'c').map((m) => m.id)).toEqual(['a', 'b']);
    expect(suggestMembers('m', members, 'c').map((m) => m.id)).toEqual(['c']);
    expect(suggestMembers('q', members, 'c')).toEqual([]);
  });

  it('puts whoever the word names in full first, where Enter would pick them', () => {
    // "@ana" is Ana Lopez (the preview says so), though Anabel starts with it too.
    expect(suggestMembers('ana', [anabel, ana], 'b').map((m) => m.id)).toEqual(['a', 'b']);
    expect(suggestMembers('me', members, 'c').map((m) => m.id)).toEqual(['c']);
    const twins = [ana, { ...anabel, name: 'Ana Ruiz' }];
    expect(suggestMembers('ana', twins, 'c', new Map([['ana', 'b']])).map((m) => m.id)).toEqual([
      'b',
      'a',
    ]);
  });

  it('tells a name typed in full from the start of one', () => {
    const whole = (word: string, picked?: Map<string, string>) =>
      completeMention(word, members, 'c', picked)?.id ?? null;
    expect(whole('me')).toBe('c');
    expect(whole('ben')).toBe('c');
    expect(whole('ana')).toBe('a');
    expect(whole('lopez')).toBe('a');
    expect(whole('anabel')).toBe('b');
    expect(whole('bel')).toBe('b');
    expect(whole('benjamin.k')).toBe('c');
    // Part of a name, even of one person only, is still being typed.
    expect(whole('be')).toBeNull();
    expect(whole('anab')).toBeNull();
    expect(whole('an')).toBeNull();
    expect(whole('zed')).toBeNull();
    expect(whole('')).toBeNull();
    const twins = [ana, { ...anabel, name: 'Ana Ruiz' }];
    expect(completeMention('ana', twins, 'c')).toBeNull();
    expect(completeMention('ana', twins, 'c', new Map([['ana', 'b']]))?.id).toBe('b');
  });

  it('writes a picked member as their first name', () => {
    expect(handleOf(ana)).toBe('Ana');
    expect(handleOf({ id: 'x', name: '  ', email: 'zoe@x.example' })).toBe('zoe');
  });
});

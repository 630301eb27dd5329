import { describe, expect, it } from 'vitest';
import {
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

  it('writes a picked member as their first name', () => {
    expect(handleOf(ana)).toBe('Ana');
    expect(handleOf({ id: 'x', name: '  ', email: 'zoe@x.example' })).toBe('zoe');
  });
});

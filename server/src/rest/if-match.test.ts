import { describe, expect, it } from 'vitest';
import { noneMatchHits, parseIfMatch, parseIfNoneMatch } from './if-match.js';

describe('parseIfMatch (RFC 9110 §13.1.1)', () => {
  it('reads absent and `*` as no precondition', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch(' * ')).toBeUndefined();
  });

  it('keeps every strong tag of a list, in order', () => {
    expect(parseIfMatch('"12"')).toEqual({ header: '"12"', strong: ['12'] });
    expect(parseIfMatch('"12", "13","14"')?.strong).toEqual(['12', '13', '14']);
    // Empty list members are allowed (§5.6.1), and a quoted tag may hold a comma.
    expect(parseIfMatch(' , "12",, "a,b" ,')?.strong).toEqual(['12', 'a,b']);
  });

  it('drops weak tags: they never match under the strong comparison', () => {
    expect(parseIfMatch('W/"12"')).toEqual({ header: 'W/"12"', strong: [] });
    expect(parseIfMatch('W/"12", "13"')?.strong).toEqual(['13']);
  });

  it('keeps a well-formed tag that is not a version: it simply never matches', () => {
    expect(parseIfMatch('"yesterday"')?.strong).toEqual(['yesterday']);
  });

  it.each([
    '',
    '   ',
    ',',
    '12',
    'yesterday',
    '"12',
    '"12" "13"',
    '"12"; "13"',
    'w/"12"',
    '*, "12"',
    '"a b"',
    '"12"x',
  ])('refuses %j with 400 BAD_REQUEST naming the header', (header) => {
    expect(() => parseIfMatch(header)).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', status: 400, details: { ifMatch: header } }),
    );
  });
});

describe('parseIfNoneMatch and noneMatchHits (RFC 9110 §13.1.2)', () => {
  const hits = (header: string | undefined, etag: string) =>
    noneMatchHits(parseIfNoneMatch(header), etag);

  it('matches weakly, any member of the list, and `*` any representation', () => {
    expect(hits(undefined, '"12"')).toBe(false);
    expect(hits('"12"', '"12"')).toBe(true);
    expect(hits('W/"12"', '"12"')).toBe(true);
    expect(hits('"12"', 'W/"12"')).toBe(true);
    expect(hits('"0", W/"12"', '"12"')).toBe(true);
    expect(hits(' * ', '"12"')).toBe(true);
    expect(hits('"0", "13"', '"12"')).toBe(false);
  });

  it('splits the list between tags, never inside one (a tag may hold a comma)', () => {
    expect(parseIfNoneMatch(' , "a,b",, W/"12" ,')).toEqual([
      { weak: false, opaque: 'a,b' },
      { weak: true, opaque: '12' },
    ]);
    expect(hits('"x,12"', '"12"')).toBe(false);
    expect(hits('"x,12"', '"x,12"')).toBe(true);
  });

  it.each(['', ',', '12', '"12', '"12" "13"', 'w/"12"', '*, "12"', '"12", *', '"a b"'])(
    'refuses %j with 400 BAD_REQUEST naming the header',
    (header) => {
      expect(() => parseIfNoneMatch(header)).toThrow(
        expect.objectContaining({
          code: 'BAD_REQUEST',
          status: 400,
          details: { ifNoneMatch: header },
        }),
      );
    },
  );
});

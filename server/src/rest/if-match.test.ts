import { describe, expect, it } from 'vitest';
import { parseIfMatch } from './if-match.js';

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

import { describe, expect, it } from 'vitest';
import { jsonPointer } from './errors.js';
import { parseJsonText } from './json-text.js';

describe('parseJsonText', () => {
  it('parses JSON, "constructor" as a word or a plain key included', () => {
    expect(parseJsonText('{"a":[1,{"b":null}]}')).toEqual({
      ok: true,
      value: { a: [1, { b: null }] },
    });
    const words = '{"title":"the constructor of __proto__","constructor":"x"}';
    expect(parseJsonText(words)).toEqual({ ok: true, value: JSON.parse(words) });
  });

  it('refuses a text that starts with a byte order mark, saying so', () => {
    expect(parseJsonText('\uFEFF{"name":"x"}')).toEqual({
      ok: false,
      kind: 'syntax',
      message: 'it starts with a byte order mark (U+FEFF): send UTF-8 without one',
    });
  });

  it('refuses a __proto__ key anywhere, escaped or not, naming where', () => {
    for (const text of [
      '{"m":[{"base":{"__proto__":null}}]}',
      '{"m":[{"base":{"\\u005f_proto__":null}}]}',
      '{"m":[{"base":{"__proto\\u005F\\u005f":{"x":1}}}]}',
    ]) {
      expect(parseJsonText(text)).toMatchObject({
        ok: false,
        kind: 'key',
        path: ['m', 0, 'base', '__proto__'],
        message: 'the key "__proto__" is not allowed',
      });
    }
  });

  it('refuses constructor.prototype', () => {
    expect(parseJsonText('[{"constructor":{"prototype":{"polluted":true}}}]')).toMatchObject({
      ok: false,
      kind: 'key',
      path: [0, 'constructor', 'prototype'],
    });
  });

  it('walks a deeply nested body without recursion', () => {
    const depth = 200_000;
    const deep = `${'['.repeat(depth)}"constructor"${']'.repeat(depth)}`;
    expect(parseJsonText(deep).ok).toBe(true);
    const poisoned = `${'['.repeat(depth)}{"__proto__":1}${']'.repeat(depth)}`;
    const result = parseJsonText(poisoned);
    expect(result.ok).toBe(false);
    if (!result.ok && result.kind === 'key') expect(result.path).toHaveLength(depth + 1);
  });

  it('refuses a key given twice in one object, escaped or spaced, naming where', () => {
    for (const text of [
      '{"m":[1,{"title":"a","title":"b"}]}',
      '{"m":[1,{"title":"a", "\u0074itle" :"b"}]}',
      '{"m":[1,{"title":"x\\":","title":"b"}]}',
    ]) {
      expect(parseJsonText(text), text).toMatchObject({
        ok: false,
        kind: 'key',
        path: ['m', 1, 'title'],
        message: 'the key "title" is given twice in one object',
      });
    }
    // One key in several objects, and a key and its value alike, are not.
    for (const text of [
      '[{"a":1},{"a":2}]',
      '{"a":{"a":{"a":"a"}}}',
      '{"a":"\\":","b":"\\" :"}',
      '{ "a" : 1 , "b"\n:\t2 }',
    ])
      expect(parseJsonText(text), text).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('reports syntax errors and the empty text', () => {
    expect(parseJsonText('{"a":')).toMatchObject({ ok: false, kind: 'syntax' });
    expect(parseJsonText('')).toEqual({ ok: false, kind: 'syntax', message: 'it is empty' });
  });

  it('writes JSON pointers', () => {
    expect(jsonPointer(['a/b', 0, 'c~d'])).toBe('/a~1b/0/c~0d');
    expect(jsonPointer([])).toBe('');
  });
});

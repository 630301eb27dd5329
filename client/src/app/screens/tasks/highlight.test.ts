import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchText } from '../../../data';
import { highlight, queryWords } from './highlight';

const marked = (text: string, q: string) =>
  highlight(text, queryWords(q))
    .map((p) => (p.hit ? `[${p.text}]` : p.text))
    .join('');

describe('highlight', () => {
  it('marks each searched word where search found it, ignoring case and accents', () => {
    expect(marked('Projector screen', 'projector')).toBe('[Projector] screen');
    expect(marked('Book the venue', 'the VEN')).toBe('Book [the] [ven]ue');
    expect(marked('Café crème', 'cafe creme')).toBe('[Café] [crème]');
    expect(marked('Straße fegen', 'strasse')).toBe('[Straße] fegen');
    // A decomposed accent stays with its letter.
    expect(marked('Cafe\u0301 au lait', 'cafe')).toBe('[Cafe\u0301] au lait');
    // Overlapping and repeated hits join.
    expect(marked('banana', 'ana nan')).toBe('b[anana]');
    expect(marked('Plan the plan', 'plan')).toBe('[Plan] the [plan]');
  });

  it('marks nothing without words or a hit, and keeps the text whole', () => {
    expect(marked('Pick a typeface', '')).toBe('Pick a typeface');
    expect(marked('Pick a typeface', 'venue')).toBe('Pick a typeface');
    expect(highlight('', ['a'])).toEqual([{ text: '', hit: false }]);
  });

  it('always gives back the text it was given, and marks a hit wherever search finds one', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ maxLength: 3 }), (text, q) => {
        const pieces = highlight(text, queryWords(q));
        expect(pieces.map((p) => p.text).join('')).toBe(text);
        const words = queryWords(q);
        if (
          words.some((w) => searchText(text).includes(w)) &&
          searchText(text) === [...text].map(searchText).join('')
        )
          expect(pieces.some((p) => p.hit)).toBe(true);
      }),
    );
  });
});

// @vitest-environment happy-dom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { testRoot } from '../testing/test-root';
import { TextToCopy } from './TextToCopy';

const t = testRoot();

const rows = (text: string) => {
  act(() => t.root.render(<TextToCopy label="Title" text={text} />));
  return Number(t.host.querySelector('textarea')!.getAttribute('rows'));
};

describe('TextToCopy', () => {
  it('is one row for a one-line title, a row a line for notes, up to six', () => {
    expect(rows('Order chairs')).toBe(1);
    expect(rows('Forty,\nthe folding kind')).toBe(2);
    expect(rows(Array.from({ length: 12 }, (_, i) => `Line ${i + 1}`).join('\n'))).toBe(6);
  });
});

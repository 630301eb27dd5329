// @vitest-environment happy-dom
import { act, useLayoutEffect } from 'react';
import { describe, expect, it } from 'vitest';
import { useKeySequence, useShortcuts } from './shortcuts';
import { testRoot } from '../testing/test-root';

const dom = testRoot();

const press = (key: string) =>
  document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));

/**
 * Presses keys as soon as the screen is in the page: in its commit, before the browser paints
 * it (and so before React's passive effects, which may run a frame or more later on a busy
 * phone — a key pressed at once, or by a test that saw the screen, was lost then).
 */
function PressAtOnce({ keys }: { keys: readonly string[] }) {
  useLayoutEffect(() => keys.forEach(press), [keys]);
  return null;
}

describe('shortcuts listen from the moment their screen is in the page', () => {
  it('a single key pressed at once', () => {
    const seen: string[] = [];
    function Screen() {
      useShortcuts({ j: () => void seen.push('j') });
      return null;
    }
    act(() =>
      dom.root.render(
        <>
          <Screen />
          <PressAtOnce keys={['j']} />
        </>,
      ),
    );
    expect(seen).toEqual(['j']);
  });

  it('a two-key sequence pressed at once', () => {
    const seen: string[] = [];
    function Screen() {
      useKeySequence('g', { a: () => void seen.push('g a') });
      return null;
    }
    act(() =>
      dom.root.render(
        <>
          <Screen />
          <PressAtOnce keys={['g', 'a']} />
        </>,
      ),
    );
    expect(seen).toEqual(['g a']);
  });

  it('stop listening as soon as their screen leaves', () => {
    const seen: string[] = [];
    function Screen() {
      useShortcuts({ j: () => void seen.push('j') });
      useKeySequence('g', { a: () => void seen.push('g a') });
      return null;
    }
    act(() => dom.root.render(<Screen />));
    act(() => dom.root.render(<PressAtOnce keys={['j', 'g', 'a']} />));
    expect(seen).toEqual([]);
  });
});

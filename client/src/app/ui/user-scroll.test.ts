// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchUserScroll } from './user-scroll';

const stops: (() => void)[] = [];
function watch() {
  const moved = vi.fn();
  stops.push(watchUserScroll(moved));
  return moved;
}
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  document.body.replaceChildren();
});

const key = (target: EventTarget, key: string, init: KeyboardEventInit = {}) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }));

describe('watchUserScroll', () => {
  it('counts the wheel, a touch drag and a press on the page’s scrollbar', () => {
    const moved = watch();
    window.dispatchEvent(new WheelEvent('wheel', { deltaY: 100 }));
    expect(moved).toHaveBeenCalledTimes(1);
    document.body.dispatchEvent(new Event('touchmove', { bubbles: true }));
    expect(moved).toHaveBeenCalledTimes(2);
    document.documentElement.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    expect(moved).toHaveBeenCalledTimes(3);
  });

  it('does not count the page’s own scrolls, nor a press on its content', () => {
    const moved = watch();
    window.dispatchEvent(new Event('scroll'));
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    expect(moved).not.toHaveBeenCalled();
  });

  it('counts keys that scroll or move the list’s cursor, not typing nor shortcuts', () => {
    const moved = watch();
    const field = document.body.appendChild(document.createElement('input'));
    const button = document.body.appendChild(document.createElement('button'));
    key(field, 'j');
    key(field, 'PageDown');
    key(document.body, 'End', { ctrlKey: true });
    // Space on a control presses it.
    key(button, ' ');
    key(document.body, 'a');
    expect(moved).not.toHaveBeenCalled();
    for (const k of ['PageDown', 'PageUp', 'Home', 'End', 'ArrowDown', 'ArrowUp', 'j', 'k', 'J'])
      key(button, k);
    key(document.body, ' ');
    expect(moved).toHaveBeenCalledTimes(10);
  });

  it('stops counting once unsubscribed', () => {
    const moved = watch();
    stops.pop()!();
    window.dispatchEvent(new WheelEvent('wheel', { deltaY: 100 }));
    expect(moved).not.toHaveBeenCalled();
  });
});

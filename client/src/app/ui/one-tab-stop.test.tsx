// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { tabPastParts } from './one-tab-stop';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.replaceChildren();
});

/** A panel as the task detail's: status, the due date and its ✕ (out of the Tab order), project. */
function panel(): HTMLElement {
  const host = document.createElement('aside');
  document.body.append(host);
  root = createRoot(host);
  act(() =>
    root!.render(
      <>
        <select aria-label="Status" />
        <input
          type="date"
          aria-label="Due date"
          onKeyDown={(e) => tabPastParts(e, e.currentTarget.closest('aside'))}
        />
        <button type="button" tabIndex={-1}>
          ✕
        </button>
        <button type="button" hidden>
          Hidden
        </button>
        <select aria-label="Project" />
      </>,
    ),
  );
  return host;
}

function press(el: HTMLElement, init: KeyboardEventInit): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  act(() => void el.dispatchEvent(e));
  return e;
}

describe('a date field’s Tab', () => {
  it('goes on to the next stop, past its parts and its ✕, in one press', () => {
    const host = panel();
    const due = host.querySelector('input')!;
    due.focus();
    const e = press(due, { key: 'Tab' });
    expect(e.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(host.querySelector('[aria-label="Project"]'));
  });

  it('goes back to the stop before it with Shift+Tab', () => {
    const host = panel();
    const due = host.querySelector('input')!;
    due.focus();
    press(due, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(host.querySelector('[aria-label="Status"]'));
  });

  it('leaves other keys (← → between its parts) to the browser', () => {
    const host = panel();
    const due = host.querySelector('input')!;
    due.focus();
    expect(press(due, { key: 'ArrowRight' }).defaultPrevented).toBe(false);
    expect(document.activeElement).toBe(due);
  });
});

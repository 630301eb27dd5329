// @vitest-environment happy-dom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { testRoot } from '../testing/test-root';
import { tabPastParts } from './one-tab-stop';

const dom = testRoot();

/** A panel as the task detail's: status, the due date and its ✕ (out of the Tab order), project. */
function panel(): HTMLElement {
  act(() =>
    dom.root.render(
      <aside>
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
      </aside>,
    ),
  );
  return dom.host.querySelector('aside')!;
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

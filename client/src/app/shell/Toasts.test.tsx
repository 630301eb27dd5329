// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { named } from '../ui/toasts';
import { ToastMessage } from './Toasts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.replaceChildren();
});

function render(text: string): HTMLElement {
  const host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => root!.render(<ToastMessage text={text} />));
  return host;
}

describe('a toast’s words', () => {
  it('keep the full stop after a quoted title with its ”, on one unbreakable line', () => {
    const host = render('Restored: the title of task “Launch v3” is back to “Launch”.');
    expect(host.textContent).toBe('Restored: the title of task “Launch v3” is back to “Launch”.');
    const quotes = [...host.querySelectorAll('.cut-quote')];
    expect(quotes.map((q) => q.textContent)).toEqual(['“Launch v3”', '“Launch”.']);
    expect(quotes[1]!.querySelector('.cut-quote-mark:last-child')?.textContent).toBe('”.');
  });

  it('keep the words after a title’s punctuation outside it', () => {
    const host = render('Not undone for “Pack books”: it was deleted meanwhile');
    expect(host.textContent).toBe('Not undone for “Pack books”: it was deleted meanwhile');
    expect(host.querySelector('.cut-quote')?.textContent).toBe('“Pack books”:');
  });

  it('keep a person’s name to one line of its own, unquoted, its whole name in its tooltip', () => {
    const name = 'Alexandra Konstantinopoulou-Wetherington of the Permits Office';
    const host = render(`${named(name)}, ${named('Bo')} and 2 others assigned you 4 tasks`);
    // Read out as written: the marks that set the names apart are not in the page.
    expect(host.textContent).toBe(`${name}, Bo and 2 others assigned you 4 tasks`);
    const names = [...host.querySelectorAll('.cut-quote')];
    expect(names.map((n) => n.textContent)).toEqual([`${name},`, 'Bo']);
    expect(names.map((n) => n.getAttribute('title'))).toEqual([name, 'Bo']);
    expect(names[0]!.querySelector('.cut-quote-text')?.textContent).toBe(name);
  });

  it('let two names share a line, each cut to part of it', () => {
    const host = render(
      `${named('Alexandra K.')}, ${named('Bo')} and 2 others assigned you 4 tasks`,
    );
    const names = [...host.querySelectorAll('.cut-quote')];
    // Cut to a line each, two long names and the words after them took three lines on a phone.
    expect(names.map((n) => n.classList.contains('cut-name-shared'))).toEqual([true, true]);
  });

  it('let one name alone keep the whole line', () => {
    const host = render(`${named('Alexandra K.')} assigned “Plan” to you`);
    expect(host.querySelector('.cut-quote')).not.toBeNull();
    expect(host.querySelector('.cut-name-shared')).toBeNull();
  });
});

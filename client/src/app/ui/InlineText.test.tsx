// @vitest-environment happy-dom
import { act, useSyncExternalStore } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InlineText, WRITER_WAIT_MS } from './InlineText';
import type { ChangedBy } from './conflict-text';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
const onCommit = vi.fn<(next: string) => void>();

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  onCommit.mockReset();
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

function show(value: string) {
  act(() => root.render(<InlineText value={value} label="Title" onCommit={onCommit} />));
  return host.querySelector('input')!;
}

/** Types into the field as a person would: React sees an input event with the new value. */
function type(field: HTMLInputElement, text: string) {
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(field, text);
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function press(field: HTMLInputElement, key: string) {
  act(() => {
    field.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  });
}

describe('InlineText', () => {
  it('follows a new value while it is not focused', () => {
    const field = show('Alpha');
    expect(show('Alpha by Bob').value).toBe('Alpha by Bob');
    expect(field.value).toBe('Alpha by Bob');
  });

  it('after Enter saved, a value that won over it shows although the field keeps focus', () => {
    const field = show('Alpha');
    act(() => field.focus());
    type(field, 'Alpha by Ada');
    press(field, 'Enter');
    expect(onCommit).toHaveBeenCalledWith('Alpha by Ada', 'Alpha');
    show('Alpha by Ada'); // the local write
    show('Alpha by Bob'); // a concurrent edit that won, arriving by sync
    expect(document.activeElement).toBe(field);
    expect(field.value).toBe('Alpha by Bob');
  });

  it('never overwrites text being typed', () => {
    const field = show('Alpha');
    act(() => field.focus());
    type(field, 'Alpha, half typ');
    show('Alpha by Bob');
    expect(field.value).toBe('Alpha, half typ');
    expect(onCommit).not.toHaveBeenCalled();
  });

  it('Escape backs out without saving: the saved text is back, focus stays; with nothing unsaved the view gets the key', () => {
    const seen = vi.fn();
    act(() =>
      root.render(
        <div onKeyDown={seen}>
          <InlineText value="Alpha" label="Title" maxLength={10} onCommit={onCommit} />
        </div>,
      ),
    );
    const field = host.querySelector('input')!;
    act(() => field.focus());
    type(field, 'Alpha beta');
    press(field, 'Escape');
    expect(field.value).toBe('Alpha');
    expect(document.activeElement).toBe(field);
    expect(seen).not.toHaveBeenCalled();
    // Text that could not be saved (too long, a required field emptied) backs out the same way.
    type(field, 'Alpha beta gamma');
    press(field, 'Escape');
    type(field, '   ');
    press(field, 'Escape');
    expect(field.value).toBe('Alpha');
    // Nothing unsaved: the key goes on (a task's detail closes), and leaving saves nothing.
    press(field, 'Escape');
    expect(seen).toHaveBeenCalledTimes(1);
    act(() => field.blur());
    act(() => root.unmount());
    expect(onCommit).not.toHaveBeenCalled();
    root = createRoot(host);
  });

  it('the text Escape dropped is offered back, by its button or Ctrl+Z, until something else is typed', () => {
    act(() =>
      root.render(
        <InlineText value="" label="Notes" kind="notes" required={false} onCommit={onCommit} />,
      ),
    );
    const field = host.querySelector('textarea')!;
    const line = host.querySelector('[role="status"]')!;
    const edit = (text: string) =>
      act(() => {
        Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(
          field,
          text,
        );
        field.dispatchEvent(new Event('input', { bubbles: true }));
      });
    act(() => field.focus());
    edit('Remember the blue hose,\nand the long one for the orchard');
    act(() => {
      field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(field.value).toBe('');
    expect(line.textContent).toBe('Your edit was not saved. Put it back (Ctrl+Z)');
    // The button puts it back in the field, unsaved still, with focus there to go on.
    act(() => line.querySelector('button')!.click());
    expect(field.value).toBe('Remember the blue hose,\nand the long one for the orchard');
    expect(document.activeElement).toBe(field);
    expect(line.textContent).toBe('');
    expect(onCommit).not.toHaveBeenCalled();
    // Ctrl+Z in the field does the same.
    act(() => {
      field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    act(() => {
      field.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true }));
    });
    expect(field.value).toBe('Remember the blue hose,\nand the long one for the orchard');
    // Typing something else after Escape leaves the dropped text behind: no line, no Ctrl+Z.
    act(() => {
      field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    edit('Hose');
    expect(line.textContent).toBe('');
    act(() => field.blur());
    expect(onCommit).toHaveBeenCalledExactlyOnceWith('Hose', '');
  });

  it('going away with unsaved text saves it; with the text saved already, nothing more', () => {
    const field = show('Alpha');
    act(() => field.focus());
    type(field, 'Alpha beta');
    act(() => root.unmount());
    expect(onCommit).toHaveBeenCalledTimes(1);
    expect(onCommit).toHaveBeenCalledWith('Alpha beta', 'Alpha');

    onCommit.mockReset();
    root = createRoot(host);
    const again = show('Alpha');
    act(() => again.focus());
    type(again, 'Alpha gamma');
    press(again, 'Enter');
    expect(onCommit).toHaveBeenCalledTimes(1);
    act(() => root.unmount());
    expect(onCommit).toHaveBeenCalledTimes(1);
    root = createRoot(host);
  });

  it('Enter then leaving the field before the write is read back saves once, not twice', () => {
    // The local write reaches the field's value a moment later (a live query): on a loaded
    // machine leaving the field came first, and its save queued the same edit again.
    const field = show('Alpha');
    act(() => field.focus());
    type(field, 'Alpha beta');
    press(field, 'Enter');
    act(() => field.blur());
    expect(onCommit).toHaveBeenCalledTimes(1);
    expect(field.value).toBe('Alpha beta');
    show('Alpha beta'); // the local write, read back
    expect(onCommit).toHaveBeenCalledTimes(1);
    // Typed back to the value before, still unread: that is a change from what was saved.
    act(() => field.focus());
    type(field, 'Alpha gamma');
    press(field, 'Enter');
    type(field, 'Alpha beta');
    act(() => field.blur());
    expect(onCommit.mock.calls).toEqual([
      ['Alpha beta', 'Alpha'],
      ['Alpha gamma', 'Alpha beta'],
      ['Alpha beta', 'Alpha gamma'],
    ]);
    expect(field.value).toBe('Alpha beta');
  });

  it('Escape right after Enter, before the write is read back, keeps the text saved', () => {
    const seen = vi.fn();
    act(() =>
      root.render(
        <div onKeyDown={seen}>
          <InlineText value="Alpha" label="Title" onCommit={onCommit} />
        </div>,
      ),
    );
    const field = host.querySelector('input')!;
    act(() => field.focus());
    type(field, 'Alpha beta');
    press(field, 'Enter');
    // Nothing unsaved: the key goes on (a task's detail closes), the saved text stays.
    press(field, 'Escape');
    expect(field.value).toBe('Alpha beta');
    expect(seen.mock.calls.map((call) => (call[0] as { key: string }).key)).toEqual([
      'Enter',
      'Escape',
    ]);
    act(() =>
      root.render(
        <div onKeyDown={seen}>
          <InlineText value="Alpha beta" label="Title" onCommit={onCommit} />
        </div>,
      ),
    );
    act(() => field.blur());
    expect(field.value).toBe('Alpha beta');
    expect(onCommit.mock.calls).toEqual([['Alpha beta', 'Alpha']]);
  });

  it('keeps text past its limit unsaved and says by how much, instead of cutting it', () => {
    act(() =>
      root.render(<InlineText value="Alpha" label="Title" maxLength={10} onCommit={onCommit} />),
    );
    const field = host.querySelector('input')!;
    const hint = () => document.getElementById(field.getAttribute('aria-describedby')!)!;
    act(() => field.focus());
    expect(hint().hidden).toBe(true);
    type(field, 'Alpha beta');
    expect(hint().textContent).toBe('0 characters left');
    type(field, 'Alpha beta gamma');
    press(field, 'Enter');
    act(() => field.blur());
    expect(onCommit).not.toHaveBeenCalled();
    expect(field.value).toBe('Alpha beta gamma');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(hint().textContent).toBe('6 characters too many (at most 10)');
    act(() => field.focus());
    type(field, 'Alpha beta');
    press(field, 'Enter');
    expect(onCommit).toHaveBeenCalledWith('Alpha beta', 'Alpha');
    // Saved at the limit: the count shows while editing only.
    expect(hint().hidden).toBe(false);
    act(() => field.blur());
    expect(hint().hidden).toBe(true);
  });

  it('the page hidden (app switched, tab closed) saves unsaved text once; the field keeps it', () => {
    const field = show('Alpha');
    act(() => field.focus());
    type(field, 'Alpha beta ');
    const hide = (state: 'hidden' | 'visible') =>
      act(() => {
        Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
    hide('hidden');
    expect(onCommit).toHaveBeenCalledTimes(1);
    expect(onCommit).toHaveBeenCalledWith('Alpha beta', 'Alpha');
    expect(field.value).toBe('Alpha beta ');
    expect(document.activeElement).toBe(field);
    show('Alpha beta'); // the local write
    hide('visible');
    hide('hidden');
    act(() => field.blur());
    expect(onCommit).toHaveBeenCalledTimes(1);
    hide('visible');
  });

  it('says who changed the value under unsaved text, to what; Enter keeps the text typed', () => {
    const by = vi.fn((_value: string): ChangedBy => ({ kind: 'person', name: 'Ana' }));
    const render = (value: string) =>
      act(() =>
        root.render(
          <InlineText value={value} label="Title" onCommit={onCommit} useChangedBy={by} />,
        ),
      );
    render('Ship');
    const field = host.querySelector('input')!;
    const line = host.querySelector('[role="status"]')!;
    act(() => field.focus());
    type(field, 'Ship v3');
    // Nothing changed underneath: no line, and nobody's history is read for it.
    expect(line.textContent).toBe('');
    expect(by).not.toHaveBeenCalled();
    render('Ship v2');
    expect(field.value).toBe('Ship v3');
    expect(line.textContent).toBe(
      'Ana changed the title to “Ship v2” while you were editing. Enter keeps yours; Escape takes theirs.',
    );
    expect(by).toHaveBeenLastCalledWith('Ship v2');
    press(field, 'Enter');
    expect(onCommit).toHaveBeenCalledWith('Ship v3', 'Ship v2');
    expect(line.textContent).toBe('');
    render('Ship v3'); // the local write
    expect(line.textContent).toBe('');
  });

  it('waits for the writer before the line speaks, so it is said once; after the wait, "Someone"', async () => {
    // Who wrote each value, as the history tells it: not known until its entry arrives.
    const writers = new Map<string, ChangedBy>();
    const listeners = new Set<() => void>();
    const learn = (value: string, by: ChangedBy) =>
      act(() => {
        writers.set(value, by);
        listeners.forEach((l) => l());
      });
    const useBy = (value: string) =>
      useSyncExternalStore(
        (l) => (listeners.add(l), () => listeners.delete(l)),
        () => writers.get(value) ?? null,
      );
    const render = (value: string) =>
      act(() =>
        root.render(
          <InlineText value={value} label="Title" onCommit={onCommit} useChangedBy={useBy} />,
        ),
      );
    vi.useFakeTimers();
    try {
      render('Ship');
      const field = host.querySelector('input')!;
      const line = host.querySelector('[role="status"]')!;
      const said: string[] = [];
      const watch = new MutationObserver(() => said.push(line.textContent ?? ''));
      watch.observe(line, { childList: true, subtree: true, characterData: true });
      act(() => field.focus());
      type(field, 'Ship v3');
      render('Ship v2'); // the value, before its history
      expect(line.textContent).toBe('');
      act(() => {
        vi.advanceTimersByTime(WRITER_WAIT_MS / 2);
      });
      expect(line.textContent).toBe('');
      learn('Ship v2', { kind: 'person', name: 'Ana' });
      const ana =
        'Ana changed the title to “Ship v2” while you were editing. Enter keeps yours; Escape takes theirs.';
      expect(line.textContent).toBe(ana);
      act(() => {
        vi.advanceTimersByTime(WRITER_WAIT_MS);
      });
      expect(line.textContent).toBe(ana);
      await Promise.resolve(); // the observer's records
      expect(said.filter((t) => t !== '')).toEqual([ana]);

      // A writer never found in time: "Someone", and a name found later does not replace it.
      render('Ship v4');
      expect(line.textContent).toBe('');
      act(() => {
        vi.advanceTimersByTime(WRITER_WAIT_MS);
      });
      const someone =
        'Someone changed the title to “Ship v4” while you were editing. Enter keeps yours; Escape takes theirs.';
      expect(line.textContent).toBe(someone);
      learn('Ship v4', { kind: 'person', name: 'Ben' });
      expect(line.textContent).toBe(someone);
      watch.disconnect();
    } finally {
      vi.useRealTimers();
    }
  });

  it('Escape takes their value and the line goes; so does typing what they saved', () => {
    const field = show('Ship');
    const line = host.querySelector('[role="status"]')!;
    act(() => field.focus());
    type(field, 'Ship v3');
    show('Ship v2');
    // Without a way to tell who, it says so honestly.
    expect(line.textContent).toBe(
      'Someone changed the title to “Ship v2” while you were editing. Enter keeps yours; Escape takes theirs.',
    );
    press(field, 'Escape');
    expect(field.value).toBe('Ship v2');
    expect(line.textContent).toBe('');
    expect(document.activeElement).toBe(field);

    type(field, 'Ship v4');
    show('Ship v5');
    expect(line.textContent).not.toBe('');
    type(field, 'Ship v5 ');
    expect(line.textContent).toBe('');
    type(field, 'Ship v6');
    expect(line.textContent).toBe('');
    act(() => field.blur());
    expect(onCommit).toHaveBeenCalledWith('Ship v6', 'Ship v5');
  });
});

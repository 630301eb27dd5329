import { useEffect, useRef, useState } from 'react';
import { useEngine } from '../engine/context';
import { focusScreenHeading } from '../shell/route-focus';
import { useSections } from '../shell/sections';
import { SHORTCUTS, usableShortcuts, type Shortcut } from './shortcuts';

/**
 * The `?` overlay: a modal dialog listing the shortcuts this person can use (no `g m` for one
 * who has no Members, no new project for one who may not create one); Escape or Close returns
 * focus.
 * `unavailable` marks the shortcuts this screen does not take (by their first key), each with
 * the reason the key itself gives when pressed.
 */
export function ShortcutsHelp({
  onClose,
  unavailable = {},
  shortcuts = SHORTCUTS,
}: {
  onClose(): void;
  unavailable?: Readonly<Record<string, string>>;
  /** The keys this screen lists (a task list's, by default). */
  shortcuts?: readonly Shortcut[];
}) {
  const { session } = useEngine();
  const sections = useSections().map((t) => t.key);
  const listed = usableShortcuts(shortcuts, { role: session.user.role, sections });
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDListElement>(null);
  // More keys below the list's foot: it fades there, a sign it scrolls (a line cut at the edge
  // read as the last one).
  const [moreBelow, setMoreBelow] = useState(false);
  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const check = () => setMoreBelow(el.scrollTop + el.clientHeight < el.scrollHeight - 1);
    check();
    el.addEventListener('scroll', check, { passive: true });
    const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(check);
    resized?.observe(el);
    return () => {
      el.removeEventListener('scroll', check);
      resized?.disconnect();
    };
  }, []);
  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    // On Close, as before the list scrolled: the browser would focus the scrolling list first.
    close.current?.focus();
    // Back on what opened it; opened from the page itself (nothing focused), on the screen's
    // heading: focus fell to the page, and the next Tab started from the top.
    return () => {
      if (before && before !== document.body && before.isConnected) before.focus();
      else focusScreenHeading();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="shortcuts"
      aria-labelledby="shortcuts-heading"
      // Escape and Close end it with their own event: the dialog's close event comes in a later
      // task, after keys already pressed (a ? meant to open it again, a focus moved), which then
      // found it still open here and had focus taken back when it went.
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClose={onClose}
    >
      <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
      {/* It scrolls on a short screen: focusable, so the keys scroll it too. */}
      <dl
        ref={list}
        className={moreBelow ? 'shortcut-list more-below' : 'shortcut-list'}
        tabIndex={0}
      >
        {listed.map((s) => {
          const why = unavailable[s.keys[0]!];
          return (
            <div key={s.what} className={why ? 'unavailable' : undefined}>
              <dt>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' or '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </dt>
              <dd>
                {s.what}
                {why && <span className="why">Not here: {why}</span>}
              </dd>
            </div>
          );
        })}
      </dl>
      {shortcuts === SHORTCUTS && (
        <p className="muted quick-add-help">
          In a new task’s title, a date (today, yesterday, by fri, next week, in 3 days, due dec 5)
          sets the due date and <kbd>@</kbd>name assigns it; the × under the field, or Backspace
          right after the words, keeps them as text. <kbd>Tab</kbd> picks a suggested name;{' '}
          <kbd>Enter</kbd> does on part of one, and adds the task once it is whole (@me). A task’s
          due date takes the same words: type a letter on it.
        </p>
      )}
      <form method="dialog">
        <button ref={close} type="button" className="primary" onClick={onClose}>
          Close
        </button>
      </form>
    </dialog>
  );
}

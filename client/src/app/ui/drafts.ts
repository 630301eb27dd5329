import { useEffect, useRef } from 'react';

/** Text typed into a field and not saved, with the field's name as a person knows it. */
export interface UnsavedText {
  label: string;
  text: string;
}

/** Fields holding typed text that is not saved anywhere yet, by the name a person knows them by. */
const drafts = new Map<symbol, UnsavedText>();

/** Set once the app itself leaves after asking (Reload to update): the browser asks nothing more. */
let leaving = false;

/**
 * Closing the tab or reloading it with the browser while a field holds unsaved text asks
 * first (the browser's own "Leave site?"), as a mail or issue draft does. Listened for only
 * while some field holds text: a page with the listener cannot enter the back/forward cache.
 */
function guard(event: BeforeUnloadEvent): void {
  if (leaving || drafts.size === 0) return;
  event.preventDefault();
  // Older Chromium and Safari ask only when returnValue is set.
  event.returnValue = '';
}

function listen(on: boolean): void {
  if (typeof window === 'undefined') return;
  if (on) window.addEventListener('beforeunload', guard);
  else window.removeEventListener('beforeunload', guard);
}

/**
 * Registers a field's text while it holds some that nothing has saved (a title typed into
 * "Add a task" and not added, a new project's name, an invitation not sent): a reload would
 * clear it, so what reloads asks first — the app's "Reload to update", and the browser's reload
 * or tab close. Fields that save as you type (InlineText: a task's title and notes) save on
 * their own when the page is hidden and never register. A form's fields share its label.
 */
export function useUnsavedDraft(label: string, text: string): void {
  const holds = text.trim() !== '';
  const key = useRef<symbol | null>(null);
  useEffect(() => {
    if (!holds) return;
    const own = Symbol(label);
    key.current = own;
    drafts.set(own, { label, text });
    if (drafts.size === 1) listen(true);
    return () => {
      key.current = null;
      drafts.delete(own);
      if (drafts.size === 0) listen(false);
    };
  }, [label, holds]);
  // The text as last typed, for a sign-out to show (see `unsavedTexts`).
  useEffect(() => {
    if (key.current) drafts.set(key.current, { label, text });
  }, [label, text]);
}

/**
 * Keeps texts taken from fields that are going counted as unsaved while the caller lives: the
 * workspace's "Signing out…" status replaces the screen whose fields held them, and the sign-in
 * screen after it shows them to copy (`unsavedTexts`, read as the workspace goes). Memory only.
 */
export function useHeldTexts(texts: readonly UnsavedText[]): void {
  useEffect(() => {
    const keys = texts.map((t) => {
      const own = Symbol(t.label);
      drafts.set(own, { ...t });
      return own;
    });
    if (drafts.size > 0) listen(true);
    return () => {
      for (const own of keys) drafts.delete(own);
      if (drafts.size === 0) listen(false);
    };
  }, [texts]);
}

/** The names of the fields holding unsaved text now, each once. */
export function unsavedDrafts(): string[] {
  return [...new Set([...drafts.values()].map((d) => d.label))];
}

/**
 * The unsaved texts themselves, with their fields' names: what a sign-out or an org switch (from
 * another tab, too) takes away with the workspace, shown to copy instead of dropped silently.
 */
export function unsavedTexts(): UnsavedText[] {
  return [...drafts.values()].map((d) => ({ ...d }));
}

/** The app leaves on purpose, the person having answered already: the browser does not ask. */
export function leaveWithoutAsking(): void {
  leaving = true;
}

import { useEffect } from 'react';

/** Fields holding typed text that is not saved anywhere yet, by the name a person knows them by. */
const drafts = new Map<symbol, string>();

/**
 * Registers a field's text while it holds some that nothing has saved (a title typed into
 * "Add a task" and not added): a reload would clear it, so what reloads asks first.
 */
export function useUnsavedDraft(label: string, text: string): void {
  const holds = text.trim() !== '';
  useEffect(() => {
    if (!holds) return;
    const key = Symbol(label);
    drafts.set(key, label);
    return () => {
      drafts.delete(key);
    };
  }, [label, holds]);
}

/** The names of the fields holding unsaved text now, each once. */
export function unsavedDrafts(): string[] {
  return [...new Set(drafts.values())];
}

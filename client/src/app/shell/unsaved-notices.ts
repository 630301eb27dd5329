import { createContext, useContext } from 'react';

/** One text to copy: what it was typed into ("Notes", "Title"), and the text. */
export interface TextToShow {
  label: string;
  text: string;
}

/**
 * Text a person typed that no screen shows any more: a deleted task's panel closed before its
 * notes' save had failed (a few milliseconds), so the panel that says "not saved" had gone.
 * Said in a notice, with the text to copy, until answered.
 */
export interface UnsavedNotice {
  id: number;
  message: string;
  texts: readonly TextToShow[];
}

export interface UnsavedNotices {
  subscribe(listener: () => void): () => void;
  getSnapshot(): readonly UnsavedNotice[];
  add(message: string, texts: readonly TextToShow[]): void;
  dismiss(id: number): void;
}

/** The notices of one workspace (one person's: they go with it at sign-out or a switch). */
export function createUnsavedNotices(): UnsavedNotices {
  let list: readonly UnsavedNotice[] = [];
  let next = 1;
  const listeners = new Set<() => void>();
  const set = (to: readonly UnsavedNotice[]) => {
    list = to;
    for (const l of listeners) l();
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => list,
    add(message, texts) {
      if (texts.length > 0) set([...list, { id: next++, message, texts }]);
    },
    dismiss(id) {
      set(list.filter((n) => n.id !== id));
    },
  };
}

// Outside a workspace (a component test of one screen) the text goes to a store nobody shows.
const UnsavedNoticesContext = createContext<UnsavedNotices>(createUnsavedNotices());

export const UnsavedNoticesProvider = UnsavedNoticesContext.Provider;

export function useUnsavedNotices(): UnsavedNotices {
  return useContext(UnsavedNoticesContext);
}

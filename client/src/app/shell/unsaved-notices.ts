import { createContext, useContext } from 'react';
import { z } from 'zod/mini';
import type { KeyValueStorage } from '@outpost/sync';
import { localStorageOrNull } from '../ui/local-storage';

/** One text to copy: what it was typed into ("Notes", "Title"), and the text. */
export interface TextToShow {
  label: string;
  text: string;
}

/**
 * Text a person typed that no screen shows any more: a deleted task's panel closed before its
 * notes' save had failed (a few milliseconds), so the panel that says "not saved" had gone; or
 * text a closed page kept whose write the next start made was refused while its row is still
 * here (`KeptRefusedNotices`; the kept edit is forgotten as it is written). Said in a notice,
 * with the text to copy, until answered — across a reload too: it is the only copy of that text.
 */
export interface UnsavedNotice {
  id: string;
  message: string;
  texts: readonly TextToShow[];
}

export interface UnsavedNotices {
  subscribe(listener: () => void): () => void;
  getSnapshot(): readonly UnsavedNotice[];
  add(message: string, texts: readonly TextToShow[]): void;
  dismiss(id: string): void;
}

/** Whose notices: one person in one org (a switch shows the other org's; sign-out forgets them). */
export interface NoticesOwner {
  orgId: string;
  userId: string;
}

// An `outpost-…` key naming the user: sign-out removes it with their other keys
// (`forgetLocalCopies`).
export const unsavedNoticesKey = (o: NoticesOwner) => `outpost-unsaved-text:${o.orgId}:${o.userId}`;

const storedSchema = z.array(
  z.object({
    id: z.string(),
    message: z.string(),
    texts: z.array(z.object({ label: z.string(), text: z.string() })),
  }),
);

function read(storage: KeyValueStorage, key: string): UnsavedNotice[] {
  try {
    const raw = storage.getItem(key);
    if (raw === null) return [];
    const parsed = storedSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function write(storage: KeyValueStorage, key: string, list: readonly UnsavedNotice[]): void {
  try {
    if (list.length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(list));
  } catch {
    // A full or disabled localStorage: the notice still shows until this page goes.
  }
}

/** A notice's id, the same in every tab that reads it back (a dismiss in one is for it alone). */
const newId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random()}`;

/**
 * The notices of one workspace. With an `owner` they are kept in `storage` (localStorage) until
 * answered, so a reload or a closed tab does not lose the text; read back when the workspace is
 * made again. Each change reads what is stored first: another tab's notices are kept, not
 * written over.
 */
export function createUnsavedNotices(
  owner?: NoticesOwner,
  storage: KeyValueStorage | null = localStorageOrNull(),
): UnsavedNotices {
  const key = owner && storage ? unsavedNoticesKey(owner) : null;
  let list: readonly UnsavedNotice[] = key ? read(storage!, key) : [];
  const listeners = new Set<() => void>();
  const set = (to: readonly UnsavedNotice[]) => {
    list = to;
    for (const l of listeners) l();
  };
  // Answered or added in another tab of this person: this one follows.
  const follow = (e: StorageEvent) => {
    if (key && e.key === key) set(read(storage!, key));
  };
  /** This tab's list and the stored one, each notice once (this tab's first). */
  const merged = (): UnsavedNotice[] => {
    if (!key) return [...list];
    const mine = new Set(list.map((n) => n.id));
    return [...list, ...read(storage!, key).filter((n) => !mine.has(n.id))];
  };
  return {
    subscribe(listener) {
      if (key && listeners.size === 0 && typeof window !== 'undefined')
        window.addEventListener('storage', follow);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (key && listeners.size === 0 && typeof window !== 'undefined')
          window.removeEventListener('storage', follow);
      };
    },
    getSnapshot: () => list,
    add(message, texts) {
      if (texts.length === 0) return;
      const next = [...merged(), { id: newId(), message, texts: [...texts] }];
      if (key) write(storage!, key, next);
      set(next);
    },
    dismiss(id) {
      const next = merged().filter((n) => n.id !== id);
      if (key) write(storage!, key, next);
      set(next);
    },
  };
}

// Outside a workspace (a component test of one screen) the text goes to a store nobody shows.
const UnsavedNoticesContext = createContext<UnsavedNotices>(createUnsavedNotices());

export const UnsavedNoticesProvider = UnsavedNoticesContext.Provider;

export function useUnsavedNotices(): UnsavedNotices {
  return useContext(UnsavedNoticesContext);
}

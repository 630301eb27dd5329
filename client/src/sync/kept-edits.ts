import type { z } from 'zod/mini';
import { check } from './check';
import type { keptEditsSchema } from './schemas';
import type { KeyValueStorage } from './sentinel';

/**
 * Edits asked for while the page is hidden — a field saving what it holds as the tab closes or
 * reloads — kept in localStorage until their write commits. The page may be torn down before
 * IndexedDB commits the write (an edit reads the row first, a round trip a closing page does not
 * get), and the text typed last would be lost, unsaid; localStorage is written at once. The next
 * start writes what is still kept (`update` queues only fields that differ, so one that did
 * commit queues nothing again).
 */
export type KeptEdit = z.infer<typeof keptEditsSchema>[number];

const keyFor = (userId: string) => `outpost-kept-edits:${userId}`;

/** The edits kept for `userId` (none when the stored value is missing or not one this reads). */
export function keptEdits(storage: KeyValueStorage, userId: string): KeptEdit[] {
  try {
    const raw = storage.getItem(keyFor(userId));
    if (raw === null) return [];
    const parsed = check.keptEdits.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function save(storage: KeyValueStorage, userId: string, edits: readonly KeptEdit[]): void {
  try {
    if (edits.length === 0) storage.removeItem(keyFor(userId));
    else storage.setItem(keyFor(userId), JSON.stringify(edits));
  } catch {
    // A full or disabled localStorage: the write itself still goes ahead, as it did before.
  }
}

/** Keeps `edit` until `forgetEdit` (its write committed or was refused). */
export function keepEdit(storage: KeyValueStorage, userId: string, edit: KeptEdit): void {
  save(storage, userId, [...keptEdits(storage, userId), edit]);
}

/** Forgets one kept edit equal to `edit` (the first, if the same edit was kept twice). */
export function forgetEdit(storage: KeyValueStorage, userId: string, edit: KeptEdit): void {
  const kept = keptEdits(storage, userId);
  const same = canonical(edit);
  const at = kept.findIndex((e) => canonical(e) === same);
  if (at < 0) return;
  kept.splice(at, 1);
  save(storage, userId, kept);
}

/** Forgets every kept edit of `userId` (signing out: the replica they were for goes). */
export function clearKeptEdits(storage: KeyValueStorage, userId: string): void {
  save(storage, userId, []);
}

/** The same edit, whatever order its patch's keys were read back in. */
const canonical = (e: KeptEdit) =>
  JSON.stringify([
    e.kind,
    e.entityId,
    Object.entries(e.patch).sort(([a], [b]) => (a < b ? -1 : 1)),
  ]);

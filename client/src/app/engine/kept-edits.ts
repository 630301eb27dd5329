import { z } from 'zod/mini';
import {
  entityIdSchema,
  projectFieldsSchema,
  taskFieldsSchema,
  type ProjectFields,
  type TaskFields,
} from '@outpost/shared';
import type { KeyValueStorage, SyncClient } from '@outpost/sync';

/**
 * An edit saved as the page closes. A title or notes field saves what it holds on
 * `visibilitychange` (the tab reloading or closing), but the engine's update reads the row
 * before it writes: a round trip a closing page does not get, so the page could be torn down
 * before IndexedDB committed the write, and the text typed last was lost, unsaid, online or
 * offline (2026-12-07). `keepEditsAsPageCloses` therefore also writes an edit asked for while
 * the page is hidden to localStorage (`outpost-kept-edits:<userId>`), which is written at
 * once, and forgets it when its write settles; `writeKeptEdits` writes what a closed page left
 * there at the next start, before the workspace shows (an update queues only fields that
 * differ, so one that did commit queues nothing again). Signing out removes the key with the
 * person's other `outpost-…` keys (`forgetLocalCopies`).
 *
 * Each edit keeps what its fields held before it (`from`: the text the field was edited from),
 * and a field is written at the next start only while the row still holds that: the page may
 * have gone after the write committed but before it was forgotten, and a teammate's newer value
 * pulled since (by another tab, or before the start) must not be overwritten by the older kept
 * one. A row gone by then (deleted meanwhile), or a write refused, leaves the text typed unsaved:
 * `writeKeptEdits` hands it back, for the screens that say what was typed and was not saved.
 *
 * This lives in the app, not in the sync engine: a page's lifecycle is a browser tab's concern
 * (the engine also runs in Node, where no page closes), and the engine's weight is counted.
 */
// `from` holds values as rows hold them, which older rows may hold outside today's input rules
// (a title with a line break): any field's string or null, only the patch's fields ever read.
// Kept by the build before it, an edit has no `from`: it is written as then (once at most, the
// next start after that build's page closed), not dropped, which would lose the text it kept.
const fromSchema = z.optional(z.record(z.string(), z.nullable(z.string())));
const keptEditsSchema = z.array(
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('task'),
      entityId: entityIdSchema,
      patch: z.partial(taskFieldsSchema),
      from: fromSchema,
    }),
    z.object({
      kind: z.literal('project'),
      entityId: entityIdSchema,
      patch: z.partial(projectFieldsSchema),
      from: fromSchema,
    }),
  ]),
);
export type KeptEdit = z.infer<typeof keptEditsSchema>[number];

/** The client's one-row edits, which a field saving as the page closes calls. */
export type Edits = Pick<SyncClient, 'updateTask' | 'updateProject'>;

/**
 * The one-row edits as the app's screens call them: a field saving typed text says what it was
 * edited from (`from`, the value the field showed), kept with the edit should the page close.
 */
export interface KeepingEdits {
  updateTask(id: string, patch: Partial<TaskFields>, from?: Partial<TaskFields>): Promise<boolean>;
  updateProject(
    id: string,
    patch: Partial<ProjectFields>,
    from?: Partial<ProjectFields>,
  ): Promise<boolean>;
}

/** Typed text a kept edit could not write at the next start: its row deleted, or refused. */
export interface KeptUnsaved {
  kind: KeptEdit['kind'];
  /** The task or project it was typed into. */
  of: string;
  field: TextField;
  text: string;
}

/** The fields a person types text into (what is worth showing back when it is not saved). */
const TEXT_FIELDS = ['title', 'notes', 'name', 'description'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/** A row as the replica shows it now (its pending writes on top), or null when it is not here. */
export type ReadRow = (kind: KeptEdit['kind'], id: string) => Promise<object | null>;

export const keptEditsKey = (userId: string) => `outpost-kept-edits:${userId}`;

/** Whether the page is hidden now (switched away from, or closing); false without a DOM. */
const pageHidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';

/** The edits kept for `userId` (none when the stored value is missing or not one this reads). */
export function readKeptEdits(storage: KeyValueStorage, userId: string): KeptEdit[] {
  try {
    const raw = storage.getItem(keptEditsKey(userId));
    if (raw === null) return [];
    const parsed = keptEditsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * Edits a closed page kept are newer than the query cache that page left, which would paint the
 * values they replace until the database's first read: with any kept, the cache (`cacheKey`)
 * goes, and this start paints from the database. Called before `writeKeptEdits`.
 */
export function forgetCacheUnderKeptEdits(
  storage: KeyValueStorage | null,
  userId: string,
  cacheKey: string,
): void {
  if (storage && readKeptEdits(storage, userId).length > 0) storage.removeItem(cacheKey);
}

function save(storage: KeyValueStorage, userId: string, edits: readonly KeptEdit[]): void {
  try {
    if (edits.length === 0) storage.removeItem(keptEditsKey(userId));
    else storage.setItem(keptEditsKey(userId), JSON.stringify(edits));
  } catch {
    // A full or disabled localStorage: the write itself still goes ahead, as it did before.
  }
}

/** The same edit, whatever order its patch's keys were read back in. */
const canonical = (e: KeptEdit) =>
  JSON.stringify([
    e.kind,
    e.entityId,
    Object.entries(e.patch).sort(([a], [b]) => (a < b ? -1 : 1)),
  ]);

/** Forgets one kept edit equal to `edit` (the first, if the same edit was kept twice). */
function forget(storage: KeyValueStorage, userId: string, edit: KeptEdit): void {
  const kept = readKeptEdits(storage, userId);
  const same = canonical(edit);
  const at = kept.findIndex((e) => canonical(e) === same);
  if (at < 0) return;
  kept.splice(at, 1);
  save(storage, userId, kept);
}

/**
 * A copy of `client` whose `updateTask`/`updateProject`, called while the page is hidden, keep
 * the edit in `storage` until its write settles (committed, or refused). Without storage the
 * client is returned as it is.
 */
export function keepEditsAsPageCloses<C extends Edits>(
  client: C,
  storage: KeyValueStorage | null,
  userId: string,
  isHidden: () => boolean = pageHidden,
): Omit<C, keyof Edits> & KeepingEdits {
  if (!storage) return client;
  const update = (
    kind: KeptEdit['kind'],
    id: string,
    patch: object,
    from: object | undefined,
    write: () => Promise<boolean>,
  ): Promise<boolean> => {
    if (!isHidden()) return write();
    // Kept as JSON reads it back (an `undefined` value goes), so that it is found to forget.
    const edit = {
      kind,
      entityId: id,
      patch: JSON.parse(JSON.stringify(patch)) as object,
      ...(from ? { from: JSON.parse(JSON.stringify(from)) as object } : {}),
    };
    save(storage, userId, [...readKeptEdits(storage, userId), edit as KeptEdit]);
    const written = write();
    const done = () => forget(storage, userId, edit as KeptEdit);
    written.then(done, done);
    return written;
  };
  return {
    ...client,
    updateTask: (id, patch, from) =>
      update('task', id, patch, from, () => client.updateTask(id, patch)),
    updateProject: (id, patch, from) =>
      update('project', id, patch, from, () => client.updateProject(id, patch)),
  };
}

/** Values as stored (JSON's), so that an `undefined` and a missing field are the same. */
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields of `edit` still to write: each one whose row still holds what it was edited from. */
function stillToWrite(edit: KeptEdit, row: object): Record<string, unknown> {
  const now = row as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(edit.patch).filter(
      ([field]) => !edit.from || !(field in edit.from) || same(now[field], edit.from[field]),
    ),
  );
}

/** The typed text in `patch`, as unsaved text of `edit`'s row. */
function typedText(edit: KeptEdit, patch: Record<string, unknown>): KeptUnsaved[] {
  return TEXT_FIELDS.flatMap((field) => {
    const text = patch[field];
    return typeof text === 'string' && text.trim() !== ''
      ? [{ kind: edit.kind, of: edit.entityId, field, text }]
      : [];
  });
}

/**
 * Writes the edits a closed page kept (`keepEditsAsPageCloses`) for `userId`, once each, and
 * forgets them: of each, the fields whose row (`read`) still holds what they were edited from
 * (the edit never committed). Called as the engine opens, before any screen may edit again,
 * and before this start's first pull (which another tab may have made already): either way a
 * value newer than the one edited from is left as it is. Returns the typed text that could not
 * be written (its row gone, or the write refused).
 */
export async function writeKeptEdits(
  client: Edits,
  storage: KeyValueStorage | null,
  userId: string,
  read: ReadRow,
): Promise<KeptUnsaved[]> {
  if (!storage) return [];
  const unsaved: KeptUnsaved[] = [];
  for (const edit of readKeptEdits(storage, userId)) {
    const row = await read(edit.kind, edit.entityId).catch(() => null);
    if (row === null) {
      // Deleted meanwhile (by a teammate, or in another tab): nothing to write it to.
      unsaved.push(...typedText(edit, edit.patch));
    } else {
      const patch = stillToWrite(edit, row);
      if (Object.keys(patch).length > 0) {
        const written =
          edit.kind === 'task'
            ? client.updateTask(edit.entityId, patch)
            : client.updateProject(edit.entityId, patch);
        // Refused (deleted as it was written, a value no longer valid): the text is handed back.
        await written.catch(() => unsaved.push(...typedText(edit, patch)));
      }
    }
    forget(storage, userId, edit);
  }
  return unsaved;
}

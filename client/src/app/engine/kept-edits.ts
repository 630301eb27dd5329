import { z } from 'zod/mini';
import { entityIdSchema, projectFieldsSchema, taskFieldsSchema } from '@outpost/shared';
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
 * This lives in the app, not in the sync engine: a page's lifecycle is a browser tab's concern
 * (the engine also runs in Node, where no page closes), and the engine's weight is counted.
 */
const keptEditsSchema = z.array(
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('task'),
      entityId: entityIdSchema,
      patch: z.partial(taskFieldsSchema),
    }),
    z.object({
      kind: z.literal('project'),
      entityId: entityIdSchema,
      patch: z.partial(projectFieldsSchema),
    }),
  ]),
);
export type KeptEdit = z.infer<typeof keptEditsSchema>[number];

/** The client's one-row edits, which a field saving as the page closes calls. */
export type Edits = Pick<SyncClient, 'updateTask' | 'updateProject'>;

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
): C {
  if (!storage) return client;
  const update = (
    kind: KeptEdit['kind'],
    id: string,
    patch: object,
    write: () => Promise<boolean>,
  ): Promise<boolean> => {
    if (!isHidden()) return write();
    // Kept as JSON reads it back (an `undefined` value goes), so that it is found to forget.
    const edit = { kind, entityId: id, patch: JSON.parse(JSON.stringify(patch)) as object };
    save(storage, userId, [...readKeptEdits(storage, userId), edit as KeptEdit]);
    const written = write();
    const done = () => forget(storage, userId, edit as KeptEdit);
    written.then(done, done);
    return written;
  };
  return {
    ...client,
    updateTask: (id, patch) => update('task', id, patch, () => client.updateTask(id, patch)),
    updateProject: (id, patch) =>
      update('project', id, patch, () => client.updateProject(id, patch)),
  };
}

/**
 * Writes the edits a closed page kept (`keepEditsAsPageCloses`) for `userId`, once each, and
 * forgets them. Called as the engine opens, before any screen may edit again.
 */
export async function writeKeptEdits(
  client: Edits,
  storage: KeyValueStorage | null,
  userId: string,
): Promise<void> {
  if (!storage) return;
  for (const edit of readKeptEdits(storage, userId)) {
    const written =
      edit.kind === 'task'
        ? client.updateTask(edit.entityId, edit.patch)
        : client.updateProject(edit.entityId, edit.patch);
    // Refused (the row deleted meanwhile, a value no longer valid): nothing more to do with it.
    await written.catch(() => undefined);
    forget(storage, userId, edit);
  }
}

import type { SyncClient } from '@outpost/sync';
import { fieldLabel } from './conflict-text';
import { toasts } from './toasts';

/**
 * "Use mine": writes a conflict's lost value again as a new local edit. Its clock is newer than
 * the value that won, so it wins everywhere once synced (the conflict was a race, not a rule).
 * False: the field already holds it here (restored before, or set so since), nothing queued.
 */
export async function restoreLostValue(
  client: Pick<SyncClient, 'updateTask' | 'updateProject'>,
  lost: { entity: string; entityId: string; field: string; mine: unknown },
): Promise<boolean> {
  const patch = { [lost.field]: lost.mine };
  if (lost.entity === 'task') return client.updateTask(lost.entityId, patch);
  if (lost.entity === 'project') return client.updateProject(lost.entityId, patch);
  throw new Error(`A ${lost.entity} cannot be edited here`);
}

/** Long enough to read a sentence; it offers nothing to act on. */
const SAID_MS = 5_000;

/**
 * "Use mine" as the user sees it, from the notice or the sync inspector alike: the value
 * restored, and a toast saying so (the inspector's row stays listed, so without it nothing on
 * screen would change); or — the field holds it already (a teammate set it back, or it was
 * typed again) — nothing written, and a toast saying so rather than a silent no-op. `said`
 * words it: the row's name (null: not known here) and the value as the notice shows it.
 */
export async function restoreOrSay(
  client: Pick<SyncClient, 'updateTask' | 'updateProject'>,
  lost: { entity: string; entityId: string; field: string; mine: unknown },
  said: { row: string | null; value: string },
): Promise<boolean> {
  const wrote = await restoreLostValue(client, lost);
  if (wrote) toasts.show({ message: restoredText(lost, said), durationMs: SAID_MS });
  else toasts.show({ message: alreadyThereText(lost, said), durationMs: SAID_MS });
  return wrote;
}

/** "Restored: the title of task “Launch v2” is back to “Launch”." */
export function restoredText(
  lost: { entity: string; field: string },
  said: { row: string | null; value: string },
): string {
  return `Restored: the ${fieldLabel(lost.field)} of ${rowWords(lost, said)} is back to ${said.value}.`;
}

/** "Nothing changed: the title of task “Launch” is already “Launch”." */
export function alreadyThereText(
  lost: { entity: string; field: string },
  said: { row: string | null; value: string },
): string {
  return `Nothing changed: the ${fieldLabel(lost.field)} of ${rowWords(lost, said)} is already ${said.value}.`;
}

/** "task “Launch”", or "this task" when its name is not known here. */
function rowWords(lost: { entity: string }, said: { row: string | null }): string {
  return said.row === null ? `this ${lost.entity}` : `${lost.entity} “${said.row}”`;
}

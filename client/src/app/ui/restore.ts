import type { SyncClient } from '@outpost/sync';

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

import type { EntityId, OrgId, RowEntity } from '@outpost/shared';
import { storedIdOf } from '../engine/stored-id.js';
import type { SyncEngine } from '../engine/types.js';

/**
 * The stored id a caller's id names (`storedIdOf`: lower case, unless a row of one of
 * `entities` is stored under the id as sent). Used for a path's id, a reference in a body and an
 * id filter, before anything reads them (the permission rules compare ids to the caller's).
 */
export async function storedId(
  engine: Pick<SyncEngine, 'get'>,
  orgId: OrgId,
  entities: readonly RowEntity[],
  id: EntityId,
): Promise<EntityId> {
  return storedIdOf(id, async (asSent) => {
    for (const entity of entities) if (await engine.get(orgId, entity, asSent)) return true;
    return false;
  });
}

/**
 * `fields` with each id of `refs` (field → the entity it names) resolved by `storedId`; null,
 * absent and non-string values (refused later by the schema) are left as they are.
 */
export async function storedRefs<T extends Record<string, unknown>>(
  engine: Pick<SyncEngine, 'get'>,
  orgId: OrgId,
  refs: Readonly<Record<string, RowEntity>>,
  fields: T,
): Promise<T> {
  let out = fields;
  for (const [field, entity] of Object.entries(refs)) {
    const id = fields[field];
    if (typeof id !== 'string') continue;
    const stored = await storedId(engine, orgId, [entity], id as EntityId);
    if (stored !== id) out = { ...out, [field]: stored };
  }
  return out;
}

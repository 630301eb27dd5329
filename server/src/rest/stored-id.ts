import type { EntityId, OrgId, RowEntity } from '@outpost/shared';
import type { SyncEngine } from '../engine/types.js';

/**
 * The stored id a caller's id names. A UUID is the same in either case (RFC 9562), and rows are
 * created in lower case only (a create refuses another case: the creating replica keys its row
 * by the id it sent), so `0193ABCD-…` is the row `0193abcd-…` — unless a row of one of
 * `entities` was stored in upper case before creates refused that: then the id as sent is that
 * row. Used for a path's id, a reference in a body and an id filter, before anything reads them
 * (the permission rules compare ids to the caller's).
 */
export async function storedId(
  engine: Pick<SyncEngine, 'get'>,
  orgId: OrgId,
  entities: readonly RowEntity[],
  id: EntityId,
): Promise<EntityId> {
  const lower = id.toLowerCase() as EntityId;
  if (lower === id) return id;
  for (const entity of entities) if (await engine.get(orgId, entity, id)) return id;
  return lower;
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

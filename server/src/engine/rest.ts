import {
  EMPTY_RECORD,
  INVITED_PREFIX,
  applyWrite,
  restStamp,
  unreachable,
  type HlcString,
  type HybridLogicalClock,
  type RowEntity,
} from '@outpost/shared';
import * as zm from 'zod/mini';
import { AppError, fieldIssues, validationError } from '../errors.js';
import type { StoredRow } from '../store/types.js';
import { deleteRow } from './delete.js';
import { checkEmailFree } from './member-rules.js';
import { unassignTasksOf } from './users.js';
import { FIELD_SCHEMAS, checkReferences, recordState, userCreateFieldsSchema } from './rows.js';
import type { IfMatch, RestOp } from './types.js';
import type { Attribution, TxWriter } from './writer.js';

function parseFields(
  schema: zm.ZodMiniType,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw validationError('fields', fieldIssues(parsed.error.issues));
  // An explicit `undefined` (an optional field the caller left out) is "not written", never a
  // write of undefined: it would carry a clock but vanish from the stored JSON.
  return Object.fromEntries(
    Object.entries(parsed.data as Record<string, unknown>).filter(([, v]) => v !== undefined),
  );
}

function schemaFor(entity: RowEntity, op: RestOp): zm.ZodMiniType {
  switch (op.kind) {
    case 'create':
      return entity === 'user' ? userCreateFieldsSchema : FIELD_SCHEMAS[entity];
    case 'update':
      return op.replace
        ? FIELD_SCHEMAS[entity]
        : zm.partial(FIELD_SCHEMAS[entity] as zm.ZodMiniObject).check(
            zm.refine((f) => Object.keys(f).length > 0, {
              message: 'an update must change at least one field',
            }),
          );
    case 'delete':
      return FIELD_SCHEMAS[entity];
    default:
      return unreachable(op);
  }
}

async function checkRestReferences(
  w: TxWriter,
  entity: RowEntity,
  fields: Readonly<Record<string, unknown>>,
  held?: Readonly<Record<string, unknown>>,
): Promise<void> {
  const bad = await checkReferences(w, entity, fields, held);
  if (bad) throw new AppError('VALIDATION', `Invalid reference: ${bad.message}`, [bad]);
}

/** The live row of `entity` with this id in the writer's org, or 404. */
async function target(w: TxWriter, entity: RowEntity, id: string): Promise<StoredRow> {
  const row = await w.getRow(id);
  if (!row || row.orgId !== w.orgId || row.entity !== entity || row.deleted !== null) {
    throw new AppError('NOT_FOUND', `No ${entity} ${id}`);
  }
  return row;
}

/**
 * Strong comparison (RFC 9110 §8.8.3.2): the row's ETag is `"<version>"`, never weak. No match
 * is 412 PRECONDITION_FAILED with `details: { ifMatch, current }`; writes and GET alike.
 */
export function checkIfMatch(row: { version: number }, ifMatch: IfMatch | undefined): void {
  if (ifMatch !== undefined && !ifMatch.strong.includes(String(row.version))) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `If-Match ${ifMatch.header} does not match the current ETag "${row.version}"`,
      { ifMatch: ifMatch.header, current: row.version },
    );
  }
}

/**
 * The server's next stamp, its node naming the REST writer (`api-<userId>`): a conflict this
 * write wins later names who made it, as a device's stamp names its client.
 */
function stampFor(clock: HybridLogicalClock, who: Attribution): HlcString {
  const hlc = clock.now();
  return who.actorId === null ? hlc : restStamp(hlc, who.actorId);
}

/**
 * A REST write, stamped with the server's clock (`stampFor`). The clock first folds in every
 * clock of the row, so a REST write made after a sync write sorts after it on this and any
 * other instance. Permission checks happen before (see engine.applyRest), so denials can be
 * audited apart.
 */
export async function applyRestOp(
  w: TxWriter,
  clock: HybridLogicalClock,
  who: Attribution,
  op: RestOp,
): Promise<Record<string, unknown>> {
  const { entity, entityId } = op;
  switch (op.kind) {
    case 'create': {
      const fields = parseFields(schemaFor(entity, op), op.fields);
      if (entity === 'user' && fields['externalId'] === undefined)
        fields['externalId'] = `${INVITED_PREFIX}${entityId}`;
      // A purged row's id stays taken too (ids are never reused).
      if ((await w.getRow(entityId)) || (await w.tx.purgedRow(entityId)))
        throw new AppError('CONFLICT', `The id ${entityId} is already in use`);
      if (entity === 'user') await checkEmailFree(w.tx, w.orgId, entityId, fields);
      await checkRestReferences(w, entity, fields);
      const result = applyWrite(EMPTY_RECORD, { fields, hlc: stampFor(clock, who) });
      return (await w.recordWrite(who, entity, entityId, null, result))!;
    }
    case 'update': {
      const row = await target(w, entity, entityId);
      checkIfMatch(row, op.ifMatch);
      const fields = parseFields(schemaFor(entity, op), op.fields);
      if (entity === 'user')
        await checkEmailFree(w.tx, w.orgId, entityId, fields, row.data['email']);
      await checkRestReferences(w, entity, fields, row.data);
      for (const c of Object.values(row.clocks)) clock.receive(c);
      // The server writes over what it has seen: base = the current clocks (not a conflict).
      const base: Record<string, HlcString | null> = {};
      for (const f of Object.keys(fields)) base[f] = row.clocks[f] ?? null;
      const result = applyWrite(recordState(row), { fields, hlc: stampFor(clock, who), base });
      const data = await w.recordWrite(who, entity, entityId, row, result);
      return data ?? { ...row.data };
    }
    case 'delete': {
      const row = await target(w, entity, entityId);
      checkIfMatch(row, op.ifMatch);
      for (const c of Object.values(row.clocks)) clock.receive(c);
      const data = await deleteRow(w, who, entity, row, stampFor(clock, who));
      if (entity === 'user' && data) await unassignTasksOf(w, clock, who, entityId);
      return data ?? { ...row.data };
    }
    default:
      return unreachable(op);
  }
}

import {
  EMPTY_RECORD,
  applyMutation,
  can,
  deniedMessage,
  hlcWallMs,
  isNewRowId,
  parseHlc,
  mutationEntity,
  mutationKind,
  NEW_ROW_ID_MESSAGE,
  projectInputRules,
  taskInputRules,
  unreachable,
  type HlcString,
  type Mutation,
  type PushRequest,
  type MutationResult,
  type RejectionCode,
  type Role,
  type WritableEntity,
} from '@outpost/shared';
import type * as zm from 'zod/mini';
import { validationError } from '../errors.js';
import type { StoredRow } from '../store/types.js';
import { deleteRow } from './delete.js';
import { checkReferences, recordState, storedReferences, storedRowId } from './rows.js';
import type { Attribution, TxWriter } from './writer.js';

class Rejection {
  constructor(
    readonly code: RejectionCode,
    readonly reason: string,
  ) {}
}

/**
 * How far ahead of the server's wall clock a mutation's stamp may be. A stamp further ahead
 * would win every later race and drag the server's clock with it, so it is refused (the user
 * is told to fix the device clock) rather than merged.
 */
export const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;

export function clockTooFarAhead(hlc: HlcString, nowMs: number): boolean {
  return hlcWallMs(hlc) - nowMs > MAX_CLOCK_AHEAD_MS;
}

export const STAMP_NODE_MESSAGE =
  "must end in this push's client id: a stamp names the client that wrote it";

/**
 * Refuses a push any of whose stamps names another writer than its own client id (400
 * VALIDATION at `/mutations/<i>/hlc`, before anything is written or the server's clock moves).
 * A conflict names the writer of a stored value from its stamp's node, so a stamp ending in
 * another device's id (another user's, or one's own other device) would have that device named
 * as the writer, and `api-<userId>` would name a person as a REST writer. A client stamps
 * every change with its own id (`new HybridLogicalClock(clientId)`), in every tab and after
 * every reload, so only a forged or broken client is refused.
 */
export function checkStampNodes(req: PushRequest): void {
  const issues = req.mutations.flatMap((m, i) =>
    parseHlc(m.hlc).node === req.clientId
      ? []
      : [{ path: `/mutations/${i}/hlc`, message: STAMP_NODE_MESSAGE }],
  );
  if (issues.length > 0) throw validationError('body', issues);
}

/**
 * Applies one client mutation inside the push transaction. Expected refusals (validation,
 * permission, unknown id) are results, not errors: they are recorded and consumed.
 */
export async function pushMutation(
  w: TxWriter,
  role: Role,
  who: Attribution,
  sent: Mutation,
  nowMs: number,
): Promise<MutationResult> {
  const m = await withStoredIds(w, sent);
  const outcome = clockTooFarAhead(m.hlc, nowMs)
    ? new Rejection(
        'validation',
        'The device clock is more than a day ahead of the server: correct the device time and redo the change',
      )
    : await apply(w, role, who, m);
  if (outcome instanceof Rejection) {
    await w.activity(who, {
      action: 'rejected',
      entity: mutationEntity(m),
      entityId: m.entityId,
      changes: [],
      reason: `${outcome.code}: ${outcome.reason}`,
    });
    return { id: m.id, status: 'rejected', code: outcome.code, reason: outcome.reason };
  }
  return { id: m.id, status: 'applied' };
}

/**
 * The input rules a push body's schema leaves out (the text rules, `shared/src/entities/text.ts`;
 * the due-date years, `common.ts`): a write queued before them is refused on its own, not with
 * the whole push. The body's schema has parsed the fields as rows hold them already, so only
 * the fields these rules add to are checked again, each on its own (not the whole fields object
 * a second time: 0.4–0.6× the time per create, docs/performance.md).
 */
const INPUT_RULES: Record<WritableEntity, Readonly<Record<string, zm.ZodMiniType>>> = {
  project: projectInputRules,
  task: taskInputRules,
};

/**
 * The mutation with the ids it names in another case (RFC 9562: a UUID is case-insensitive)
 * replaced by the stored ids, as a REST path's and body's are: an update or delete of
 * `0193ABCD-…` is one of the row `0193abcd-…`, and a reference is stored as the referenced row's
 * id. A create's own id is not: a create in upper case is refused (`isNewRowId`).
 */
async function withStoredIds(w: TxWriter, m: Mutation): Promise<Mutation> {
  const entity = mutationEntity(m);
  const entityId =
    mutationKind(m) === 'create' ? m.entityId : await storedRowId(w, entity, m.entityId);
  if (!('fields' in m)) return entityId === m.entityId ? m : { ...m, entityId };
  const fields = await storedReferences(w, entity, m.fields);
  if (entityId === m.entityId && fields === m.fields) return m;
  // Only ids changed (to ids of the same rows), so the fields still fit m's type.
  return { ...m, entityId, fields } as Mutation;
}

function inputProblem(entity: WritableEntity, fields: object): Rejection | null {
  const rules = INPUT_RULES[entity];
  const problems: string[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const rule = Object.hasOwn(rules, field) ? rules[field] : undefined;
    const parsed = rule?.safeParse(value);
    if (parsed && !parsed.success)
      for (const i of parsed.error.issues)
        problems.push(`${[field, ...i.path].join('.')}: ${i.message}`);
  }
  return problems.length === 0 ? null : new Rejection('validation', problems.join('; '));
}

async function apply(
  w: TxWriter,
  role: Role,
  who: Attribution,
  m: Mutation,
): Promise<Rejection | null> {
  const entity = mutationEntity(m);
  const kind = mutationKind(m);
  if (!can(role, kind, entity))
    return new Rejection('forbidden', deniedMessage(role, kind, entity));

  if (kind === 'create' && !isNewRowId(m.entityId))
    return new Rejection('validation', `entityId ${m.entityId} ${NEW_ROW_ID_MESSAGE}`);
  const found = await w.getRow(m.entityId);
  const mine = found !== null && found.orgId === w.orgId && found.entity === entity;
  if (found && !mine) {
    // Never reveal another org's rows: a foreign id is simply not usable here.
    return kind === 'create'
      ? new Rejection('validation', `id ${m.entityId} is already in use`)
      : new Rejection('not_found', `no ${entity} ${m.entityId}`);
  }
  const prev: StoredRow | null = mine ? found : null;
  // Ids are never reused: a purged row must not come back as a new one (before its purge,
  // the create would have merged into the tombstone and stayed deleted).
  const purged = !found && kind === 'create' ? await w.tx.purgedRow(m.entityId) : null;
  if (purged)
    return new Rejection(
      'validation',
      purged.orgId === w.orgId && purged.entity === entity
        ? `id ${m.entityId} belonged to a deleted ${entity} whose tombstone was purged: create a new one`
        : `id ${m.entityId} is already in use`,
    );

  switch (m.type) {
    case 'project.create':
    case 'task.create':
    case 'project.update':
    case 'task.update': {
      if (kind === 'update' && !prev)
        return new Rejection('not_found', `no ${entity} ${m.entityId}`);
      const refused = inputProblem(entity, m.fields);
      if (refused) return refused;
      // A tombstoned row keeps the check: an edit reaching it is refused as before.
      const held = prev !== null && prev.deleted === null ? prev.data : undefined;
      const bad = await checkReferences(w, entity, m.fields, held);
      if (bad) return new Rejection('validation', bad.message);
      const result = applyMutation(prev ? recordState(prev) : EMPTY_RECORD, m);
      await w.recordWrite(who, entity, m.entityId, prev, result);
      return null;
    }
    case 'project.delete':
    case 'task.delete': {
      if (!prev) return new Rejection('not_found', `no ${entity} ${m.entityId}`);
      await deleteRow(w, who, entity, prev, m.hlc);
      return null;
    }
    default:
      return unreachable(m);
  }
}

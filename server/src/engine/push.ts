import {
  EMPTY_RECORD,
  applyMutation,
  can,
  deniedMessage,
  hlcWallMs,
  mutationEntity,
  mutationKind,
  projectFieldsSchema,
  taskFieldsSchema,
  unreachable,
  type HlcString,
  type Mutation,
  type MutationResult,
  type RejectionCode,
  type Role,
  type MutationType,
} from '@outpost/shared';
import * as zm from 'zod/mini';
import type { StoredRow } from '../store/types.js';
import { deleteRow } from './delete.js';
import { checkReferences, recordState } from './rows.js';
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

/**
 * Applies one client mutation inside the push transaction. Expected refusals (validation,
 * permission, unknown id) are results, not errors: they are recorded and consumed.
 */
export async function pushMutation(
  w: TxWriter,
  role: Role,
  who: Attribution,
  m: Mutation,
  nowMs: number,
): Promise<MutationResult> {
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
 * the whole push.
 */
const INPUT_RULES: Record<WriteType, zm.ZodMiniType> = {
  'project.create': projectFieldsSchema,
  'project.update': zm.partial(projectFieldsSchema),
  'task.create': taskFieldsSchema,
  'task.update': zm.partial(taskFieldsSchema),
};
type WriteType = Exclude<MutationType, `${string}.delete`>;

function inputProblem(type: WriteType, fields: object): Rejection | null {
  const parsed = INPUT_RULES[type].safeParse(fields);
  if (parsed.success) return null;
  return new Rejection(
    'validation',
    parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
  );
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
      const refused = inputProblem(m.type, m.fields);
      if (refused) return refused;
      const bad = await checkReferences(w, entity, m.fields);
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

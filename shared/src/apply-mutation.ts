import { unreachable } from './asserts.js';
import type { HlcString } from './hlc.js';
import { applyDelete, applyWrite, type RecordState, type WriteResult } from './merge.js';
import type { WritableEntity } from './entities/common.js';
import type { Mutation } from './protocol/mutation.js';

// No schema here (type imports only): the sync engine runs this, and a bundler without the
// client build's settings keeps every schema of a module it includes, and zod with them.

/**
 * One client mutation applied to one record's state under the merge rules: what the server does
 * when it accepts the mutation, and what a replica does to show it before the server has.
 */
export function applyMutation(state: RecordState, m: Mutation): WriteResult {
  switch (m.type) {
    case 'project.create':
    case 'task.create':
      return applyWrite(state, { fields: m.fields, hlc: m.hlc });
    case 'project.update':
    case 'task.update':
      return applyWrite(state, { fields: m.fields, hlc: m.hlc, base: m.base });
    case 'project.delete':
    case 'task.delete':
      return applyDelete(state, m.hlc);
    default:
      return unreachable(m);
  }
}

/**
 * A mutation as the record state it writes: each written field at the mutation's clock, or a
 * tombstone. `mergeRecords(state, mutationState(m))` is `applyMutation(state, m).state`: what
 * a replica needs to show pending writes, without the conflict report the server records.
 */
export function mutationState(m: Mutation): RecordState {
  if (!('fields' in m)) return { fields: {}, clocks: {}, deleted: m.hlc };
  const clocks: Record<string, HlcString> = {};
  for (const f of Object.keys(m.fields)) clocks[f] = m.hlc;
  return { fields: m.fields, clocks, deleted: null };
}

export function mutationEntity(m: Mutation): WritableEntity {
  return m.type.startsWith('project.') ? 'project' : 'task';
}

export function mutationKind(m: Mutation): 'create' | 'update' | 'delete' {
  return m.type.endsWith('.create') ? 'create' : m.type.endsWith('.update') ? 'update' : 'delete';
}

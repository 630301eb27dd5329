import {
  DELETE_WON_REASON,
  projectFieldsSchema,
  stableStringify,
  taskFieldsSchema,
  userFieldsSchema,
  type FieldChange,
  type FieldConflict,
  type FieldIssue,
  type OrgId,
  type RecordState,
  type RowEntity,
} from '@outpost/shared';
import { z } from 'zod/mini';
import { jsonPointer } from '../errors.js';
import type { StoredRow } from '../store/types.js';
import { storedIdOf } from './stored-id.js';

/** Writable fields of a user row through REST (externalId is set once, at creation). */
export const userCreateFieldsSchema = z.extend(userFieldsSchema, {
  externalId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

/** The zod schema of each entity's writable fields. */
export const FIELD_SCHEMAS = {
  project: projectFieldsSchema,
  task: taskFieldsSchema,
  user: userFieldsSchema,
} as const;

/** Row fields a list may filter on. */
export const FILTERABLE: Readonly<Record<RowEntity, readonly string[]>> = {
  project: ['name', 'description', 'status', 'ownerId'],
  task: ['projectId', 'title', 'notes', 'status', 'assigneeId', 'dueDate'],
  user: ['email', 'name', 'role', 'externalId'],
};

/** The merge view of a stored row: its clocked fields, clocks and tombstone. */
export function recordState(row: StoredRow): RecordState {
  const fields: Record<string, unknown> = {};
  for (const field of Object.keys(row.clocks)) fields[field] = row.data[field];
  return { fields, clocks: row.clocks, deleted: row.deleted };
}

export function sameState(a: RecordState, b: RecordState): boolean {
  return stableStringify(a) === stableStringify(b);
}

/** The client-visible row: meta first, then the merged fields. `version` is set by the store. */
export function rowData(
  id: string,
  orgId: string,
  prev: StoredRow | null,
  state: RecordState,
  nowIso: string,
): Record<string, unknown> {
  const createdAt = typeof prev?.data['createdAt'] === 'string' ? prev.data['createdAt'] : nowIso;
  return { id, orgId, createdAt, updatedAt: nowIso, version: prev?.version ?? 0, ...state.fields };
}

/** `changes` of a create/update activity: from → to of every field whose value changed. */
export function fieldChanges(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  changed: readonly string[],
): FieldChange[] {
  return changed
    .filter((f) => f !== 'deleted')
    .map((field) => {
      const c: FieldChange = { field };
      if (before[field] !== undefined) c.from = before[field];
      if (after[field] !== undefined) c.to = after[field];
      return c;
    });
}

/** `changes` of a conflict activity: each losing value with both clocks. */
export function conflictChanges(conflicts: readonly FieldConflict[]): FieldChange[] {
  return conflicts.map((c) => {
    const change: FieldChange = { field: c.field, lostHlc: c.lostHlc };
    if (c.lost !== undefined) change.lost = c.lost;
    if (c.won !== undefined && c.won !== null) change.to = c.won;
    if (c.wonHlc !== null) change.wonHlc = c.wonHlc;
    return change;
  });
}

export function conflictReason(conflicts: readonly FieldConflict[]): string {
  return conflicts.some((c) => c.kind === 'deleted')
    ? DELETE_WON_REASON
    : 'A concurrent edit of the same field won (last writer wins)';
}

/** Where `checkReferences` looks rows up: the transaction, so rows written earlier in it count. */
export interface RowLookup {
  readonly orgId: OrgId;
  getRow(id: string): Promise<StoredRow | null>;
}

/** The row each reference field of an entity must point at. */
const REFERENCES: Readonly<Record<RowEntity, readonly [field: string, target: RowEntity][]>> = {
  task: [
    ['projectId', 'project'],
    ['assigneeId', 'user'],
  ],
  project: [['ownerId', 'user']],
  user: [],
};

/** Whether the writer's org holds a row of `entity` stored under exactly `id`. */
async function holds(rows: RowLookup, entity: RowEntity, id: string): Promise<boolean> {
  const row = await rows.getRow(id);
  return row !== null && row.orgId === rows.orgId && row.entity === entity;
}

/** The stored id `id` names among the writer's rows of `entity` (`storedIdOf`). */
export function storedRowId<Id extends string>(
  rows: RowLookup,
  entity: RowEntity,
  id: Id,
): Promise<Id> {
  return storedIdOf(id, (asSent) => holds(rows, entity, asSent));
}

/**
 * `fields` with each reference (`projectId`, `assigneeId`, `ownerId`) given in another case
 * replaced by the stored id it names, so the row holds the id the referenced row has; the same
 * object when none changed.
 */
export async function storedReferences<T extends Readonly<Record<string, unknown>>>(
  rows: RowLookup,
  entity: RowEntity,
  fields: T,
): Promise<T> {
  let out = fields;
  for (const [field, target] of REFERENCES[entity]) {
    const value = fields[field];
    if (typeof value !== 'string') continue;
    const stored = await storedRowId(rows, target, value);
    if (stored !== value) out = { ...out, [field]: stored };
  }
  return out;
}

/**
 * Checks that ids a row points at exist, are live and belong to the writer's org (a project
 * created earlier in the same push counts). Returns the first bad reference, or null.
 * A reference the written row already holds (`held`: its stored fields) is not checked again:
 * removing a user leaves the rows that name them as they are, and a write that keeps such a
 * reference (a REST `PUT` of the row as it was read) must not be refused for it.
 */
export async function checkReferences(
  rows: RowLookup,
  entity: RowEntity,
  fields: Readonly<Record<string, unknown>>,
  held?: Readonly<Record<string, unknown>>,
): Promise<FieldIssue | null> {
  for (const [field, target] of REFERENCES[entity]) {
    const value = fields[field];
    if (value === undefined || value === null) continue;
    if (held !== undefined && held[field] === value) continue;
    const row = await rows.getRow(String(value));
    if (!row || row.orgId !== rows.orgId || row.entity !== target)
      return {
        path: jsonPointer([field]),
        message: `${field}: no ${target} ${String(value)} in this org`,
      };
    if (row.deleted !== null)
      return {
        path: jsonPointer([field]),
        message: `${field}: ${target} ${String(value)} is deleted`,
      };
  }
  return null;
}

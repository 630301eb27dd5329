import {
  mergeRecords,
  mutationState,
  EMPTY_RECORD,
  hlcWallMs,
  type HlcString,
  type Mutation,
  type OrgId,
  type Project,
  type RecordState,
  type Task,
} from '@outpost/shared';
import { check } from './check';
import type { BaseRow, Clocked, WritableKind } from './db';

/** Pure core of the mirror: server state + pending mutations → the row the UI shows. */

const WRITABLE_FIELDS: Record<WritableKind, readonly string[]> = check.keys;

export function baseState(base: BaseRow | undefined): RecordState {
  if (!base) return EMPTY_RECORD;
  const fields: Record<string, unknown> = {};
  const row = base.row as unknown as Record<string, unknown>;
  for (const f of WRITABLE_FIELDS[base.entity]) fields[f] = row[f];
  return { fields, clocks: base.clocks, deleted: base.deleted };
}

export function rebaseState(base: BaseRow | undefined, pending: readonly Mutation[]): RecordState {
  return pending.reduce((state, m) => mergeRecords(state, mutationState(m)), baseState(base));
}

function hlcIso(hlc: string): string {
  return new Date(hlcWallMs(hlc as HlcString)).toISOString();
}

/**
 * The visible row, or null when it is deleted or not yet complete (an update whose create
 * the replica never saw).
 */
export function materialize(
  kind: WritableKind,
  id: string,
  orgId: OrgId,
  base: BaseRow | undefined,
  pending: readonly Mutation[],
): Clocked<Project | Task> | null {
  const state = rebaseState(base, pending);
  if (state.deleted !== null) return null;
  for (const f of WRITABLE_FIELDS[kind]) if (!(f in state.fields)) return null;
  const last = pending.at(-1);
  // Without a base, the fields came from pending mutations: there is a first and a last.
  // With one, the server row (it holds exactly the row's keys), its fields rebased below.
  const meta = base
    ? {
        ...base.row,
        updatedAt: last ? maxIso(base.row.updatedAt, hlcIso(last.hlc)) : base.row.updatedAt,
      }
    : {
        id,
        orgId,
        createdAt: hlcIso(pending[0]!.hlc),
        updatedAt: hlcIso(last!.hlc),
        version: 0,
      };
  return { ...meta, ...state.fields, $c: packClocks(state.clocks) } as Clocked<Project | Task>;
}

/**
 * Field clocks as stored on mirror rows: the most common clock under `*`, the others by
 * field. A row written by one create carries one clock instead of one per field — the
 * stored row stays close to the plain row's size, which is what IndexedDB time follows.
 */
export function packClocks(clocks: Readonly<Record<string, HlcString>>): Record<string, HlcString> {
  const counts = new Map<HlcString, number>();
  for (const c of Object.values(clocks)) counts.set(c, (counts.get(c) ?? 0) + 1);
  let common: HlcString | null = null;
  for (const [c, n] of counts) if (common === null || n > counts.get(common)!) common = c;
  if (common === null) return {};
  const packed: Record<string, HlcString> = { '*': common };
  for (const [field, c] of Object.entries(clocks)) if (c !== common) packed[field] = c;
  return packed;
}

export function unpackClocks(
  kind: WritableKind,
  packed: Readonly<Record<string, HlcString>>,
): Record<string, HlcString> {
  const common = packed['*'];
  const clocks: Record<string, HlcString> = {};
  for (const f of WRITABLE_FIELDS[kind]) {
    const c = packed[f] ?? common;
    if (c !== undefined) clocks[f] = c;
  }
  return clocks;
}

/** A mirror row without pending writes is the server row: as a base entry (for a first local write). */
export function baseFromMirror(kind: WritableKind, row: Clocked<Project | Task>): BaseRow {
  const { $c, ...plain } = row;
  return {
    entity: kind,
    id: row.id,
    row: plain as Project | Task,
    clocks: unpackClocks(kind, $c),
    deleted: null,
    seq: row.version,
  };
}

/** The server row as the mirror stores it (clocks alongside). */
export function clocked<T extends Project | Task>(
  row: T,
  clocks: Readonly<Record<string, HlcString>>,
): Clocked<T> {
  return { ...row, $c: packClocks(clocks) };
}

/** Drops the internal `$c` before a row reaches the UI (or a strict schema). */
export function unclocked<T extends object>(row: T): Omit<T, '$c'> {
  if (!('$c' in row)) return row;
  const { $c: _clocks, ...plain } = row as T & { $c: unknown };
  return plain;
}

function maxIso(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

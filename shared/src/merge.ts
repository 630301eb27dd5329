import { compareHlc, laterHlc, type HlcString } from './hlc.js';

/**
 * Merge rules shared by the server and every client replica.
 *
 * A record's state is a map of fields, each with the HLC of the write that set it, plus an
 * optional tombstone clock. States form a join-semilattice: `mergeRecords` is commutative,
 * associative and idempotent, so replicas that have seen the same writes hold the same
 * state whatever order the writes arrived in.
 *
 * - Per field, the write with the greater HLC wins. HLC strings end in the writer's client
 *   id, so equal times are broken by client id; identical clocks mean the same write (a
 *   replay), which changes nothing.
 * - Delete wins: once a record has a tombstone it stays deleted, whatever the clocks of
 *   edits made before or after. An edit that meets a tombstone is reported as lost, never
 *   resurrects the record. (One rule, independent of clock skew between devices.)
 * - Every write that loses is reported (`FieldConflict`) so the server can record it as a
 *   `conflict` Activity: nothing is lost silently.
 */
export interface RecordState {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly clocks: Readonly<Record<string, HlcString>>;
  readonly deleted: HlcString | null;
}

export interface FieldConflict {
  readonly field: string;
  /** `lww`: a concurrent write to the same field won. `deleted`: the record is deleted. */
  readonly kind: 'lww' | 'deleted';
  readonly lost: unknown;
  readonly lostHlc: HlcString;
  readonly won: unknown;
  readonly wonHlc: HlcString | null;
}

export interface WriteResult {
  readonly state: RecordState;
  /** Fields whose visible value changed. */
  readonly changed: readonly string[];
  readonly conflicts: readonly FieldConflict[];
}

export interface FieldWrite {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly hlc: HlcString;
  /**
   * The clock each written field had in the writer's replica when it wrote. A winning write
   * whose base is older than the stored clock overwrote a value it never saw: that value is
   * reported as a conflict loser.
   */
  readonly base?: Readonly<Record<string, HlcString | null>> | undefined;
}

export const EMPTY_RECORD: RecordState = Object.freeze({ fields: {}, clocks: {}, deleted: null });

export function isDeleted(state: RecordState): boolean {
  return state.deleted !== null;
}

/** Deterministic order of two values written at the same clock (only reachable by forgery). */
function valueOrder(a: unknown, b: unknown): number {
  const sa = stableStringify(a);
  const sb = stableStringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

export function stableStringify(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys
    .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

/** The join of two replicas' states of one record. */
export function mergeRecords(a: RecordState, b: RecordState): RecordState {
  const fields: Record<string, unknown> = { ...a.fields };
  const clocks: Record<string, HlcString> = { ...a.clocks };
  for (const [field, bClock] of Object.entries(b.clocks)) {
    const aClock = clocks[field];
    const c = aClock === undefined ? 1 : compareHlc(bClock, aClock);
    if (c > 0 || (c === 0 && valueOrder(b.fields[field], fields[field]) > 0)) {
      fields[field] = b.fields[field];
      clocks[field] = bClock;
    }
  }
  return { fields, clocks, deleted: laterHlc(a.deleted, b.deleted) };
}

/** Applies one write (a create or an update) and reports what changed and what lost. */
export function applyWrite(state: RecordState, write: FieldWrite): WriteResult {
  const fields: Record<string, unknown> = { ...state.fields };
  const clocks: Record<string, HlcString> = { ...state.clocks };
  const changed: string[] = [];
  const conflicts: FieldConflict[] = [];
  for (const [field, value] of Object.entries(write.fields)) {
    const existing = clocks[field];
    const c = existing === undefined ? 1 : compareHlc(write.hlc, existing);
    const wins = c > 0 || (c === 0 && valueOrder(value, fields[field]) > 0);
    if (state.deleted !== null) {
      conflicts.push({
        field,
        kind: 'deleted',
        lost: value,
        lostHlc: write.hlc,
        won: null,
        wonHlc: state.deleted,
      });
    } else if (wins) {
      if (!sameValue(fields[field], value)) changed.push(field);
      const base = write.base?.[field];
      const unseen =
        existing !== undefined &&
        write.base !== undefined &&
        (base === null || base === undefined || compareHlc(base, existing) < 0);
      if (unseen && !sameValue(fields[field], value)) {
        conflicts.push({
          field,
          kind: 'lww',
          lost: fields[field],
          lostHlc: existing,
          won: value,
          wonHlc: write.hlc,
        });
      }
    } else if (c < 0 && !sameValue(fields[field], value)) {
      conflicts.push({
        field,
        kind: 'lww',
        lost: value,
        lostHlc: write.hlc,
        won: fields[field],
        wonHlc: existing ?? null,
      });
    }
    if (wins) {
      fields[field] = value;
      clocks[field] = write.hlc;
    }
  }
  return { state: { fields, clocks, deleted: state.deleted }, changed, conflicts };
}

/** Applies a delete: the tombstone clock is the greatest delete seen. */
export function applyDelete(state: RecordState, hlc: HlcString): WriteResult {
  const conflicts: FieldConflict[] = [];
  if (state.deleted === null) {
    // Edits stamped after the delete were made without seeing it; delete wins, so they lose.
    for (const [field, clock] of Object.entries(state.clocks)) {
      if (compareHlc(clock, hlc) > 0) {
        conflicts.push({
          field,
          kind: 'deleted',
          lost: state.fields[field],
          lostHlc: clock,
          won: null,
          wonHlc: hlc,
        });
      }
    }
  }
  const deleted = laterHlc(state.deleted, hlc);
  return {
    state: { fields: state.fields, clocks: state.clocks, deleted },
    changed: state.deleted === null ? ['deleted'] : [],
    conflicts,
  };
}

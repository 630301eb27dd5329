import {
  type ActivityAction,
  type ClientId,
  type EntityKind,
  type EntityId,
  type FieldChange,
  type OrgId,
  type RecordState,
  type SyncedEntity,
  type WriteResult,
} from '@outpost/shared';
import type { StoreTx, StoredRow } from '../store/types.js';
import { serverEntityId } from './ids.js';
import { rowData, sameState } from './rows.js';

/** Who an activity is attributed to. */
export interface Attribution {
  actorId: EntityId | null;
  requestId: string | null;
  clientId: ClientId | null;
  mutationId: number | null;
}

export interface ActivityInput {
  action: ActivityAction;
  entity: EntityKind;
  entityId: string | null;
  changes: FieldChange[];
  reason: string | null;
}

/**
 * Writes inside one store transaction: every row write goes through `writeState` (so it
 * lands in the change log) and every audit entry through `activity` (itself a row in the
 * log, so the feed syncs to clients).
 */
export class TxWriter {
  /** How many changes this transaction appended (0 → nothing to announce). */
  writes = 0;

  constructor(
    readonly tx: StoreTx,
    readonly orgId: OrgId,
    readonly nowIso: string,
  ) {}

  /** Rows read or written in this transaction (a push reads the same project per task). */
  readonly #rows = new Map<string, StoredRow | null>();

  /** A row as of this transaction, including its own writes. */
  async getRow(id: string): Promise<StoredRow | null> {
    if (this.#rows.has(id)) return this.#rows.get(id)!;
    const row = await this.tx.getRow(id);
    this.#rows.set(id, row);
    return row;
  }

  /** Persists `next` if it differs from `prev`; returns the written row data or null. */
  async writeState(
    entity: SyncedEntity,
    id: string,
    prev: StoredRow | null,
    next: RecordState,
  ): Promise<Record<string, unknown> | null> {
    if (
      prev &&
      sameState({ fields: pickClocked(prev), clocks: prev.clocks, deleted: prev.deleted }, next)
    )
      return null;
    const data = rowData(id, this.orgId, prev, next, this.nowIso);
    const seq = await this.tx.writeRow({
      entity,
      id,
      orgId: this.orgId,
      data,
      clocks: next.clocks,
      deleted: next.deleted,
    });
    this.writes++;
    const written = { ...data, version: seq };
    this.#rows.set(id, {
      entity,
      id,
      orgId: this.orgId,
      data: written,
      clocks: next.clocks,
      deleted: next.deleted,
      version: seq,
    });
    return written;
  }

  async applyResult(
    entity: SyncedEntity,
    id: string,
    prev: StoredRow | null,
    result: WriteResult,
  ): Promise<Record<string, unknown> | null> {
    return this.writeState(entity, id, prev, result.state);
  }

  async activity(who: Attribution, a: ActivityInput): Promise<void> {
    const id = serverEntityId();
    const data: Record<string, unknown> = {
      id,
      orgId: this.orgId,
      createdAt: this.nowIso,
      updatedAt: this.nowIso,
      version: 0,
      actorId: who.actorId,
      action: a.action,
      entity: a.entity,
      entityId: a.entityId,
      changes: a.changes,
      reason: a.reason,
      requestId: who.requestId,
      clientId: who.clientId,
      mutationId: who.mutationId,
    };
    // Activities are immutable: they live in the change log only (clients get them by pull).
    await this.tx.appendToLog({
      entity: 'activity',
      id,
      orgId: this.orgId,
      data,
      clocks: {},
      deleted: null,
    });
    this.writes++;
  }
}

function pickClocked(row: StoredRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of Object.keys(row.clocks)) out[f] = row.data[f];
  return out;
}

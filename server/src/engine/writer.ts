import {
  EMPTY_RECORD,
  parseHlc,
  restWriterOf,
  type ActivityAction,
  type FieldConflict,
  type HlcString,
  type Writer,
  type ClientId,
  type EntityKind,
  type EntityId,
  type FieldChange,
  type OrgId,
  type RecordState,
  type RowEntity,
  type WriteResult,
} from '@outpost/shared';
import type { StoreTx, StoredChange, StoredRow } from '../store/types.js';
import { serverEntityId } from './ids.js';
import {
  conflictChanges,
  conflictReason,
  fieldChanges,
  recordState,
  rowData,
  sameState,
} from './rows.js';

/**
 * A delete keeps what the row was called (task title; project, user or resource name) as
 * `{ field, from }`, so the feed can still name it once the row is gone.
 */
function deletedName(fields: Record<string, unknown>): FieldChange[] {
  for (const field of ['title', 'name'])
    if (typeof fields[field] === 'string') return [{ field, from: fields[field] }];
  return [];
}

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
 * Writes inside one store transaction: every row write goes through `recordWrite` (so it
 * lands in the change log with its audit) and every audit entry through `activity` (the
 * activity stream, which shares the log's seq space).
 */
export class TxWriter {
  /** How many changes this transaction appended (0 → nothing to announce). */
  writes = 0;

  /**
   * The log entries this transaction appended, one per row (its last write, as the compacted
   * log keeps it) in seq order — what a pull would return for them, so a poke can carry them.
   * Not kept past `carryMax` entries (`overflowed`).
   */
  readonly #appended = new Map<string, StoredChange>();
  #overflowed = false;

  constructor(
    readonly tx: StoreTx,
    readonly orgId: OrgId,
    readonly nowIso: string,
    private readonly carryMax = 0,
  ) {}

  /** The appended entries in seq order, or null when there were more than `carryMax`. */
  appended(): StoredChange[] | null {
    if (this.#overflowed) return null;
    return [...this.#appended.values()].sort((a, b) => a.seq - b.seq);
  }

  #append(change: StoredChange): void {
    if (this.#overflowed) return;
    this.#appended.delete(change.entityId);
    this.#appended.set(change.entityId, change);
    if (this.#appended.size > this.carryMax) {
      this.#overflowed = true;
      this.#appended.clear();
    }
  }

  /** Rows read or written in this transaction (a push reads the same project per task). */
  readonly #rows = new Map<string, StoredRow | null>();

  /** A row as of this transaction, including its own writes. */
  async getRow(id: string): Promise<StoredRow | null> {
    if (this.#rows.has(id)) return this.#rows.get(id)!;
    const row = await this.tx.getRow(id);
    this.#rows.set(id, row);
    return row;
  }

  /**
   * Persists a merge result and audits it: a create, update or delete activity when a visible
   * value changed, and a conflict activity when a write lost. Every row write of the engine
   * (sync push, REST, deletes and their cascade, user sign-in) goes through here, so none is
   * left out of the log. `reason` goes on the create/update/delete activity. Returns the
   * written row, or null when the stored state did not change.
   */
  async recordWrite(
    who: Attribution,
    entity: RowEntity,
    id: string,
    prev: StoredRow | null,
    result: WriteResult,
    reason: string | null = null,
  ): Promise<Record<string, unknown> | null> {
    const before = prev ? recordState(prev) : EMPTY_RECORD;
    const written = await this.#writeState(entity, id, prev, result.state);
    if (result.changed.length > 0) {
      const deleted = before.deleted === null && result.state.deleted !== null;
      // A removed member added back (`reviveMember`): recorded as their row's creation again.
      const revived = before.deleted !== null && result.state.deleted === null;
      await this.activity(who, {
        action: deleted ? 'delete' : prev && !revived ? 'update' : 'create',
        entity,
        entityId: id,
        changes: deleted
          ? deletedName(before.fields)
          : fieldChanges(revived ? {} : before.fields, result.state.fields, result.changed),
        reason,
      });
    }
    if (result.conflicts.length > 0) {
      await this.activity(who, {
        action: 'conflict',
        entity,
        entityId: id,
        changes: await this.#namedConflicts(who, before, result.conflicts),
        reason: conflictReason(result.conflicts),
      });
    }
    return written;
  }

  /**
   * The conflict changes with both sides named. A side whose clock is the stored one (the
   * field's clock or the tombstone before this write) was written earlier: its HLC ends in
   * the writing client's id, which the clients table maps to a user. The other side is this
   * write, by `who`.
   */
  async #namedConflicts(
    who: Attribution,
    before: RecordState,
    conflicts: readonly FieldConflict[],
  ): Promise<FieldChange[]> {
    const changes = conflictChanges(conflicts);
    const current: Writer = { userId: who.actorId, clientId: who.clientId };
    for (const [i, c] of conflicts.entries()) {
      const stored = (hlc: HlcString | null) =>
        hlc !== null && (before.clocks[c.field] === hlc || before.deleted === hlc);
      changes[i]!.loser = stored(c.lostHlc) ? await this.#writerOf(c.lostHlc) : current;
      changes[i]!.winner = stored(c.wonHlc) ? await this.#writerOf(c.wonHlc!) : current;
    }
    return changes;
  }

  /**
   * Who wrote at `hlc`: the client id its node names, and that client's user; for a REST
   * write (`api-<userId>`) the user its node names, on no device.
   */
  async #writerOf(hlc: HlcString): Promise<Writer> {
    const node = parseHlc(hlc).node;
    if (!this.#writers.has(node)) {
      const viaRest = restWriterOf(node);
      if (viaRest !== null) {
        this.#writers.set(node, { userId: viaRest, clientId: null });
        return this.#writers.get(node)!;
      }
      const client = await this.tx.getClient(node as ClientId);
      this.#writers.set(
        node,
        client && client.orgId === this.orgId
          ? { userId: client.userId, clientId: client.clientId }
          : // A server stamp (a system write, or a REST write stamped before REST writers were
            // named): the writer is unknown.
            { userId: null, clientId: null },
      );
    }
    return this.#writers.get(node)!;
  }

  readonly #writers = new Map<string, Writer>();

  /** Persists `next` if it differs from `prev`; returns the written row data or null. */
  async #writeState(
    entity: RowEntity,
    id: string,
    prev: StoredRow | null,
    next: RecordState,
  ): Promise<Record<string, unknown> | null> {
    if (prev && sameState(recordState(prev), next)) return null;
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
    this.#append({
      seq,
      entity,
      entityId: id,
      row: written,
      clocks: next.clocks,
      deleted: next.deleted,
    });
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
    // Activities are immutable: they live in their own stream (clients get a recent window
    // by pull, older entries through GET /activities).
    const seq = await this.tx.appendActivity({
      entity: 'activity',
      id,
      orgId: this.orgId,
      data,
      clocks: {},
      deleted: null,
    });
    this.writes++;
    this.#append({
      seq,
      entity: 'activity',
      entityId: id,
      row: { ...data, version: seq },
      clocks: {},
      deleted: null,
    });
  }
}

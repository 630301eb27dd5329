import Dexie, { type EntityTable, type Table } from 'dexie';
import type { Activity, HlcString, Mutation, Project, Task, User } from '@outpost/shared';

/** Entities a client writes through mutations; their server state is kept in `base`. */
export type WritableKind = 'project' | 'task';

/**
 * The server's state of one writable row, exactly as last pulled, kept ONLY while the row has
 * pending outbox mutations (the mirror then shows `base + pending`, and rebase recomputes it
 * exactly). A row without pending mutations has no base entry: its mirror row IS the server
 * row, with the field clocks in `$c` — so a large initial sync writes each row once.
 */
export interface BaseRow {
  entity: WritableKind;
  id: string;
  row: Project | Task;
  clocks: Record<string, HlcString>;
  deleted: HlcString | null;
  seq: number;
}

/** Field clocks of the visible state, stored on every mirror row (never shown to the UI). */
export type Clocked<T> = T & { $c: Record<string, HlcString> };

export interface OutboxEntry {
  /** The per-client mutation id (1, 2, 3 …); also the primary key, so the table is in order. */
  mutationId: number;
  clientId: string;
  entityId: string;
  mutation: Mutation;
  createdAt: string;
  attempts: number;
  lastError: string | null;
  /**
   * 0 until a push answer acknowledged the mutation as applied/duplicate, then 1. An acked
   * entry stays (rebase keeps re-applying it, which is idempotent) until a pull covers its id,
   * so the mirror never flickers back to the old value between push and pull. Indexed, so
   * unsent entries are found without a scan. (Rows written before 2026-11-30 also carry an
   * unused `ackedCursor`.)
   */
  acked: 0 | 1;
}

export interface MetaEntry {
  key: string;
  value: unknown;
  /**
   * On `lastMutationId` only: the last HLC stamp a local write issued, kept in the same row so
   * a write stores one counter row, not two (`local-writes.ts`). Rows written before
   * 2026-12-01 have none; older code reads `value` only.
   */
  hlc?: HlcString;
}

/**
 * One IndexedDB database per signed-in user (`outpost-<userId>`).
 *
 * Schema history (never edit a shipped version; add a new one with an upgrade):
 *   1 — mirror (users, projects, tasks with `$c` clocks, activities), base (rows with pending
 *       writes only), outbox, meta (2026-11).
 *   2 — activities indexed by `version` (their log seq): the window's floor trims by range,
 *       not by reading every stored activity on each page (2026-12).
 */
export const DB_SCHEMA_VERSION = 2;

export class OutpostDb extends Dexie {
  users!: EntityTable<User, 'id'>;
  projects!: EntityTable<Clocked<Project>, 'id'>;
  tasks!: EntityTable<Clocked<Task>, 'id'>;
  activities!: EntityTable<Activity, 'id'>;
  base!: Table<BaseRow, [WritableKind, string]>;
  outbox!: EntityTable<OutboxEntry, 'mutationId'>;
  meta!: EntityTable<MetaEntry, 'key'>;

  constructor(name: string, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      users: 'id, role',
      projects: 'id, status, ownerId, updatedAt',
      tasks: 'id, projectId, status, assigneeId, [projectId+status], updatedAt',
      activities: 'id, createdAt, entityId, action',
      base: '[entity+id]',
      outbox: 'mutationId, entityId, acked',
      meta: 'key',
    });
    this.version(2).stores({ activities: 'id, createdAt, entityId, action, version' });
  }
}

export function databaseName(userId: string): string {
  return `outpost-${userId}`;
}

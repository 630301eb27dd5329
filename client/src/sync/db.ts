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

/**
 * One local write call (a single write, or a whole bulk create) as stored: its mutations in
 * order, in ONE record. `seq` is the store's own auto-increment key, so records are in commit
 * order across tabs without any counter being read. Mutation ids are NOT assigned when the
 * record is written (that needed the counter's read): while `last` is 0 the record is
 * *unnumbered* and its ids follow from its place — `meta.lastMutationId` plus the mutations of
 * the unnumbered records before it (`outbox-ids.ts`). A transaction that acknowledges or drops
 * some of them first writes those ids into the records (`last` > 0), which never changes them.
 */
export interface WriteRecord {
  /** Auto-increment key (absent until added). */
  seq?: number;
  clientId: string;
  createdAt: string;
  /** In order; `id` is 0 while the record is unnumbered. */
  mutations: Mutation[];
  /** The id of its last mutation once numbered; 0 while unnumbered (indexed). */
  last: number;
  /** Mutations with an id up to this were acknowledged by a push answer (0: none). */
  ackedThrough: number;
  /** 1 while any of its mutations is unsent, then 0 (indexed: unsent records in order). */
  open: 0 | 1;
  /** The rows it writes (multi-entry index: a row's pending mutations without a scan). */
  entityIds: string[];
  /**
   * Its unsent mutations past the first, on a record holding more than one unsent (absent
   * otherwise, so the index holds bulk writes only): open records counted by the `open` index
   * plus these are the unsent count, without reading a single-write record.
   */
  extra?: number;
  attempts: number;
  lastError: string | null;
}

/**
 * One mutation of the outbox as the engine reads it: a record's mutation with its id (stored
 * or derived), in id order.
 */
export interface OutboxEntry {
  mutationId: number;
  /** The record it is in. */
  seq: number;
  clientId: string;
  entityId: string;
  mutation: Mutation;
  createdAt: string;
  attempts: number;
  lastError: string | null;
  /** 1 once a push answer acknowledged it (it stays, rebased on, until a pull covers it). */
  acked: 0 | 1;
  /** Whether it is its record's last mutation. */
  closes: boolean;
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
 *   3 — `writes`: one record per write call, ids derived (see WriteRecord); the entries of the
 *       old `outbox` (one per mutation) move into it, one numbered record each, in id order,
 *       and `outbox` is dropped (2026-12).
 *   4 — `outbox` again, as a store no code of this version uses, with an out-of-line key and
 *       no index: a tab still running version 2 (Dexie reopens it behind the new schema and
 *       would add back an `outbox` it declares) can neither write its old entries into it
 *       (DataError: no key) nor read by its indexes (SchemaError), and reads by key find
 *       nothing — so it cannot take, send or drop anything of `writes` (2026-12).
 */
export const DB_SCHEMA_VERSION = 4;

export class OutpostDb extends Dexie {
  // Set by Dexie (`stores()`): declared only, not class fields.
  declare users: EntityTable<User, 'id'>;
  declare projects: EntityTable<Clocked<Project>, 'id'>;
  declare tasks: EntityTable<Clocked<Task>, 'id'>;
  declare activities: EntityTable<Activity, 'id'>;
  declare base: Table<BaseRow, [WritableKind, string]>;
  declare writes: Table<WriteRecord, number>;
  declare meta: EntityTable<MetaEntry, 'key'>;

  /** Told when another tab opens a newer version of this database (see the constructor). */
  readonly outdated = new Set<() => void>();

  constructor(name: string, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    // Another tab upgraded the schema: this code must not go on with the old shape (Dexie
    // would reopen the database behind the new schema). Close for good and say so; the app
    // offers its "new version — reload".
    this.on('versionchange', (event: IDBVersionChangeEvent) => {
      this.close({ disableAutoOpen: true });
      // A deletion (sign-out elsewhere) is not a newer version.
      if (event.newVersion !== null) for (const listener of this.outdated) listener();
      return false;
    });
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
    this.version(3)
      .stores({ outbox: null, writes: '++seq, last, open, *entityIds, extra' })
      .upgrade(async (tx) => {
        const old = (await tx.table('outbox').toArray()) as unknown[];
        await tx.table('writes').bulkAdd(migratedEntries(old));
      });
    this.version(4).stores({ outbox: '' });
  }
}

/**
 * Version 2's outbox entries (one per mutation) as numbered records, in id order: nothing
 * unsent is lost or reordered, and ids already sent stay the same. An entry that does not
 * have the old shape cannot be sent anyway and is left out.
 */
export function migratedEntries(old: readonly unknown[]): WriteRecord[] {
  const entries = old.filter(isOldEntry).sort((a, b) => a.mutationId - b.mutationId);
  return entries.map((e) => ({
    clientId: e.clientId,
    createdAt: e.createdAt,
    mutations: [{ ...e.mutation, id: e.mutationId } as Mutation],
    last: e.mutationId,
    ackedThrough: e.acked === 1 ? e.mutationId : 0,
    open: e.acked === 1 ? 0 : 1,
    entityIds: [e.entityId],
    attempts: typeof e.attempts === 'number' ? e.attempts : 0,
    lastError: typeof e.lastError === 'string' ? e.lastError : null,
  }));
}

interface OldEntry {
  mutationId: number;
  clientId: string;
  entityId: string;
  mutation: { type: string };
  createdAt: string;
  attempts?: unknown;
  lastError?: unknown;
  acked?: unknown;
}

function isOldEntry(v: unknown): v is OldEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  const m = e.mutation as Record<string, unknown> | null | undefined;
  return (
    Number.isInteger(e.mutationId) &&
    (e.mutationId as number) > 0 &&
    typeof e.clientId === 'string' &&
    typeof e.entityId === 'string' &&
    typeof e.createdAt === 'string' &&
    typeof m === 'object' &&
    m !== null &&
    typeof m.type === 'string'
  );
}

export function databaseName(userId: string): string {
  return `outpost-${userId}`;
}

import type { ClientId, EntityId, HlcString, OrgId, SyncedEntity } from '@outpost/shared';

/**
 * The storage port: one interface, two adapters (embedded SQLite, MongoDB). The engine owns
 * every rule (merge, permissions, audit); a store only persists rows, the per-org change log
 * and per-client progress, atomically.
 */

/** A row as persisted: the client-visible data plus its per-field clocks and tombstone. */
export interface StoredRow {
  readonly entity: SyncedEntity;
  readonly id: string;
  readonly orgId: OrgId;
  /** The full row as clients see it (id, orgId, timestamps, `version`, fields). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly clocks: Readonly<Record<string, HlcString>>;
  readonly deleted: HlcString | null;
  /** Seq of the row's last change (mirrors `data.version`). */
  readonly version: number;
}

/** What a write supplies; the store assigns the seq and sets `version` in both places. */
export type RowWrite = Omit<StoredRow, 'version'>;

/** One entry of an org's change log: the row's full state after a committed write. */
export interface StoredChange {
  readonly seq: number;
  readonly entity: SyncedEntity;
  readonly entityId: string;
  readonly row: Readonly<Record<string, unknown>>;
  readonly clocks: Readonly<Record<string, HlcString>>;
  readonly deleted: HlcString | null;
}

/** Per-client progress: which (user, org) owns the client id and its last processed mutation. */
export interface ClientRecord {
  readonly clientId: ClientId;
  readonly userId: EntityId;
  readonly orgId: OrgId;
  readonly lastMutationId: number;
}

export type FilterValue = string | number | boolean | null;

export interface RowListQuery {
  readonly orgId: OrgId;
  readonly entity: SyncedEntity;
  /** Equality on top-level row fields; names must match FIELD_NAME. */
  readonly filter: Readonly<Record<string, FilterValue>>;
  /** Rows are ordered by id; return those with id > afterId. */
  readonly afterId: string | null;
  readonly limit: number;
  /** Tombstoned rows are excluded unless this is set. */
  readonly includeDeleted?: boolean;
}

/** Field names a filter may use (they are interpolated into a JSON path / document path). */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export interface StoreReader {
  getRow(id: string): Promise<StoredRow | null>;
  listRows(query: RowListQuery): Promise<StoredRow[]>;
  /** The org's latest seq (0 for an org with no changes). */
  head(orgId: OrgId): Promise<number>;
  getClient(clientId: ClientId): Promise<ClientRecord | null>;
}

export interface StoreTx extends StoreReader {
  /**
   * Upserts the row and appends its change with the org's next seq, which it returns. The
   * seq is assigned inside the transaction, so commit order is seq order.
   */
  writeRow(row: RowWrite): Promise<number>;
  /**
   * Appends an entry to the change log only (next seq, returned) without storing a row:
   * for immutable records such as activities, which clients receive through the log.
   */
  appendToLog(entry: RowWrite): Promise<number>;
  putClient(client: ClientRecord): Promise<void>;
}

/** A device sync credential as stored (the secret itself never is). */
export interface StoredCredential {
  id: string;
  /** sha256 of the secret part; the secret itself is never stored. */
  secretHash: string;
  userId: EntityId;
  orgId: OrgId;
  clientId: ClientId;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface CredentialStore {
  create(c: StoredCredential): Promise<void>;
  find(id: string): Promise<StoredCredential | null>;
  /** Revokes one credential; false when unknown or already revoked. */
  revoke(id: string, at: string): Promise<boolean>;
  revokeForClient(userId: EntityId, clientId: ClientId, at: string): Promise<number>;
}

export interface Store extends StoreReader {
  readonly kind: 'sqlite' | 'mongodb';
  /**
   * Runs `fn` in one write transaction: everything it wrote commits together or not at all
   * (a throw rolls back rows, changes, seq and client progress). `fn` may be re-run on a
   * transient conflict, so it must have no side effects outside `tx`.
   */
  transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Changes of the org with seq > afterSeq, in seq order, at most `limit`. */
  changes(orgId: OrgId, afterSeq: number, limit: number): Promise<StoredChange[]>;
  readonly credentials: CredentialStore;
  /** A real read against the storage (readiness): throws when it cannot be served. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

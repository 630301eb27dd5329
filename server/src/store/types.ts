import type {
  ClientId,
  EntityId,
  HlcString,
  OrgId,
  RowEntity,
  SyncedEntity,
} from '@outpost/shared';

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

/**
 * What a write supplies; the store assigns the seq and sets `version` in both places. The
 * entry's age for retention is `data.updatedAt` (activities: `data.createdAt`) when it is an
 * ISO string, else the store's wall clock.
 */
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
  /**
   * The owner's identity (`User.externalId`), so the id stays theirs once their user row is
   * gone for good (removed, tombstone purged, added back as a new row). Null on records written
   * before it was kept (SQLite schema 9).
   */
  readonly externalId: string | null;
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

/** What a tombstone purge keeps of a row: its id's org and entity. */
export interface PurgedRow {
  orgId: OrgId;
  entity: RowEntity;
}

export interface StoreReader {
  getRow(id: string): Promise<StoredRow | null>;
  /**
   * Where a row with this id lived before a tombstone purge removed it (null: never purged).
   * Ids are never reused, so a create of a purged id is refused (docs/protocol.md).
   */
  purgedRow(id: string): Promise<PurgedRow | null>;
  /**
   * Whether a user row of this identity (`externalId`) in the org had its tombstone purged: a
   * removal outlives the purge of the removed member's row, so their sign-in is still refused
   * (`MEMBER_REMOVED`) rather than made a new member.
   */
  purgedMember(orgId: OrgId, externalId: string): Promise<boolean>;
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
   * Appends an activity (an immutable audit entry) to the org's activity stream with the org's
   * next seq, which it returns. Activities share the seq space with the change log but are
   * stored apart, so the log holds one entry per row and the feed keeps its own retention.
   */
  appendActivity(entry: RowWrite): Promise<number>;
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

export interface ActivityQuery {
  /** Activities with seq > afterSeq, oldest first (the pull stream) … */
  readonly afterSeq?: number;
  /**
   * … and/or with seq < beforeSeq. Alone it pages older entries, newest first; with `afterSeq`
   * the order stays oldest first and `limit` keeps the oldest (a pull page's window ends where
   * its rows end, and the pull relies on that order).
   */
  readonly beforeSeq?: number;
  readonly limit: number;
  /** Only this client's entries of these actions (notices that must reach their client). */
  readonly clientId?: ClientId;
  readonly actions?: readonly string[];
  /** Only entries about this row (the activity's `entityId`): one task's history. */
  readonly entityId?: string;
}

export interface CredentialStore {
  create(c: StoredCredential): Promise<void>;
  find(id: string): Promise<StoredCredential | null>;
  /** Revokes one credential; false when unknown or already revoked. */
  revoke(id: string, at: string): Promise<boolean>;
  revokeForClient(userId: EntityId, clientId: ClientId, at: string): Promise<number>;
  /** Revokes every live credential of a user in one org (removed from it); returns how many. */
  revokeForMember(userId: EntityId, orgId: OrgId, at: string): Promise<number>;
}

/** A received identity-provider webhook, kept so a replay (same id) changes nothing. */
export interface WebhookRecord {
  /** The provider's delivery id (Svix `svix-id`). */
  readonly id: string;
  readonly type: string;
  readonly receivedAt: string;
  /** What applying it did, in a line (the server-wide audit of every event). */
  readonly outcome: string;
}

/** Membership bookkeeping beside the rows: webhook receipts, last seen, users across orgs. */
export interface MembershipStore {
  /** Whether a webhook with this id was already applied. */
  webhookSeen(id: string): Promise<boolean>;
  /** Records an applied webhook; false when the id was already recorded (a racing replay). */
  recordWebhook(record: WebhookRecord): Promise<boolean>;
  webhook(id: string): Promise<WebhookRecord | null>;
  /** Notes that a member was active (callers throttle; last write wins). */
  touch(orgId: OrgId, userId: EntityId, at: string): Promise<void>;
  /** Last activity per user id of an org. */
  lastSeen(orgId: OrgId): Promise<Record<string, string>>;
  /** Every user row (live or deleted) with this identity-provider id, in every org. */
  usersByExternalId(externalId: string): Promise<StoredRow[]>;
}

/** Whole-store maintenance: encryption at rest (migrating plaintext, rotating keys). */
export interface StoreMaintenance {
  /** A value of the store's own metadata (e.g. which key its data is encrypted under). */
  getMeta(key: string): Promise<string | null>;
  /**
   * Rewrites the data of every row, change-log entry and activity for which `fn` returns new
   * data (null: leave it), then sets meta `set.key` — all or nothing on SQLite; idempotent
   * batches on MongoDB, so an interrupted run is simply run again. Returns how many changed.
   */
  rewriteAll(
    fn: (
      entity: SyncedEntity,
      data: Readonly<Record<string, unknown>>,
    ) => Readonly<Record<string, unknown>> | null,
    set: { key: string; value: string },
  ): Promise<number>;
}

export interface Store extends StoreReader {
  readonly kind: 'sqlite' | 'mongodb';
  /**
   * Runs `fn` in one write transaction: everything it wrote commits together or not at all
   * (a throw rolls back rows, changes, seq and client progress). `fn` may be re-run on a
   * transient conflict, so it must have no side effects outside `tx`.
   */
  transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * The version of the live row with this id (null: no such row, or a tombstone): a point read
   * of one number, for telling whether a row read earlier is still what it was (every write of
   * a row gives it a new version, `writeRow`).
   */
  liveVersion(id: string): Promise<number | null>;
  /**
   * The org's compacted change log: the one entry of each row (its latest state) with
   * seq > afterSeq, in seq order, at most `limit`. A write deletes the row's previous entry
   * and appends at the next seq in the same transaction, so the log is as long as the number
   * of rows (live and tombstoned), never the number of writes. Tombstones with
   * seq ≤ `liveThrough` are left out (a replica downloading the live snapshot never held them).
   */
  changes(
    orgId: OrgId,
    afterSeq: number,
    limit: number,
    liveThrough?: number,
  ): Promise<StoredChange[]>;
  /**
   * How many log entries (rows) have afterSeq < seq ≤ upToSeq, tombstones with
   * seq ≤ `liveThrough` not counted: what a pull has left to send.
   */
  countChanges(
    orgId: OrgId,
    afterSeq: number,
    upToSeq: number,
    liveThrough?: number,
  ): Promise<number>;
  /** Activities as change entries (entity `activity`), by seq; see ActivityQuery. */
  activities(orgId: OrgId, query: ActivityQuery): Promise<StoredChange[]>;
  /**
   * The seq of the oldest activity among the org's newest `newest` entries created at or after
   * `since` (ISO), or null when no activity qualifies.
   */
  activityWindowStart(
    orgId: OrgId,
    window: { newest: number; since: string },
  ): Promise<number | null>;
  /**
   * The org's purge horizon: the highest seq of a change-log entry purged so far (0 if none).
   * A replica whose cursor is below it may hold rows whose tombstone it never received.
   */
  purgeHorizon(orgId: OrgId): Promise<number>;
  /**
   * Removes tombstoned rows (and their log entries) last written before `before` (ISO), in
   * batches of their own transactions, and raises each org's purge horizon.
   */
  purgeTombstones(before: string): Promise<number>;
  /** Removes activities created before `before` (ISO). */
  purgeActivities(before: string): Promise<number>;
  /** Bytes the store occupies (SQLite: the file and its WAL; MongoDB: storage size). */
  storageBytes(): Promise<{ total: number; used: number }>;
  readonly credentials: CredentialStore;
  readonly maintenance: StoreMaintenance;
  /** A real read against the storage (readiness): throws when it cannot be served. */
  ping(): Promise<void>;
  readonly membership: MembershipStore;
  close(): Promise<void>;
}

import type { MembershipStore, StoredChange } from '../store/types.js';
import type {
  ClientId,
  EntityId,
  FieldChange,
  OrgId,
  Project,
  ActivityPage,
  ActivityPageQuery,
  PokeCarried,
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
  Role,
  Task,
  User,
  ActivityAction,
  EntityKind,
  RowEntity,
} from '@outpost/shared';
import type { StoredCredential } from '../store/types.js';

/**
 * The sync engine facade: the one place every write goes through (sync push, REST, server
 * jobs) so validation, merge, audit, change log and fan-out are identical on every path.
 * Implemented in `engine/engine.ts`; decorated on the Fastify instance as `app.engine`.
 */

/** A verified identity, as the auth plugin extracts it from a token. */
export interface Identity {
  externalId: string;
  email: string;
  name: string;
  orgId: OrgId;
  role: Role;
  /**
   * Profile fields the identity provider did not assert (a session token without the custom
   * `email` / `name` claims): `email` and `name` then hold stand-ins, used for a first sign-in
   * only — an existing member keeps what is stored (e.g. what the webhooks gave).
   */
  unasserted?: readonly ('email' | 'name')[];
  /**
   * The identity provider says the asserted email is verified (a session token's
   * `email_verified: true` claim). Only then may a first sign-in take over the row of a member
   * with that email who has no provider id yet (`lookupMember`'s `held`).
   */
  emailVerified?: boolean;
}

/**
 * What a membership event did: the member as written; `null` when they stay removed; or
 * `heldBy`, the member who already has their email under another identity (not added).
 */
export type SyncedMember =
  | { user: User; heldBy?: undefined; stillRemoved?: undefined }
  | { user: null; heldBy?: string | undefined; stillRemoved: boolean };

/** A write the server makes on an outside system's word (a webhook delivery). */
export interface SystemCause {
  /** e.g. the webhook delivery id. */
  requestId: string;
  /** Written to the audit entry. */
  reason: string;
}

/** Who is acting, attached to every authenticated request as `request.actor`. */
export interface Actor {
  user: User;
  orgId: OrgId;
  role: Role;
  requestId: string;
  /** Set for sync requests and sync-credential requests. */
  clientId: ClientId | null;
  /** `sync-credential` may only push (and open the socket). */
  via: 'session' | 'sync-credential';
}

export type Row = User | Project | Task;

/**
 * A parsed `If-Match` list: the opaque values of its strong tags (`"12"` → `12`), any one of
 * which must be the row's version; `header` is what was sent, for the 412's details. An empty
 * `strong` (only weak tags) never matches.
 */
export interface IfMatch {
  header: string;
  strong: readonly string[];
}

export type RestOp =
  | {
      kind: 'create';
      entity: RowEntity;
      entityId: EntityId;
      fields: Record<string, unknown>;
      /** The server made `entityId` (the body had no `id`): a refusal then names no row. */
      madeId?: boolean;
    }
  | {
      kind: 'update';
      entity: RowEntity;
      entityId: EntityId;
      fields: Record<string, unknown>;
      ifMatch?: IfMatch;
      replace?: boolean;
    }
  | { kind: 'delete'; entity: RowEntity; entityId: EntityId; ifMatch?: IfMatch };

export interface ListQuery {
  entity: RowEntity;
  /** Equality filters on row fields (e.g. `{ status: 'todo', projectId }`). */
  filter: Record<string, string | number | boolean | null>;
  /** Opaque cursor from a previous page's `nextCursor`. */
  after?: string | undefined;
  limit: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AuditEntry {
  action: ActivityAction;
  entity: EntityKind;
  entityId: string | null;
  changes?: FieldChange[];
  reason?: string | null;
}

/** The log entries one commit appended: seqs `from + 1 … cursor`, one entry per row. */
export interface Committed {
  readonly from: number;
  readonly changes: readonly StoredChange[];
}

/**
 * Told of every commit, before its writer is answered; a returned promise holds the answer
 * until it settles (the real-time layer pokes the org's sockets first).
 */
export type CommitListener = (
  orgId: OrgId,
  cursor: number,
  committed: Committed | null,
) => void | Promise<void>;

export interface SyncEngine {
  readonly storageKind: 'sqlite' | 'mongodb';
  /**
   * Throws CLIENT_TOO_OLD or SERVER_TOO_OLD (409) when this server does not speak `version`:
   * checked before a sync body's shape, which another version may have changed.
   */
  checkProtocolVersion(version: number): void;
  push(actor: Actor, req: PushRequest): Promise<PushResponse>;
  pull(actor: Actor, req: PullRequest): Promise<PullResponse>;
  /** Older activity of the caller's org, newest first (the feed's "load older"). */
  activityPage(actor: Actor, query: ActivityPageQuery): Promise<ActivityPage>;
  /** The org's latest change-log seq. */
  head(orgId: OrgId): Promise<number>;
  /** A REST write through the same validation, merge, audit and change log. Throws AppError. */
  applyRest(actor: Actor, op: RestOp): Promise<Row>;
  get(orgId: OrgId, entity: RowEntity, id: string): Promise<Row | null>;
  list(orgId: OrgId, query: ListQuery): Promise<Page<Row>>;
  /**
   * Get-or-create the user for a verified identity (refreshes email/name, and the role unless
   * `roleFrom: 'stored'`). A removed member (a deleted row) is refused with MEMBER_REMOVED; a
   * REST invitation with the same email is linked to the identity. A member with the same email
   * and another identity is linked only when it has no provider id yet (a dev sign-in's) and
   * the email is verified; else EMAIL_IN_USE (never a second member with one email).
   */
  upsertUser(identity: Identity, opts?: { roleFrom: 'identity' | 'stored' }): Promise<User>;
  /**
   * The identity provider's word on a member (webhooks): creates or updates the row; a
   * removed member comes back as a new row only when `readd` (they were added again) and the
   * event is younger than the removal (deliveries may arrive out of order), and no other live
   * member now has their email (else `null`, `heldBy` set, `stillRemoved`). A new member whose
   * email another member with another identity has is not added (`null`, `heldBy` set): their
   * sign-in decides (`upsertUser`).
   */
  syncMember(
    member: Identity,
    by: SystemCause,
    opts: { readd: boolean; eventAt: number | null },
  ): Promise<SyncedMember>;
  /** Updates email/name of every row of this provider user, in every org. Returns the rows written. */
  syncProfile(
    externalId: string,
    profile: { email?: string; name?: string },
    by: SystemCause,
  ): Promise<number>;
  /**
   * Removes a member: tombstones the row, revokes their device credentials in the org and
   * tells `onMemberRemoved` listeners (which close their sockets). False if not a member.
   */
  removeMember(orgId: OrgId, externalId: string, by: SystemCause): Promise<boolean>;
  /** Every org in which this provider user has a live row. */
  orgsOf(externalId: string): Promise<OrgId[]>;
  /** Called after a member was removed (REST delete, webhook), in this process. */
  onMemberRemoved(listener: (orgId: OrgId, userId: EntityId) => void): () => void;
  /** Notes a member's activity (throttled per member; for "last seen"). */
  touchMember(orgId: OrgId, userId: EntityId): Promise<void>;
  /** Records an activity that is not a row write (e.g. `access-denied`). */
  audit(actor: Actor, entry: AuditEntry): Promise<void>;
  /**
   * Called after every commit that advanced an org's log (in this process), with the new head
   * and — for a small commit — the log entries it appended (`committed`; null when large).
   */
  onCommit(listener: CommitListener): () => void;
  /**
   * What a poke may carry for a commit: its entries as a pull from `committed.from` returns
   * them now (the same activity window), or null when a pull would return something else
   * (an activity already below the window: some clients get it as their own notice only).
   */
  carry(orgId: OrgId, committed: Committed): Promise<PokeCarried | null>;
  /**
   * 403 FORBIDDEN when this client id already belongs to another user or org (its pushes and
   * pulls are refused): nothing is issued for it. A client id not seen yet is anyone's, taken
   * only as `newClientId` makes it (lower case; else 400 VALIDATION naming `/clientId`). The
   * same check push and pull make.
   */
  checkClientOwner(actor: Actor, clientId: ClientId): Promise<void>;
  credentials: {
    create(c: StoredCredential): Promise<void>;
    find(id: string): Promise<StoredCredential | null>;
    revoke(id: string, at: string): Promise<boolean>;
    revokeForClient(userId: EntityId, clientId: ClientId, at: string): Promise<number>;
    revokeForMember(userId: EntityId, orgId: OrgId, at: string): Promise<number>;
  };
  /** A real query against the store (readiness); throws when the store cannot serve. */
  ping(): Promise<void>;
  /** Webhook receipts, last seen (see store/types.ts). */
  readonly membership: MembershipStore;
  close(): Promise<void>;
}

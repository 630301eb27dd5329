import { randomBytes } from 'node:crypto';
import * as zm from 'zod/mini';
import {
  DEFAULT_PULL_LIMIT,
  HybridLogicalClock,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  can,
  checkProtocolVersion,
  deniedMessage,
  type Activity,
  type ActivityPage,
  type ActivityPageQuery,
  unreachable,
  toOneLineText,
  USER_NAME_MAX,
  userFieldsSchema,
  type Change,
  type ClientId,
  type OrgId,
  type RowEntity,
  type PokeCarried,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type EntityId,
  type MutationResult,
  type User,
  type UserFields,
  isNewClientId,
  NEW_CLIENT_ID_MESSAGE,
} from '@outpost/shared';
import { AppError, credentialRefused, validationError } from '../errors.js';
import type { ClientRecord, Store, StoreReader, StoreTx, StoredRow } from '../store/types.js';
import { deleteRow } from './delete.js';
import { listPage } from './list.js';
import { checkStampNodes, pushMutation, clockTooFarAhead } from './push.js';
import { applyRestOp } from './rest.js';
import type {
  Actor,
  AuditEntry,
  CommitListener,
  Committed,
  Identity,
  ListQuery,
  Page,
  RestOp,
  Row,
  SyncEngine,
  SyncedMember,
  SystemCause,
} from './types.js';
import { checkMemberEdit } from './member-rules.js';
import {
  identityProfile,
  keptProfileField,
  lookupMember,
  emailInUse,
  mayTakeOver,
  memberRemoved,
  profileMatches,
  reviveMember,
  roleFor,
  unassignTasksOf,
  writeUser,
} from './users.js';
import { TxWriter, type Attribution } from './writer.js';
import { pageForVersion } from './compat.js';
import { RemainingCounts } from './remaining.js';

export interface EngineOptions {
  store: Store;
  /** Wall clock (ms): row timestamps and the server's HLC. Injected for tests. */
  now?: () => number;
  /** HLC node id of this server instance (default `srv-<random>`). */
  nodeId?: string;
  /** Supported protocol range (default: the shared constants). */
  protocol?: { current: number; min: number };
  /** A commit listener threw: report it, never fail the write that already committed. */
  onListenerError?: (err: unknown) => void;
  /** Which activities a pull sends: the newest `entries`, no older than `days` (1000 / 30). */
  activityWindow?: { entries: number; days: number };
  /**
   * `provider`: org roles come from the identity provider (Clerk mode) and REST role edits are
   * refused; `local` (dev mode): roles are edited here and stored roles win over tokens.
   */
  roleSource?: 'provider' | 'local';
}

/** A client's own notices reach it even when they fall outside the activity window. */
const OWN_NOTICES = ['conflict', 'rejected'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A commit of more entries than this is announced without them, and its push answered
 * without its echo: a poke carries at most 32 KiB (`POKE_CARRY_MAX_BYTES`), which fits far
 * fewer. (Echoing every push of an offline backlog made its upload slower, not its pull-back
 * shorter: docs/performance.md, 2026-12-01 21:50.)
 */
const CARRY_MAX_ENTRIES = 64;

/** The first protocol version whose push answers carry their own entries (`echo`). */
const PUSH_ECHO_PROTOCOL = 7;

/** Members `upsertUser` remembers (`#members`); the oldest is forgotten first. */
const MEMBERS_REMEMBERED = 1_000;

/** At most one "last seen" write per member per minute. */
const TOUCH_EVERY_MS = 60_000;
const TOUCH_MEMORY = 10_000;

/**
 * The one place every write goes through — sync push, REST and server-side writes — so
 * validation, merge, audit and change log are identical on every path.
 */
export class Engine implements SyncEngine {
  readonly #store: Store;
  readonly #now: () => number;
  readonly #clock: HybridLogicalClock;
  readonly #protocol: { current: number; min: number };
  readonly #listeners = new Set<CommitListener>();
  /** Each commit's `carry`, computed once: its poke and its push answer's echo share it. */
  readonly #carried = new WeakMap<Committed, Promise<PokeCarried | null>>();
  readonly #onListenerError: (err: unknown) => void;
  readonly #activityWindow: { entries: number; days: number };
  readonly #roleSource: 'provider' | 'local';
  readonly #removedListeners = new Set<(orgId: OrgId, userId: EntityId) => void>();
  readonly #touched = new Map<string, number>();
  readonly #remaining = new RemainingCounts();
  /**
   * The member each identity (org, external id and the profile it asserts) was last found as
   * live, with the row's version then: while that row is live at that version it is unchanged,
   * so `upsertUser` reads the version alone instead of searching and decrypting the row again.
   */
  readonly #members = new Map<string, { id: string; version: number; user: User }>();

  constructor(options: EngineOptions) {
    this.#roleSource = options.roleSource ?? 'local';
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#clock = new HybridLogicalClock(
      options.nodeId ?? `srv-${randomBytes(6).toString('hex')}`,
      { now: this.#now },
    );
    this.#protocol = options.protocol ?? { current: PROTOCOL_VERSION, min: MIN_PROTOCOL_VERSION };
    this.#onListenerError = options.onListenerError ?? (() => {});
    this.#activityWindow = options.activityWindow ?? { entries: 1000, days: 30 };
  }

  get storageKind(): 'sqlite' | 'mongodb' {
    return this.#store.kind;
  }

  get credentials() {
    return this.#store.credentials;
  }

  get membership() {
    return this.#store.membership;
  }

  #nowIso(): string {
    return new Date(this.#now()).toISOString();
  }

  checkProtocolVersion(version: number): void {
    this.#checkVersion(version);
  }

  #checkVersion(version: number): void {
    const check = checkProtocolVersion(version, this.#protocol);
    if (!check.ok) {
      throw new AppError(
        check.code === 'client_too_old' ? 'CLIENT_TOO_OLD' : 'SERVER_TOO_OLD',
        check.message,
        {
          clientVersion: version,
          serverVersion: this.#protocol.current,
          minVersion: this.#protocol.min,
        },
      );
    }
  }

  /** A client id belongs to the (user, org) that first used it. */
  async checkClientOwner(actor: Actor, clientId: ClientId): Promise<void> {
    await this.#checkClient(this.#store, actor, clientId, await this.#store.getClient(clientId));
  }

  /**
   * The one check of a client id against its record (`client`, null when the server has not
   * seen it): one bound to another user or org is 403 FORBIDDEN; a new one must be as
   * `newClientId` makes it (`checkNewClientId`, 400 VALIDATION). Push, pull, sync credentials
   * and the socket hello (through `checkClientOwner`) all refuse through it. A client id of a
   * member removed and then added back as a new row (signed in as the same identity) is still
   * theirs: their device's unsent changes go through, and its next push binds it to the new row.
   * The record keeps its owner's identity for the case where their old row is gone for good
   * (its tombstone purged); a record written before it did is matched through the old row.
   */
  async #checkClient(
    reader: StoreReader,
    actor: Actor,
    clientId: ClientId,
    client: ClientRecord | null,
  ): Promise<void> {
    if (!client) return checkNewClientId(clientId);
    if (client.orgId === actor.orgId) {
      if (client.userId === actor.user.id) return;
      // One identity has one live row in an org: this is the owner's earlier, removed row.
      if (client.externalId !== null) {
        if (client.externalId === actor.user.externalId) return;
      } else if (await this.#sameMemberAddedBack(reader, actor, client.userId)) return;
    }
    throw new AppError(
      'FORBIDDEN',
      'This client id belongs to another user or org: use a client id of your own',
    );
  }

  /** Whether `ownerId` is the actor's own earlier row in their org: removed, same identity. */
  async #sameMemberAddedBack(
    reader: StoreReader,
    actor: Actor,
    ownerId: EntityId,
  ): Promise<boolean> {
    const owner = await reader.getRow(ownerId);
    return (
      owner !== null &&
      owner.entity === 'user' &&
      owner.orgId === actor.orgId &&
      owner.deleted !== null &&
      owner.data['externalId'] === actor.user.externalId
    );
  }

  /** Tells every listener; resolves once those that returned a promise are done. */
  async #emit(orgId: OrgId, cursor: number, committed: Committed | null): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const listener of this.#listeners) {
      try {
        const done = listener(orgId, cursor, committed);
        if (done) waits.push(done.catch((err: unknown) => this.#onListenerError(err)));
      } catch (err) {
        this.#onListenerError(err);
      }
    }
    if (waits.length) await Promise.all(waits);
  }

  /** Runs a write transaction and announces the new head if it appended anything. */
  async #write<T>(orgId: OrgId, fn: (w: TxWriter, tx: StoreTx) => Promise<T>): Promise<T> {
    return (await this.#writeKeeping(orgId, fn)).value;
  }

  /**
   * `#write`, which also returns what the commit appended when that is exactly `(from, head]`
   * and at most `CARRY_MAX_ENTRIES` entries (else null): what its poke carries.
   */
  async #writeKeeping<T>(
    orgId: OrgId,
    fn: (w: TxWriter, tx: StoreTx) => Promise<T>,
  ): Promise<{ value: T; committed: Committed | null }> {
    const nowIso = this.#nowIso();
    const out = await this.#store.transact(async (tx) => {
      const w = new TxWriter(tx, orgId, nowIso, CARRY_MAX_ENTRIES);
      const value = await fn(w, tx);
      const head = w.writes > 0 ? await tx.head(orgId) : 0;
      return { value, writes: w.writes, head, appended: w.appended() };
    });
    if (out.writes === 0) return { value: out.value, committed: null };
    // Seqs are taken one by one under the org's write lock, so the commit owns exactly
    // (head - writes, head]; anything else (a store that skipped seqs) is announced bare.
    const changes = out.appended;
    const committed =
      changes !== null &&
      changes.length > 0 &&
      changes.at(-1)!.seq === out.head &&
      changes.every((c) => c.seq > out.head - out.writes)
        ? { from: out.head - out.writes, changes }
        : null;
    // The org's sockets are poked before the writer is answered (never before the commit).
    await this.#emit(orgId, out.head, committed);
    return { value: out.value, committed };
  }

  async push(actor: Actor, req: PushRequest): Promise<PushResponse> {
    this.#checkVersion(req.protocolVersion);
    if (actor.via === 'sync-credential' && actor.clientId !== req.clientId) {
      throw new AppError('FORBIDDEN', 'This sync credential was issued for another client id');
    }
    checkStampNodes(req);
    // Server stamps must sort after every client stamp this instance has seen (stamps too
    // far ahead are refused below, and never move the server's clock).
    const nowMs = this.#now();
    for (const m of req.mutations) if (!clockTooFarAhead(m.hlc, nowMs)) this.#clock.receive(m.hlc);

    const { value: out, committed } = await this.#writeKeeping(actor.orgId, async (w, tx) => {
      const client = await tx.getClient(req.clientId);
      await this.#checkClient(tx, actor, req.clientId, client);
      const last = client?.lastMutationId ?? 0;
      const fresh = req.mutations.filter((m) => m.id > last);
      fresh.forEach((m, i) => {
        if (m.id !== last + 1 + i) {
          throw new AppError(
            'MUTATION_GAP',
            `Expected mutation ${last + 1 + i}, received ${m.id}: nothing was applied`,
            {
              expected: last + 1 + i,
              received: m.id,
            },
          );
        }
      });
      const results: MutationResult[] = [];
      for (const m of req.mutations) {
        if (m.id <= last) {
          results.push({ id: m.id, status: 'duplicate' });
          continue;
        }
        const who: Attribution = {
          actorId: actor.user.id,
          requestId: actor.requestId,
          clientId: req.clientId,
          mutationId: m.id,
        };
        results.push(await pushMutation(w, actor.role, who, m, nowMs));
      }
      const lastMutationId = fresh.at(-1)?.id ?? last;
      if (
        !client ||
        lastMutationId !== last ||
        client.userId !== actor.user.id ||
        client.externalId !== actor.user.externalId
      ) {
        await tx.putClient({
          clientId: req.clientId,
          userId: actor.user.id,
          orgId: actor.orgId,
          externalId: actor.user.externalId,
          lastMutationId,
        });
      }
      return { results, lastMutationId, cursor: await tx.head(actor.orgId) };
    });
    const echoing = req.protocolVersion >= PUSH_ECHO_PROTOCOL;
    const echo = echoing && committed ? await this.carry(actor.orgId, committed) : null;
    return { protocolVersion: req.protocolVersion, ...out, ...(echo ? { echo } : {}) };
  }

  async #bindClient(actor: Actor, clientId: ClientId): Promise<ClientRecord> {
    let client = await this.#store.getClient(clientId);
    if (!client) {
      client = await this.#store.transact(async (tx) => {
        const existing = await tx.getClient(clientId);
        if (existing) return existing;
        const created: ClientRecord = {
          clientId,
          userId: actor.user.id,
          orgId: actor.orgId,
          externalId: actor.user.externalId,
          lastMutationId: 0,
        };
        await tx.putClient(created);
        return created;
      });
    }
    await this.#checkClient(this.#store, actor, clientId, client);
    return client;
  }

  async pull(actor: Actor, req: PullRequest): Promise<PullResponse> {
    this.#checkVersion(req.protocolVersion);
    if (actor.via === 'sync-credential') throw credentialRefused('a pull');
    // `liveThrough` only means something in a snapshot download: without `snapshot` it was
    // ignored, and every tombstone sent.
    if (req.liveThrough !== undefined && !req.snapshot) {
      throw validationError('body', [
        { path: '/liveThrough', message: LIVE_THROUGH_WITHOUT_SNAPSHOT },
      ]);
    }
    // A refused pull changes nothing: check ownership now, bind the client id only once the
    // pull is known to succeed.
    const known = await this.#store.getClient(req.clientId);
    await this.#checkClient(this.#store, actor, req.clientId, known);
    const head = await this.#store.head(actor.orgId);
    if (req.cursor > head) {
      throw new AppError(
        'BAD_CURSOR',
        `\`cursor\` ${req.cursor} is ahead of this org's log (head ${head}): reset and pull from 0`,
        {
          cursor: req.cursor,
          head,
        },
      );
    }
    const limit = req.limit ?? DEFAULT_PULL_LIMIT;
    const floor = await this.#activityFloor(actor.orgId, head);
    // A download of the live snapshot leaves out the tombstones written before it began.
    const liveThrough = !req.snapshot
      ? 0
      : req.cursor === 0
        ? head
        : Math.min(req.liveThrough ?? 0, head);
    const rows = await this.#store.changes(actor.orgId, req.cursor, limit, liveThrough);
    // A full page of rows ends at its last seq: no activity past it can make the page.
    const past = rows.length === limit ? rows.at(-1)!.seq + 1 : undefined;
    const [window, own] = await Promise.all([
      past !== undefined && past <= floor
        ? []
        : this.#store.activities(actor.orgId, {
            afterSeq: Math.max(req.cursor, floor - 1),
            ...(past !== undefined ? { beforeSeq: past } : {}),
            limit,
          }),
      floor - 1 > req.cursor
        ? this.#store.activities(actor.orgId, {
            afterSeq: req.cursor,
            beforeSeq: past !== undefined ? Math.min(floor, past) : floor,
            clientId: req.clientId,
            actions: OWN_NOTICES,
            limit,
          })
        : [],
    ]);
    // Read after the changes, so a purge that removed any of them is seen here.
    const horizon = await this.#store.purgeHorizon(actor.orgId);
    // At risk: a replica that may hold rows whose tombstones (past its cursor) were purged
    // since its last page. One that started from 0 after the purge never saw those rows.
    if (req.cursor > 0 && req.cursor < horizon && (req.purgeHorizon ?? 0) < horizon) {
      throw new AppError(
        'RESYNC_REQUIRED',
        `Tombstones after cursor ${req.cursor} were purged (horizon ${horizon}): pull the live snapshot from 0 and drop rows it does not contain`,
        { cursor: req.cursor, horizon },
      );
    }
    // Only entries up to the head read first: each query is its own snapshot, and every
    // entry ≤ head had committed before any of them ran, so none is skipped.
    const changes = [...rows, ...window, ...own]
      .filter((c) => c.seq <= head)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
    const full = changes.length === limit;
    const cursor = full ? changes.at(-1)!.seq : head;
    const client = known ?? (await this.#bindClient(actor, req.clientId));
    // Rows still to come, so a first sync can say "3,400 of 10,000" (activities not counted).
    const remaining = await this.#remaining.after(
      cursor,
      { orgId: actor.orgId, head, liveThrough, horizon },
      (after, upTo) => this.#store.countChanges(actor.orgId, after, upTo, liveThrough),
    );
    return pageForVersion(
      {
        protocolVersion: req.protocolVersion,
        changes: changes as unknown as Change[],
        cursor,
        hasMore: cursor < head,
        headCursor: head,
        remaining,
        lastMutationId: client.lastMutationId,
        activityFloor: floor,
        purgeHorizon: horizon,
        liveThrough,
      },
      req.protocolVersion,
    );
  }

  carry(orgId: OrgId, committed: Committed): Promise<PokeCarried | null> {
    let carried = this.#carried.get(committed);
    if (!carried) {
      carried = this.#carry(orgId, committed);
      this.#carried.set(committed, carried);
    }
    return carried;
  }

  async #carry(orgId: OrgId, committed: Committed): Promise<PokeCarried | null> {
    const activities = committed.changes.filter((c) => c.entity === 'activity');
    const head = committed.changes.at(-1)?.seq ?? committed.from;
    // The same window a pull computes now. An activity below it reaches a pull only as its
    // own client's notice (a different answer per client): then the poke carries nothing.
    const floor = await this.#activityFloor(orgId, head);
    if (activities.some((c) => c.seq < floor)) return null;
    return {
      from: committed.from,
      changes: committed.changes as unknown as PokeCarried['changes'],
      activityFloor: floor,
    };
  }

  /** The lowest seq of the activity window (head + 1 when no activity is in it). */
  async #activityFloor(orgId: OrgId, head: number): Promise<number> {
    const { entries, days } = this.#activityWindow;
    const since = new Date(this.#now() - days * DAY_MS).toISOString();
    const start = await this.#store.activityWindowStart(orgId, { newest: entries, since });
    return start ?? head + 1;
  }

  async activityPage(actor: Actor, query: ActivityPageQuery): Promise<ActivityPage> {
    // Scoped to the caller's org: another org's id finds nothing, like an id never used.
    const items = await this.#store.activities(actor.orgId, {
      beforeSeq: query.before ?? Number.MAX_SAFE_INTEGER,
      limit: query.limit + 1,
      ...(query.entityId === undefined ? {} : { entityId: query.entityId }),
    });
    const page = items.slice(0, query.limit);
    return {
      data: page.map((c) => c.row) as unknown as Activity[],
      nextBefore: items.length > query.limit ? page.at(-1)!.seq : null,
    };
  }

  head(orgId: OrgId): Promise<number> {
    return this.#store.head(orgId);
  }

  async applyRest(actor: Actor, op: RestOp): Promise<Row> {
    if (actor.via === 'sync-credential') throw credentialRefused(`a REST ${op.kind}`);
    if (!can(actor.role, op.kind, op.entity)) {
      const reason = deniedMessage(actor.role, op.kind, op.entity);
      await this.audit(actor, {
        action: 'access-denied',
        entity: op.entity,
        entityId: op.kind === 'create' && op.madeId === true ? null : op.entityId,
        reason,
      });
      throw new AppError('FORBIDDEN', reason);
    }
    if (op.entity === 'user') {
      const current =
        op.kind === 'create' ? null : await this.get(actor.orgId, 'user', op.entityId);
      checkMemberEdit(actor, op, current, this.#roleSource);
    }
    const who: Attribution = {
      actorId: actor.user.id,
      requestId: actor.requestId,
      clientId: actor.clientId,
      mutationId: null,
    };
    const data = await this.#write(actor.orgId, (w) => applyRestOp(w, this.#clock, who, op));
    if (op.entity === 'user' && op.kind === 'delete') {
      await this.#afterRemoval(actor.orgId, op.entityId);
    }
    return data as unknown as Row;
  }

  /** A removed member's devices lose their credentials at once, and their sockets close. */
  async #afterRemoval(orgId: OrgId, userId: EntityId): Promise<void> {
    await this.#store.credentials.revokeForMember(userId, orgId, this.#nowIso());
    for (const listener of this.#removedListeners) {
      try {
        listener(orgId, userId);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }

  async get(orgId: OrgId, entity: RowEntity, id: string): Promise<Row | null> {
    const row = await this.#store.getRow(id);
    if (!row || row.orgId !== orgId || row.entity !== entity || row.deleted !== null) return null;
    return row.data as unknown as Row;
  }

  list(orgId: OrgId, query: ListQuery): Promise<Page<Row>> {
    return listPage(this.#store, orgId, query);
  }

  async upsertUser(
    identity: Identity,
    opts: { roleFrom: 'identity' | 'stored' } = { roleFrom: 'identity' },
  ): Promise<User> {
    // The hot path (every authenticated request, every socket push): one version read when
    // this identity was seen before and its row has not been written since. A role change,
    // profile change or removal writes the row (a new version, or a tombstone), so it is seen
    // here at once, whichever instance wrote it.
    const key = JSON.stringify([
      identity.orgId,
      identity.externalId,
      identity.email,
      identity.name,
      identity.role,
      opts.roleFrom,
    ]);
    const known = this.#members.get(key);
    if (known) {
      if ((await this.#store.liveVersion(known.id)) === known.version) return { ...known.user };
      this.#members.delete(key);
    }
    const asserted = identityProfile(identity);
    const { orgId, externalId } = identity;
    // A field the token did not assert keeps what the row holds (the webhooks' email and name).
    const want = (row: StoredRow | null): UserFields => ({
      ...asserted,
      email: keptProfileField(identity, 'email', row, asserted.email),
      name: keptProfileField(identity, 'name', row, asserted.name),
      role: roleFor(row, asserted.role, opts.roleFrom),
    });
    // Read only: the row as the identity asserts it.
    const seen = await lookupMember(this.#store, orgId, externalId, asserted.email);
    if (seen.kind === 'live' && profileMatches(seen.row, want(seen.row))) {
      const user = seen.row.data as unknown as User;
      if (this.#members.size >= MEMBERS_REMEMBERED)
        this.#members.delete(this.#members.keys().next().value!);
      this.#members.set(key, { id: seen.row.id, version: seen.row.version, user: { ...user } });
      return user;
    }
    if (seen.kind === 'removed' || seen.kind === 'purged') throw memberRemoved(orgId);
    // Refused before any write transaction, as a removed member is (checked again inside).
    if (seen.kind === 'held' && !mayTakeOver(identity, seen.row))
      throw emailInUse(orgId, identity, seen.row);
    const data = await this.#write(orgId, async (w, tx) => {
      const found = await lookupMember(tx, orgId, externalId, asserted.email);
      switch (found.kind) {
        case 'live':
          return writeUser(
            w,
            this.#clock,
            found.row,
            want(found.row),
            'profile refreshed from the identity provider',
          );
        case 'removed':
        case 'purged':
          throw memberRemoved(orgId);
        case 'invited':
          // Someone removed and invited again comes back as themselves: their old row, revived.
          if (found.removed)
            return reviveMember(
              w,
              this.#clock,
              found.removed,
              { ...want(found.row), externalId },
              `added back: the invitation ${found.row.id} for their email was made after they were removed, and they signed in`,
            );
          return writeUser(
            w,
            this.#clock,
            found.row,
            { ...want(found.row), externalId },
            'invitation linked to its sign-in by email',
          );
        case 'held':
          // One email, one member: the new identity takes over the member only when safe.
          if (!mayTakeOver(identity, found.row)) throw emailInUse(orgId, identity, found.row);
          return writeUser(
            w,
            this.#clock,
            found.row,
            { ...want(found.row), externalId },
            'sign-in linked by its verified email to the member, who had no identity-provider id (a dev sign-in)',
          );
        case 'new':
          return writeUser(w, this.#clock, null, { ...want(null), externalId }, 'first sign-in');
        default:
          return unreachable(found);
      }
    });
    return data as unknown as User;
  }

  async syncMember(
    member: Identity,
    by: SystemCause,
    opts: { readd: boolean; eventAt: number | null },
  ): Promise<SyncedMember> {
    const profile = identityProfile(member);
    const who = systemAttribution(by);
    let heldBy: string | undefined;
    let stillRemoved = false;
    const data = await this.#write(member.orgId, async (w, tx) => {
      const found = await lookupMember(tx, member.orgId, member.externalId, profile.email);
      switch (found.kind) {
        case 'live':
        case 'invited': {
          const fields = {
            ...profile,
            email: keptProfileField(member, 'email', found.row, profile.email),
            name: keptProfileField(member, 'name', found.row, profile.name),
            externalId: member.externalId,
          };
          // Removed, then invited again: their old row comes back (as for a re-created membership).
          if (found.kind === 'invited' && found.removed)
            return reviveMember(w, this.#clock, found.removed, fields, by.reason, who);
          return writeUser(w, this.#clock, found.row, fields, by.reason, who);
        }
        case 'removed':
        case 'purged': {
          // Someone added again is their old row, revived (`reviveMember`: same id, so their
          // devices, history and projects stay theirs); removed so long ago that the row was
          // purged, a new row. (Only a null answer reads stillRemoved.)
          stillRemoved = true;
          if (!opts.readd) return null;
          const old = found.kind === 'removed' ? found.row : null;
          if (
            old &&
            opts.eventAt !== null &&
            Date.parse(String(old.data['updatedAt'])) > opts.eventAt
          )
            return null;
          // One email, one member: not back as a second member with the email someone else
          // now has. They stay removed (their sign-in is refused MEMBER_REMOVED).
          if (found.held) {
            heldBy = found.held.id;
            return null;
          }
          const fields = { ...profile, externalId: member.externalId };
          return old
            ? reviveMember(w, this.#clock, old, fields, by.reason, who)
            : writeUser(w, this.#clock, null, fields, by.reason, who);
        }
        case 'held':
          // Not a second member with one email, and an event says nothing of the email being
          // verified: their sign-in links them or is refused (upsertUser).
          heldBy = found.row.id;
          return null;
        case 'new':
          return writeUser(
            w,
            this.#clock,
            null,
            { ...profile, externalId: member.externalId },
            by.reason,
            who,
          );
        default:
          return unreachable(found);
      }
    });
    return data ? { user: data as unknown as User } : { user: null, heldBy, stillRemoved };
  }

  async syncProfile(
    externalId: string,
    profile: { email?: string; name?: string },
    by: SystemCause,
  ): Promise<number> {
    // The provider's name follows the text rules (identityName); one with nothing left is skipped.
    const name = profile.name === undefined ? '' : toOneLineText(profile.name, USER_NAME_MAX);
    const fields = zm.partial(zm.pick(userFieldsSchema, { email: true, name: true })).parse({
      ...(profile.email === undefined ? {} : { email: profile.email }),
      ...(name ? { name } : {}),
    });
    let written = 0;
    for (const row of await this.#store.membership.usersByExternalId(externalId)) {
      if (row.deleted !== null) continue;
      if (Object.entries(fields).every(([k, v]) => row.data[k] === v)) continue;
      await this.#write(row.orgId, async (w) => {
        const current = await w.getRow(row.id);
        if (!current || current.deleted !== null) return;
        await writeUser(w, this.#clock, current, fields, by.reason, systemAttribution(by));
        written++;
      });
    }
    return written;
  }

  async removeMember(orgId: OrgId, externalId: string, by: SystemCause): Promise<boolean> {
    const removed = await this.#write(orgId, async (w, tx) => {
      const [row] = await tx.listRows({
        orgId,
        entity: 'user',
        filter: { externalId },
        afterId: null,
        limit: 1,
      });
      if (!row) return null;
      for (const c of Object.values(row.clocks)) this.#clock.receive(c);
      const who = systemAttribution(by);
      await deleteRow(w, who, 'user', row, this.#clock.now(), by.reason);
      await unassignTasksOf(w, this.#clock, who, row.id);
      return row.id as EntityId;
    });
    if (removed === null) return false;
    await this.#afterRemoval(orgId, removed);
    return true;
  }

  async orgsOf(externalId: string): Promise<OrgId[]> {
    const rows = await this.#store.membership.usersByExternalId(externalId);
    return [...new Set(rows.filter((r) => r.deleted === null).map((r) => r.orgId))];
  }

  onMemberRemoved(listener: (orgId: OrgId, userId: EntityId) => void): () => void {
    this.#removedListeners.add(listener);
    return () => {
      this.#removedListeners.delete(listener);
    };
  }

  async touchMember(orgId: OrgId, userId: EntityId): Promise<void> {
    const key = `${orgId} ${userId}`;
    const now = this.#now();
    if (now - (this.#touched.get(key) ?? -Infinity) < TOUCH_EVERY_MS) return;
    if (this.#touched.size >= TOUCH_MEMORY) this.#touched.clear();
    this.#touched.set(key, now);
    await this.#store.membership.touch(orgId, userId, new Date(now).toISOString());
  }

  async audit(actor: Actor, entry: AuditEntry): Promise<void> {
    await this.#write(actor.orgId, (w) =>
      w.activity(
        {
          actorId: actor.user.id,
          requestId: actor.requestId,
          clientId: actor.clientId,
          mutationId: null,
        },
        {
          action: entry.action,
          entity: entry.entity,
          entityId: entry.entityId,
          changes: entry.changes ?? [],
          reason: entry.reason ?? null,
        },
      ),
    );
  }

  onCommit(listener: CommitListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  ping(): Promise<void> {
    return this.#store.ping();
  }

  close(): Promise<void> {
    this.#listeners.clear();
    this.#removedListeners.clear();
    return this.#store.close();
  }
}

/**
 * A client id the server has not seen is taken only as `newClientId` makes it (lower case): in
 * another case the same UUID would be a second client, with its own `lastMutationId` and owner.
 * One already bound keeps working in the case it was first sent in (its rows stay keyed so).
 */
function checkNewClientId(clientId: ClientId): void {
  if (!isNewClientId(clientId)) {
    throw validationError('body', [{ path: '/clientId', message: NEW_CLIENT_ID_MESSAGE }]);
  }
}

const LIVE_THROUGH_WITHOUT_SNAPSHOT =
  'is read only with "snapshot": true (the pages of a snapshot download after the first)';

function systemAttribution(by: SystemCause): Attribution {
  return { actorId: null, requestId: by.requestId, clientId: null, mutationId: null };
}

import {
  applyDelete,
  applyWrite,
  EMPTY_RECORD,
  mutationEntity,
  newEntityId,
  PROTOCOL_VERSION,
  type Activity,
  type Change,
  type ClientId,
  type EntityId,
  type HlcString,
  type Mutation,
  type MutationResult,
  type OrgId,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type RecordState,
  type Role,
  type User,
} from '@outpost/shared';
import { HttpError, NetworkError, type CallContext, type SyncTransport } from '@outpost/sync';
import { BadCursorError, IdentityMismatchError, MutationGapError } from '@outpost/sync/testing';

/**
 * An in-memory sync server speaking the protocol's push/pull semantics with the shared merge
 * rules, for fast unit tests of the client engine. The real server is exercised by the
 * integration tests; this one lets a test control delivery (offline, lost answers).
 */
interface StoredRow {
  entity: 'project' | 'task';
  state: RecordState;
  createdAt: string;
  updatedAt: string;
  seq: number;
}

export class MemoryServer {
  readonly orgId = 'org_test' as OrgId;
  readonly users = new Map<string, User>();
  readonly rows = new Map<string, StoredRow>();
  readonly log: Change[] = [];
  readonly lastMutation = new Map<string, number>();
  readonly pushes: PushRequest[] = [];
  #time = Date.parse('2026-11-23T00:00:00Z');

  addUser(role: Role, name: string = role): User {
    const t = this.#iso();
    const user: User = {
      id: newEntityId(),
      orgId: this.orgId,
      createdAt: t,
      updatedAt: t,
      version: 0,
      email: `${name}@example.com`,
      name,
      role,
      externalId: `ext_${name}`,
    };
    this.users.set(user.id, user);
    this.#append({ entity: 'user', entityId: user.id, row: user, clocks: {}, deleted: null });
    return user;
  }

  #iso(): string {
    this.#time += 1;
    return new Date(this.#time).toISOString();
  }

  #append(change: Omit<Change, 'seq'>): void {
    const seq = this.log.length + 1;
    const row = { ...change.row, version: seq } as Change['row'];
    this.log.push({ ...change, seq, row } as Change);
  }

  get head(): number {
    return this.log.length;
  }

  push(userId: string, req: PushRequest): PushResponse {
    const user = this.users.get(userId);
    if (!user) throw new HttpError('unauthenticated', 401, 'UNAUTHENTICATED');
    this.pushes.push(structuredClone(req));
    let last = this.lastMutation.get(req.clientId) ?? 0;
    const firstNew = req.mutations.find((m) => m.id > last);
    if (firstNew && firstNew.id !== last + 1) {
      throw new MutationGapError(`expected mutation ${last + 1}`, last + 1);
    }
    const results: MutationResult[] = [];
    for (const m of req.mutations) {
      if (m.id <= last) {
        results.push({ id: m.id, status: 'duplicate' });
        continue;
      }
      const rejection = this.#check(user, m);
      if (rejection) {
        results.push({
          id: m.id,
          status: 'rejected',
          code: rejection.code,
          reason: rejection.reason,
        });
        this.#activity(user, req.clientId, m, 'rejected', rejection.reason);
      } else {
        this.#apply(user, req.clientId, m);
        results.push({ id: m.id, status: 'applied' });
      }
      last = m.id;
    }
    this.lastMutation.set(req.clientId, last);
    return { protocolVersion: PROTOCOL_VERSION, lastMutationId: last, results, cursor: this.head };
  }

  #check(
    user: User,
    m: Mutation,
  ): { code: 'forbidden' | 'not_found' | 'validation'; reason: string } | null {
    const existing = this.rows.get(m.entityId);
    if (m.type.endsWith('.create')) {
      return existing ? { code: 'validation', reason: 'already exists' } : null;
    }
    if (!existing) return { code: 'not_found', reason: `${mutationEntity(m)} not found` };
    if (m.type === 'task.delete' && user.role === 'member') {
      return { code: 'forbidden', reason: 'only an admin or manager may delete tasks' };
    }
    return null;
  }

  #apply(user: User, clientId: ClientId, m: Mutation): void {
    const entity = mutationEntity(m);
    const existing = this.rows.get(m.entityId);
    const before = existing?.state ?? EMPTY_RECORD;
    const result = m.type.endsWith('.delete')
      ? applyDelete(before, m.hlc)
      : applyWrite(before, {
          fields: (m as { fields: Record<string, unknown> }).fields,
          hlc: m.hlc,
          base: (m as { base?: Record<string, HlcString | null> }).base,
        });
    const t = this.#iso();
    const stored: StoredRow = {
      entity,
      state: result.state,
      createdAt: existing?.createdAt ?? t,
      updatedAt: t,
      seq: 0,
    };
    this.rows.set(m.entityId, stored);
    this.#append({
      entity,
      entityId: m.entityId,
      row: {
        id: m.entityId,
        orgId: this.orgId,
        createdAt: stored.createdAt,
        updatedAt: t,
        version: 0,
        ...result.state.fields,
      },
      clocks: result.state.clocks,
      deleted: result.state.deleted,
    } as unknown as Omit<Change, 'seq'>);
    stored.seq = this.head;
    if (result.conflicts.length) {
      this.#activity(
        user,
        clientId,
        m,
        'conflict',
        null,
        result.conflicts.map((c) => ({
          field: c.field,
          lost: c.lost,
          lostHlc: c.lostHlc,
          ...(c.wonHlc ? { wonHlc: c.wonHlc } : {}),
        })),
      );
    }
  }

  #activity(
    user: User,
    clientId: ClientId,
    m: Mutation,
    action: 'rejected' | 'conflict',
    reason: string | null,
    changes: Activity['changes'] = [],
  ): void {
    const t = this.#iso();
    const a: Activity = {
      id: newEntityId(),
      orgId: this.orgId,
      createdAt: t,
      updatedAt: t,
      version: 0,
      actorId: user.id as EntityId,
      action,
      entity: mutationEntity(m),
      entityId: m.entityId,
      changes,
      reason,
      requestId: null,
      clientId,
      mutationId: m.id,
    };
    this.#append({ entity: 'activity', entityId: a.id, row: a, clocks: {}, deleted: null });
  }

  pull(req: PullRequest): PullResponse {
    if (req.cursor > this.head) throw new BadCursorError('cursor ahead of the log');
    const limit = req.limit ?? 500;
    // Each row's latest entry only, as the real server's compacted log (a page's row then
    // reflects every mutation the answer's lastMutationId covers).
    const latest = new Map<string, number>();
    for (const c of this.log) latest.set(`${c.entity}:${c.entityId}`, c.seq);
    const live = this.log.filter((c) => latest.get(`${c.entity}:${c.entityId}`) === c.seq);
    const after = live.filter((c) => c.seq > req.cursor);
    const changes = after.slice(0, limit);
    const cursor = changes.length === limit ? changes.at(-1)!.seq : this.head;
    return {
      protocolVersion: PROTOCOL_VERSION,
      changes: structuredClone(changes),
      cursor,
      hasMore: cursor < this.head,
      headCursor: this.head,
      remaining: after.filter((c) => c.seq > cursor && c.entity !== 'activity').length,
      lastMutationId: this.lastMutation.get(req.clientId) ?? 0,
      // A log that never purges: every activity is in the window.
      activityFloor: 0,
      purgeHorizon: 0,
    };
  }

  /** Visible rows (not deleted) of one kind, as full row objects. */
  visible(entity: 'project' | 'task'): Record<string, unknown>[] {
    const latest = new Map<string, Change>();
    for (const c of this.log) if (c.entity === entity) latest.set(c.entityId, c);
    return [...latest.values()]
      .filter((c) => c.deleted === null)
      .map((c) => c.row as unknown as Record<string, unknown>);
  }
}

export interface MemoryTransportControls {
  online: boolean;
  /** When set, the next push is applied by the server but its answer is "lost". */
  loseNextPushAnswer: boolean;
  tokenUserId: string | null;
}

export function memoryTransport(
  server: MemoryServer,
  tokenUserId: string,
): SyncTransport & { controls: MemoryTransportControls } {
  const controls: MemoryTransportControls = {
    online: true,
    loseNextPushAnswer: false,
    tokenUserId,
  };
  const guard = (ctx: CallContext) => {
    if (!controls.online) throw new NetworkError('offline');
    if (controls.tokenUserId !== ctx.userId)
      throw new IdentityMismatchError('token is for another user');
  };
  return {
    controls,
    async push(req, ctx) {
      guard(ctx);
      await Promise.resolve();
      const res = server.push(ctx.userId, structuredClone(req));
      if (controls.loseNextPushAnswer) {
        controls.loseNextPushAnswer = false;
        // The device dies with the answer in flight: nothing else gets through either.
        controls.online = false;
        throw new NetworkError('connection reset after the server applied the push');
      }
      return res;
    },
    async pull(req, ctx) {
      guard(ctx);
      await Promise.resolve();
      return server.pull(req);
    },
  };
}

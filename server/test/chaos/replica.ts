import {
  applyDelete,
  applyWrite,
  EMPTY_RECORD,
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  pullResponseSchema,
  pushResponseSchema,
  type Change,
  type ClientId,
  type EntityId,
  type HlcString,
  type Mutation,
  type MutationResult,
  type OrgId,
  type RecordState,
  type Role,
} from '@outpost/shared';
import { postJson, type JsonAnswer } from './http.js';

/** One row as a replica holds it: the merge state (fields, clocks, tombstone). */
export interface Held {
  entity: 'project' | 'task';
  state: RecordState;
}

/** What a push or pull attempt came to, from the replica's side of the wire. */
export type Outcome =
  'ok' | 'offline' | 'down' | 'failed' | 'lost-answer' | 'gap' | 'nothing-to-send' | 'error';

export interface ReplicaOptions {
  name: string;
  role: Role;
  orgId: OrgId;
  userId: EntityId;
  token: string;
  /** How far this device's wall clock is off (negative: behind). */
  skewMs?: number;
  /** Test-only: when false, a pull does not re-apply pending mutations (a broken rebase). */
  rebase?: boolean;
  /** Test-only: when false, a resync drops rows absent from the snapshot even if pending. */
  resyncKeepsPending?: boolean;
}

const TASK_FIELDS = ['projectId', 'title', 'notes', 'status', 'assigneeId', 'dueDate'];
const PROJECT_FIELDS = ['name', 'description', 'status', 'ownerId'];

/** The replica's merge of a change as it arrives by pull. */
export function heldFromChange(c: Change): Held | null {
  if (c.entity !== 'task' && c.entity !== 'project') return null;
  const names = c.entity === 'task' ? TASK_FIELDS : PROJECT_FIELDS;
  const row = c.row as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const f of names) if (f in c.clocks) fields[f] = row[f];
  return { entity: c.entity, state: { fields, clocks: c.clocks, deleted: c.deleted } };
}

/** Applies one mutation to a held row with the shared merge rules (what a replica shows). */
export function applyMutationTo(held: Held | undefined, m: Mutation): Held {
  const entity = m.type.startsWith('project.') ? 'project' : 'task';
  const state = held?.state ?? EMPTY_RECORD;
  if (m.type.endsWith('.delete')) return { entity, state: applyDelete(state, m.hlc).state };
  const fields = (m as { fields: Record<string, unknown> }).fields;
  return { entity, state: applyWrite(state, { fields, hlc: m.hlc }).state };
}

/**
 * A replica speaking the sync protocol over HTTP exactly as docs/protocol.md tells a client
 * to: mutation ids 1, 2, 3 … per client id; the outbox is resent from its oldest unacknowledged
 * entry with the same ids until an answer (push or pull `lastMutationId`) covers it; pulled
 * changes become the base and the pending outbox is re-applied on top (rebase). Its "disk"
 * (outbox, base, mirror, cursor, clock) survives a tab restart; only in-flight requests do not.
 */
export class SimReplica {
  readonly clientId: ClientId = newClientId();
  readonly name: string;
  readonly role: Role;
  readonly orgId: OrgId;
  readonly userId: EntityId;
  token: string;
  readonly skewMs: number;
  readonly rebase: boolean;
  readonly resyncKeepsPending: boolean;
  clock: HybridLogicalClock;

  // ---- persisted ("IndexedDB") ----
  outbox: Mutation[] = [];
  nextId = 1;
  cursor = 0;
  /** The `purgeHorizon` of the last page applied (sent back with each pull). */
  purgeHorizon = 0;
  readonly base = new Map<string, Held>();
  readonly mirror = new Map<string, Held>();

  // ---- the checker's view (not part of a real client) ----
  /** Every mutation this replica made, in id order. */
  readonly journal: Mutation[] = [];
  /** The first non-duplicate result the server answered for each id. */
  readonly results = new Map<number, MutationResult>();
  /** Highest `lastMutationId` the server reported for this client. */
  serverLast = 0;
  /** Batches already sent, kept to replay them (duplicated deliveries). */
  readonly sent: Mutation[][] = [];
  /** Anything that contradicts the protocol, seen from this side. */
  readonly problems: string[] = [];
  online = true;
  /** Resyncs completed (410 RESYNC_REQUIRED answered with a snapshot from 0). */
  resyncs = 0;
  /** Rows whose base changed, or whose pending mutations were acknowledged, since the last rebase. */
  readonly #dirty = new Set<string>();

  constructor(options: ReplicaOptions) {
    this.name = options.name;
    this.role = options.role;
    this.orgId = options.orgId;
    this.userId = options.userId;
    this.token = options.token;
    this.skewMs = options.skewMs ?? 0;
    this.rebase = options.rebase ?? true;
    this.resyncKeepsPending = options.resyncKeepsPending ?? true;
    this.clock = this.#newClock();
  }

  #newClock(last?: HlcString): HybridLogicalClock {
    const skew = this.skewMs;
    return new HybridLogicalClock(this.clientId, { now: () => Date.now() + skew }, last);
  }

  /** The tab closes and reopens: in-flight requests are forgotten, the disk is kept. */
  restartTab(): void {
    // Resumes after every stamp the old clock issued or received, as the engine does from disk.
    this.clock = this.#newClock(this.clock.now());
  }

  // ---- local writes ---------------------------------------------------------------------
  #write(m: Record<string, unknown> & { type: Mutation['type']; entityId: string }): Mutation {
    const full = { ...m, id: this.nextId++, hlc: this.clock.now() } as unknown as Mutation;
    this.outbox.push(full);
    this.journal.push(full);
    this.mirror.set(full.entityId, applyMutationTo(this.mirror.get(full.entityId), full));
    return full;
  }

  createProject(name: string): EntityId {
    const id = newEntityId();
    this.#write({
      type: 'project.create',
      entityId: id,
      fields: { name, description: '', status: 'active', ownerId: this.userId },
    });
    return id;
  }

  createTask(projectId: string, title: string): EntityId {
    const id = newEntityId();
    this.#write({
      type: 'task.create',
      entityId: id,
      fields: { projectId, title, notes: '', status: 'todo', assigneeId: null, dueDate: null },
    });
    return id;
  }

  editTask(id: string, field: 'title' | 'notes' | 'status', value: string): void {
    const seen = this.mirror.get(id)?.state.clocks[field] ?? null;
    this.#write({
      type: 'task.update',
      entityId: id,
      fields: { [field]: value },
      base: { [field]: seen },
    });
  }

  deleteTask(id: string): void {
    this.#write({ type: 'task.delete', entityId: id });
  }

  /** Ids of tasks this replica shows (live), in a stable order. */
  liveTasks(): string[] {
    return [...this.mirror.entries()]
      .filter(([, h]) => h.entity === 'task' && h.state.deleted === null)
      .map(([id]) => id)
      .sort();
  }

  // ---- the wire -------------------------------------------------------------------------
  async #post(url: string, path: string, body: unknown): Promise<JsonAnswer> {
    return postJson(`${url}/api/v1/sync/${path}`, body, this.token);
  }

  #ack(lastMutationId: number): void {
    if (lastMutationId > this.nextId - 1)
      this.problems.push(
        `${this.name}: server says lastMutationId ${lastMutationId}, but only ${this.nextId - 1} were made`,
      );
    if (lastMutationId < this.serverLast)
      this.problems.push(
        `${this.name}: server's lastMutationId went back from ${this.serverLast} to ${lastMutationId}`,
      );
    this.serverLast = Math.max(this.serverLast, lastMutationId);
    for (const m of this.outbox) if (m.id <= lastMutationId) this.#dirty.add(m.entityId);
    this.outbox = this.outbox.filter((m) => m.id > lastMutationId);
  }

  /**
   * Sends `mutations` (default: the oldest `size` unacknowledged ones, as a client does).
   * `loseAnswer`: the server gets the request but the answer never comes back.
   */
  async push(
    url: string | null,
    options: { size?: number; mutations?: Mutation[]; loseAnswer?: boolean } = {},
  ): Promise<Outcome> {
    if (!this.online) return 'offline';
    if (url === null) return 'down';
    const batch = options.mutations ?? this.outbox.slice(0, options.size ?? 50);
    if (batch.length === 0) return 'nothing-to-send';
    this.sent.push(batch);
    if (this.sent.length > 8) this.sent.shift();
    let status: number;
    let json: unknown;
    try {
      ({ status, json } = await this.#post(url, 'push', {
        protocolVersion: PROTOCOL_VERSION,
        clientId: this.clientId,
        mutations: batch,
      }));
    } catch {
      return 'failed'; // Refused, reset mid-request (a killed server), or a cut answer.
    }
    if (options.loseAnswer) return 'lost-answer';
    if (status === 409 && (json as { code?: string }).code === 'MUTATION_GAP') return 'gap';
    if (status === 503) return 'failed'; // The file stayed locked: retry later.
    if (status < 200 || status > 299) {
      this.problems.push(`${this.name}: push answered ${status} ${JSON.stringify(json)}`);
      return 'error';
    }
    const body = pushResponseSchema.parse(json);
    for (const r of body.results) {
      const mine = this.journal[r.id - 1];
      if (!mine || mine.id !== r.id) {
        this.problems.push(`${this.name}: result for mutation ${r.id} it never made`);
        continue;
      }
      if (r.status === 'duplicate') continue;
      const before = this.results.get(r.id);
      if (before)
        this.problems.push(
          `${this.name}: mutation ${r.id} processed twice (${before.status}, then ${r.status})`,
        );
      else this.results.set(r.id, r);
    }
    this.#ack(body.lastMutationId);
    return 'ok';
  }

  /**
   * Pulls pages until caught up (`limit` per page), then rebases the outbox on the new base.
   * Answered 410 RESYNC_REQUIRED (a purge removed tombstones past the cursor), it resyncs.
   */
  async pull(url: string | null, limit = 200): Promise<Outcome> {
    if (!this.online) return 'offline';
    if (url === null) return 'down';
    const out = await this.#pullPages(url, limit);
    return out === 'resync' ? this.#resync(url, limit) : out;
  }

  async #page(url: string, cursor: number, limit: number) {
    let status: number;
    let json: unknown;
    try {
      ({ status, json } = await this.#post(url, 'pull', {
        protocolVersion: PROTOCOL_VERSION,
        clientId: this.clientId,
        cursor,
        limit,
        purgeHorizon: this.purgeHorizon,
      }));
    } catch {
      return 'failed' as const;
    }
    if (status === 503) return 'failed' as const;
    if (status === 410 && (json as { code?: string }).code === 'RESYNC_REQUIRED')
      return 'resync' as const;
    if (status < 200 || status > 299) {
      this.problems.push(`${this.name}: pull answered ${status} ${JSON.stringify(json)}`);
      return 'error' as const;
    }
    return pullResponseSchema.parse(json);
  }

  /** Takes a pulled row as the new base (and the clocks it carries into this device's clock). */
  #takeBase(c: Change): string | null {
    const held = heldFromChange(c);
    if (!held) return null;
    this.base.set(c.entityId, held);
    this.#dirty.add(c.entityId);
    for (const clock of Object.values(held.state.clocks)) this.clock.receive(clock);
    if (held.state.deleted) this.clock.receive(held.state.deleted);
    return c.entityId;
  }

  /**
   * docs/protocol.md "Resync": the live snapshot from cursor 0 (all pages; interrupted, nothing
   * changes and the next pull starts over), every row it lacks leaves base and mirror — except
   * rows with pending mutations, which are rebased on an empty server state — then incremental
   * pulls continue from the snapshot's cursor.
   */
  async #resync(url: string, limit: number): Promise<Outcome> {
    const changes: Change[] = [];
    let cursor = 0;
    let last;
    for (;;) {
      const page = await this.#page(url, cursor, limit);
      if (typeof page === 'string') return page === 'resync' ? 'error' : page;
      changes.push(...page.changes);
      cursor = page.cursor;
      last = page;
      if (!page.hasMore) break;
    }
    const live = new Set<string>();
    for (const c of changes) {
      const id = this.#takeBase(c);
      if (id) live.add(id);
    }
    const absent = [...new Set([...this.base.keys(), ...this.mirror.keys()])].filter(
      (id) => !live.has(id),
    );
    for (const id of absent) {
      this.base.delete(id);
      this.#dirty.add(id);
    }
    this.cursor = cursor;
    this.purgeHorizon = last.purgeHorizon;
    this.#ack(last.lastMutationId);
    this.#rebase();
    if (!this.resyncKeepsPending) for (const id of absent) this.mirror.delete(id);
    this.resyncs++;
    return 'ok';
  }

  async #pullPages(url: string, limit: number): Promise<Outcome | 'resync'> {
    try {
      for (;;) {
        const page = await this.#page(url, this.cursor, limit);
        if (typeof page === 'string') return page;
        for (const c of page.changes) {
          if (c.seq <= this.cursor)
            this.problems.push(`${this.name}: pull returned seq ${c.seq} at cursor ${this.cursor}`);
          this.#takeBase(c);
        }
        this.cursor = page.cursor;
        this.purgeHorizon = page.purgeHorizon;
        this.#ack(page.lastMutationId);
        if (!page.hasMore) return 'ok';
      }
    } finally {
      // Pages already applied are rebased even when a later page failed.
      this.#rebase();
    }
  }

  /** Mirror = base with every pending mutation re-applied, for the rows a pull touched. */
  #rebase(): void {
    const touched = new Set<string>(this.#dirty);
    for (const m of this.outbox) touched.add(m.entityId);
    this.#dirty.clear();
    for (const id of touched) {
      let held = this.base.get(id);
      if (this.rebase)
        for (const m of this.outbox) if (m.entityId === id) held = applyMutationTo(held, m);
      if (held) this.mirror.set(id, held);
      else this.mirror.delete(id);
    }
  }
}

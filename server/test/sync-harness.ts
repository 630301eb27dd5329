import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  HybridLogicalClock,
  PROTOCOL_VERSION,
  newClientId,
  newEntityId,
  pullResponseSchema,
  type Activity,
  type ClientId,
  type EntityId,
  type Mutation,
  type OrgId,
  type PullResponse,
  type Role,
} from '@outpost/shared';
import { Engine, type EngineOptions } from '../src/engine/engine.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { Actor } from '../src/engine/types.js';

/** A real engine on a real SQLite file in a temp dir, with a controllable wall clock. */
export class EngineHarness {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-engine-'));
  readonly store = new SqliteStore({ dataDir: this.dir });
  time = 1_763_856_000_000;
  readonly engine: Engine;

  constructor(options: Partial<EngineOptions> = {}) {
    this.engine = new Engine({
      store: this.store,
      now: () => this.time,
      nodeId: 'srv-test',
      ...options,
    });
  }

  async actor(orgId: OrgId, role: Role, name: string = role): Promise<Actor> {
    const user = await this.engine.upsertUser({
      externalId: `ext_${name}_${orgId}`,
      email: `${name}@example.com`,
      name,
      orgId,
      role,
    });
    return { user, orgId, role, requestId: `req-${name}`, clientId: null, via: 'session' };
  }

  /** Activities of the org (their own stream), optionally of one action. */
  async activities(orgId: OrgId, action?: Activity['action']): Promise<Activity[]> {
    const all = await this.store.activities(orgId, { afterSeq: 0, limit: 1_000_000 });
    return all
      .map((c) => c.row as unknown as Activity)
      .filter((a) => action === undefined || a.action === action);
  }

  async close(): Promise<void> {
    await this.engine.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Every change of the org from cursor 0, paging until hasMore is false; schema-checked. */
  async pullAll(actor: Actor, clientId: ClientId, limit = 1000): Promise<PullResponse['changes']> {
    const out: PullResponse['changes'] = [];
    let cursor = 0;
    for (;;) {
      const res = pullResponseSchema.parse(
        await this.engine.pull(actor, {
          protocolVersion: PROTOCOL_VERSION,
          clientId,
          cursor,
          limit,
        }),
      );
      out.push(...res.changes);
      cursor = res.cursor;
      if (!res.hasMore) return out;
    }
  }
}

/** A simulated replica: its own client id, HLC and mutation counter. */
export class FakeClient {
  readonly clientId: ClientId = newClientId();
  readonly clock: HybridLogicalClock;
  nextId = 1;

  constructor(
    readonly actor: Actor,
    now: () => number,
  ) {
    this.clock = new HybridLogicalClock(this.clientId, { now });
  }

  /** Builds the next mutation (id and clock assigned), without sending it. */
  make<M extends Omit<Mutation, 'id' | 'hlc'>>(m: M): Mutation {
    return { ...m, id: this.nextId++, hlc: this.clock.now() } as unknown as Mutation;
  }

  push(h: EngineHarness, mutations: Mutation[]) {
    return h.engine.push(this.actor, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: this.clientId,
      mutations,
    });
  }
}

export function projectFields(ownerId: EntityId, name = 'Launch') {
  return { name, description: '', status: 'active' as const, ownerId };
}

export function taskFields(projectId: EntityId, title = 'Draft') {
  return { projectId, title, notes: '', status: 'todo' as const, assigneeId: null, dueDate: null };
}

export { newEntityId };

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  PROTOCOL_VERSION,
  newClientId,
  newEntityId,
  pullResponseSchema,
  pushResponseSchema,
  type Change,
  type ClientId,
  type EntityId,
  type Mutation,
  type User,
} from '@outpost/shared';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';

const ORG = 'org_multiproc';

async function post(
  url: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

interface Writer {
  server: ServerProcess;
  token: string;
  user: User;
  clientId: ClientId;
  clock: HybridLogicalClock;
  next: number;
  created: EntityId[];
}

describe('two server processes on one SQLite file', () => {
  let dir: string;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-2proc-'));
    // Started at the same moment: migrations and dev keys must be race-safe too.
    [a, b] = await Promise.all([
      startServerProcess({ dataDir: dir }),
      startServerProcess({ dataDir: dir }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function writer(server: ServerProcess, email: string): Promise<Writer> {
    const res = await post(`${server.url}/api/v1/auth/dev-token`, {
      email,
      name: email.split('@')[0],
      orgId: ORG,
      role: 'manager',
    });
    expect(res.status).toBe(200);
    const { token, user } = res.json as { token: string; user: User };
    const clientId = newClientId();
    return {
      server,
      token,
      user,
      clientId,
      clock: new HybridLogicalClock(clientId),
      next: 1,
      created: [],
    };
  }

  async function pushBatch(w: Writer, projectId: EntityId, size: number): Promise<void> {
    const mutations: Mutation[] = [];
    for (let i = 0; i < size; i++) {
      // Every other mutation edits one of the writer's earlier tasks: its log entry moves to
      // the new seq (compaction) while the puller may be anywhere behind or ahead of it.
      const earlier = w.created[(w.next * 7) % Math.max(w.created.length, 1)];
      if (i % 2 === 1 && earlier) {
        mutations.push({
          type: 'task.update',
          id: w.next++,
          hlc: w.clock.now(),
          entityId: earlier,
          fields: { title: `${w.user.name} edit ${w.next}` },
        } as unknown as Mutation);
        continue;
      }
      const entityId = newEntityId();
      w.created.push(entityId);
      mutations.push({
        type: 'task.create',
        id: w.next++,
        hlc: w.clock.now(),
        entityId,
        fields: {
          projectId,
          title: `${w.user.name} ${w.next}`,
          notes: '',
          status: 'todo',
          assigneeId: null,
          dueDate: null,
        },
      } as Mutation);
    }
    const res = await post(
      `${w.server.url}/api/v1/sync/push`,
      { protocolVersion: PROTOCOL_VERSION, clientId: w.clientId, mutations },
      w.token,
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(pushResponseSchema.parse(res.json).results.every((r) => r.status === 'applied')).toBe(
      true,
    );
  }

  async function pullFrom(
    server: ServerProcess,
    token: string,
    clientId: ClientId,
    cursor: number,
  ) {
    const res = await post(
      `${server.url}/api/v1/sync/pull`,
      { protocolVersion: PROTOCOL_VERSION, clientId, cursor, limit: 97 },
      token,
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return pullResponseSchema.parse(res.json);
  }

  it("a puller following the log gets every row's latest state, skipping none, while both write and edit", async () => {
    const writers = await Promise.all([
      writer(a, 'ana@example.com'),
      writer(b, 'ben@example.com'),
      writer(a, 'cy@example.com'),
      writer(b, 'di@example.com'),
    ]);
    // One project, created through instance A, that every task references.
    const owner = writers[0]!;
    const projectId = newEntityId();
    const created = await post(
      `${a.url}/api/v1/sync/push`,
      {
        protocolVersion: PROTOCOL_VERSION,
        clientId: owner.clientId,
        mutations: [
          {
            type: 'project.create',
            id: owner.next++,
            hlc: owner.clock.now(),
            entityId: projectId,
            fields: { name: 'Shared', description: '', status: 'active', ownerId: owner.user.id },
          },
        ],
      },
      owner.token,
    );
    expect(created.status).toBe(200);

    // A puller on instance B follows the log while the writers run: what it has seen must
    // always be a gap-free prefix of the log.
    const reader = await writer(b, 'rita@example.com');
    const seen: Change[] = [];
    let cursor = 0;
    let writing = true;
    const follow = (async () => {
      while (writing) {
        const page = await pullFrom(b, reader.token, reader.clientId, cursor);
        seen.push(...page.changes);
        cursor = page.cursor;
      }
    })();

    const BATCHES = 12;
    await Promise.all(
      writers.map(async (w) => {
        for (let i = 0; i < BATCHES; i++) await pushBatch(w, projectId, 1 + (i % 5) * 3);
      }),
    );
    writing = false;
    await follow;
    for (;;) {
      const page = await pullFrom(a, reader.token, reader.clientId, cursor);
      seen.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }

    // Seqs only increase; a row edited after the puller saw it arrives again, later.
    const seqs = seen.map((c) => c.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    const head = (await pullFrom(a, reader.token, reader.clientId, 0)).headCursor;
    expect(cursor).toBe(head);

    // No change skipped: folding what the follower saw gives every row's latest state, the
    // same as a fresh replica's snapshot (which holds exactly one entry per row).
    const fold = (changes: Change[]) => {
      const m = new Map<string, Change>();
      for (const c of changes) if (c.entity !== 'activity') m.set(c.entityId, c);
      return m;
    };
    const snapshot: Change[] = [];
    for (let c = 0; ;) {
      const page = await pullFrom(b, reader.token, reader.clientId, c);
      snapshot.push(...page.changes);
      c = page.cursor;
      if (!page.hasMore) break;
    }
    const rows = snapshot.filter((c) => c.entity !== 'activity');
    expect(new Set(rows.map((c) => c.entityId)).size).toBe(rows.length);
    expect(fold(seen)).toEqual(fold(snapshot));

    const allTasks = writers.flatMap((w) => w.created);
    const taskChanges = rows.filter((c) => c.entity === 'task');
    expect(taskChanges).toHaveLength(allTasks.length);
    expect(new Set(taskChanges.map((c) => c.entityId))).toEqual(new Set(allTasks));
    expect(
      taskChanges.filter((c) => c.entity === 'task' && c.row.title.includes('edit')).length,
    ).toBeGreaterThan(10);
    // Both instances serve the same log.
    const fromB = await pullFrom(b, reader.token, reader.clientId, 0);
    const fromA = await pullFrom(a, reader.token, reader.clientId, 0);
    expect(fromB.changes).toEqual(fromA.changes);
  });

  it('refuses a replayed batch on the other instance as duplicate', async () => {
    const w = await writer(a, 'eve@example.com');
    const projectId = newEntityId();
    const body = {
      protocolVersion: PROTOCOL_VERSION,
      clientId: w.clientId,
      mutations: [
        {
          type: 'project.create',
          id: 1,
          hlc: w.clock.now(),
          entityId: projectId,
          fields: { name: 'Once', description: '', status: 'active', ownerId: w.user.id },
        },
      ],
    };
    const first = await post(`${a.url}/api/v1/sync/push`, body, w.token);
    const replay = await post(`${b.url}/api/v1/sync/push`, body, w.token);
    expect(pushResponseSchema.parse(first.json).results[0]?.status).toBe('applied');
    expect(pushResponseSchema.parse(replay.json).results[0]?.status).toBe('duplicate');
    expect(pushResponseSchema.parse(replay.json).cursor).toBe(
      pushResponseSchema.parse(first.json).cursor,
    );
  });
});

/**
 * Encryption at rest's price, for `pnpm bench:server`: the engine in this process over the
 * SQLite store bare and over the EncryptedStore (a fresh key ring), same writes, rounds
 * interleaved, median of three. SQLITE_SYNCHRONOUS=NORMAL here, so fsyncs do not hide the CPU
 * cost. Task pushes carry no personal data (only the wrapper's pass-through is paid); profile
 * writes seal a user row, its log entry and an activity each.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  HybridLogicalClock,
  PROTOCOL_VERSION,
  newClientId,
  newEntityId,
  type Mutation,
  type OrgId,
} from '@outpost/shared';
import { Engine } from '../src/engine/engine.js';
import type { Actor } from '../src/engine/types.js';
import { KeyRing } from '../src/store/crypto/key-ring.js';
import { EncryptedStore } from '../src/store/encrypted.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';

const ORG = 'org_enc_bench' as OrgId;
const TASKS = 3000;
const BATCH = 100;
const PROFILE_WRITES = 400;

export interface EncryptionOverhead {
  /** mutations/s, median of the rounds. */
  push: { bare: number; encrypted: number };
  /** profile writes/s (user row + log entry + activity), median of the rounds. */
  profile: { bare: number; encrypted: number };
}

async function openStore(dir: string, encrypted: boolean): Promise<Store> {
  const bare = new SqliteStore({ dataDir: dir, synchronous: 'NORMAL' });
  if (!encrypted) return bare;
  const ring = new KeyRing([{ id: 'bench', key: randomBytes(32) }]);
  return EncryptedStore.open(bare, ring);
}

async function round(dir: string, encrypted: boolean) {
  const engine = new Engine({ store: await openStore(dir, encrypted) });
  try {
    const user = await engine.upsertUser({
      externalId: 'ext_bench',
      email: 'bench@example.com',
      name: 'Bench',
      orgId: ORG,
      role: 'admin',
    });
    const clientId = newClientId();
    const actor: Actor = {
      user,
      orgId: ORG,
      role: 'admin',
      requestId: 'bench',
      clientId,
      via: 'session',
    };
    const clock = new HybridLogicalClock(clientId);
    const projectId = newEntityId();
    let id = 1;
    const push = (mutations: Mutation[]) =>
      engine.push(actor, { protocolVersion: PROTOCOL_VERSION, clientId, mutations });
    await push([
      {
        type: 'project.create',
        id: id++,
        hlc: clock.now(),
        entityId: projectId,
        fields: { name: 'Bench', description: '', status: 'active', ownerId: user.id },
      } as Mutation,
    ]);
    let t = performance.now();
    for (let done = 0; done < TASKS; done += BATCH) {
      const mutations = Array.from(
        { length: BATCH },
        (_, i) =>
          ({
            type: 'task.create',
            id: id++,
            hlc: clock.now(),
            entityId: newEntityId(),
            fields: {
              projectId,
              title: `Task ${done + i}`,
              notes: 'Bench notes '.repeat(4),
              status: 'todo',
              assigneeId: null,
              dueDate: null,
            },
          }) as Mutation,
      );
      await push(mutations);
    }
    const push100 = TASKS / ((performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < PROFILE_WRITES; i++)
      await engine.upsertUser({
        externalId: 'ext_bench',
        email: `bench${i}@example.com`,
        name: `Bench ${i}`,
        orgId: ORG,
        role: 'admin',
      });
    const profile = PROFILE_WRITES / ((performance.now() - t) / 1000);
    return { push: push100, profile };
  } finally {
    await engine.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measureEncryptionOverhead(): Promise<EncryptionOverhead> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-enc-bench-'));
  try {
    const runs: Record<'bare' | 'encrypted', { push: number; profile: number }[]> = {
      bare: [],
      encrypted: [],
    };
    for (let i = 0; i < 3; i++)
      for (const mode of ['bare', 'encrypted'] as const)
        runs[mode].push(await round(path.join(root, `${mode}-${i}`), mode === 'encrypted'));
    const pick = (mode: 'bare' | 'encrypted', k: 'push' | 'profile') =>
      median(runs[mode].map((r) => r[k]));
    return {
      push: { bare: pick('bare', 'push'), encrypted: pick('encrypted', 'push') },
      profile: { bare: pick('bare', 'profile'), encrypted: pick('encrypted', 'profile') },
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

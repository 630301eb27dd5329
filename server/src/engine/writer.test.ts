import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EMPTY_RECORD,
  applyDelete,
  applyWrite,
  newEntityId,
  type ClientId,
  type HlcString,
  type OrgId,
  type WriteResult,
} from '@outpost/shared';
import { SqliteStore } from '../store/sqlite.js';
import type { StoredRow } from '../store/types.js';
import { recordState } from './rows.js';
import { TxWriter, type Attribution } from './writer.js';

const ORG = 'org_writer' as OrgId;
const WHO: Attribution = { actorId: null, requestId: 'req-1', clientId: null, mutationId: null };
const hlc = (wall: number, node = 'a'): HlcString =>
  `${String(wall).padStart(15, '0')}-00000-${node}` as HlcString;
const ID = newEntityId();

let dir: string;
let store: SqliteStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-writer-'));
  store = new SqliteStore({ dataDir: dir });
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs one recordWrite in its own transaction; returns what it wrote and the log it appended. */
async function record(
  write: (prev: StoredRow | null) => WriteResult,
  reason: string | null = null,
  who: Attribution = WHO,
) {
  const before = await store.head(ORG);
  const written = await store.transact(async (tx) => {
    const w = new TxWriter(tx, ORG, '2026-11-30T12:00:00.000Z');
    const prev = await w.getRow(ID);
    return w.recordWrite(who, 'project', ID, prev, write(prev), reason);
  });
  const log = await store.changes(ORG, before, 100);
  // Activities are their own stream since the log keeps one entry per row.
  const audit = await store.activities(ORG, { afterSeq: before, limit: 100 });
  return {
    written,
    rows: log.filter((c) => c.entity === 'project'),
    activities: audit.map((c) => c.row),
  };
}

const state = (prev: StoredRow | null) => (prev ? recordState(prev) : EMPTY_RECORD);

describe('TxWriter.recordWrite', () => {
  it('writes a new row and records a create activity with every field', async () => {
    const r = await record(() =>
      applyWrite(EMPTY_RECORD, { fields: { name: 'Base camp' }, hlc: hlc(1) }),
    );
    expect(r.written).toMatchObject({ id: ID, orgId: ORG, name: 'Base camp' });
    expect(r.rows).toHaveLength(1);
    expect(r.activities).toMatchObject([
      {
        action: 'create',
        entity: 'project',
        entityId: ID,
        changes: [{ field: 'name', to: 'Base camp' }],
      },
    ]);
  });

  it('records an overwrite of an unseen value as an update plus a conflict', async () => {
    await record(() => applyWrite(EMPTY_RECORD, { fields: { name: 'A' }, hlc: hlc(1) }));
    await record((prev) => applyWrite(state(prev), { fields: { name: 'B' }, hlc: hlc(2, 'b') }));
    const r = await record((prev) =>
      applyWrite(state(prev), { fields: { name: 'C' }, hlc: hlc(3), base: { name: hlc(1) } }),
    );
    expect(r.activities.map((a) => a['action'])).toEqual(['update', 'conflict']);
    expect(r.activities[0]).toMatchObject({ changes: [{ field: 'name', from: 'B', to: 'C' }] });
    expect(r.activities[1]).toMatchObject({ changes: [{ field: 'name', lost: 'B', to: 'C' }] });
  });

  it('records a losing write as a conflict only, without writing the row', async () => {
    await record(() => applyWrite(EMPTY_RECORD, { fields: { name: 'A' }, hlc: hlc(5) }));
    const r = await record((prev) =>
      applyWrite(state(prev), { fields: { name: 'old' }, hlc: hlc(4) }),
    );
    expect(r.written).toBeNull();
    expect(r.rows).toEqual([]);
    expect(r.activities).toMatchObject([
      { action: 'conflict', changes: [{ field: 'name', lost: 'old' }] },
    ]);
  });

  it('names both sides of a conflict: the user and device whose value was kept and whose was lost', async () => {
    const [userA, userB] = [newEntityId(), newEntityId()];
    const [clientA, clientB] = [randomUUID() as ClientId, randomUUID() as ClientId];
    await store.transact(async (tx) => {
      await tx.putClient({
        clientId: clientA,
        userId: userA,
        orgId: ORG,
        externalId: null,
        lastMutationId: 0,
      });
      await tx.putClient({
        clientId: clientB,
        userId: userB,
        orgId: ORG,
        externalId: null,
        lastMutationId: 0,
      });
    });
    const a: Attribution = { ...WHO, actorId: userA, clientId: clientA, mutationId: 1 };
    const b: Attribution = { ...WHO, actorId: userB, clientId: clientB, mutationId: 1 };
    await record(
      () => applyWrite(EMPTY_RECORD, { fields: { name: 'Launch' }, hlc: hlc(1, clientA) }),
      null,
      a,
    );
    // B's later write over a value it never saw: B wins, A's value lost.
    const won = await record(
      (prev) =>
        applyWrite(state(prev), {
          fields: { name: 'Launch v2' },
          hlc: hlc(3, clientB),
          base: { name: null },
        }),
      null,
      b,
    );
    expect(won.activities[1]).toMatchObject({
      action: 'conflict',
      changes: [
        {
          field: 'name',
          lost: 'Launch',
          to: 'Launch v2',
          winner: { userId: userB, clientId: clientB },
          loser: { userId: userA, clientId: clientA },
        },
      ],
    });
    // A's older write arrives late: A loses, B (stored) is named as the winner.
    const lost = await record(
      (prev) => applyWrite(state(prev), { fields: { name: 'Launch!' }, hlc: hlc(2, clientA) }),
      null,
      { ...a, mutationId: 2 },
    );
    expect(lost.activities).toMatchObject([
      {
        action: 'conflict',
        changes: [
          {
            field: 'name',
            lost: 'Launch!',
            to: 'Launch v2',
            winner: { userId: userB, clientId: clientB },
            loser: { userId: userA, clientId: clientA },
          },
        ],
      },
    ]);
    // A server stamp (REST write) names no device.
    const rest = await record(
      (prev) => applyWrite(state(prev), { fields: { name: 'old' }, hlc: hlc(1, 'srv-x') }),
      null,
      { ...WHO, actorId: userA },
    );
    expect(rest.activities[0]!['changes']).toMatchObject([
      { loser: { userId: userA, clientId: null }, winner: { userId: userB, clientId: clientB } },
    ]);
  });

  it('records a delete with the name it had and its reason, and nothing at all for a replay', async () => {
    await record(() => applyWrite(EMPTY_RECORD, { fields: { name: 'A' }, hlc: hlc(1) }));
    const del = await record((prev) => applyDelete(state(prev), hlc(2)), 'its org was closed');
    expect(del.activities).toEqual([
      expect.objectContaining({
        action: 'delete',
        changes: [{ field: 'name', from: 'A' }],
        reason: 'its org was closed',
      }),
    ]);
    expect(del.rows[0]?.deleted).toBe(hlc(2));
    const replay = await record((prev) => applyDelete(state(prev), hlc(2)));
    expect(replay).toEqual({ written: null, rows: [], activities: [] });
  });
});

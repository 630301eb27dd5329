import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  newClientId,
  newEntityId,
  type EntityId,
  type HlcString,
  type OrgId,
} from '@outpost/shared';
import type { ActivityQuery, RowWrite, Store } from '../../src/store/types.js';

export interface StoreHarness {
  store: Store;
  /** Closes the store and removes whatever it created. */
  cleanup(): Promise<void>;
}

const hlc = (n: number, node = 'c1') =>
  `${String(1_763_856_000_000 + n).padStart(15, '0')}-00000-${node}` as HlcString;
const newOrg = () => `org_${randomUUID().slice(0, 8)}` as OrgId;

function taskRow(orgId: OrgId, id: string, title: string, extra: Partial<RowWrite> = {}): RowWrite {
  return {
    entity: 'task',
    id,
    orgId,
    data: {
      id,
      orgId,
      title,
      status: 'todo',
      projectId: 'p1',
      assigneeId: null,
      createdAt: '2026-11-23T00:00:00.000Z',
    },
    clocks: { title: hlc(1), status: hlc(1) },
    deleted: null,
    ...extra,
  };
}

class Boom extends Error {}

/**
 * The storage contract: every adapter must pass this suite unchanged (SQLite always, MongoDB
 * when MONGODB_TEST_URI is set). Each test works in its own fresh org, so adapters may share
 * one database across tests.
 */
export function storeContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;
    beforeAll(async () => {
      h = await open();
      store = h.store;
    });
    afterAll(async () => {
      await h?.cleanup();
    });

    it('assigns each org a strictly increasing, gap-free seq starting at 1', async () => {
      const org = newOrg();
      const other = newOrg();
      expect(await store.head(org)).toBe(0);
      const seqs: number[] = [];
      for (let i = 0; i < 5; i++) {
        seqs.push(await store.transact((tx) => tx.writeRow(taskRow(org, newEntityId(), `t${i}`))));
        // Another org's writes in between must not consume this org's numbers.
        await store.transact((tx) => tx.writeRow(taskRow(other, newEntityId(), 'x')));
      }
      const inOneTx = await store.transact(async (tx) => [
        await tx.writeRow(taskRow(org, newEntityId(), 'a')),
        await tx.writeRow(taskRow(org, newEntityId(), 'b')),
      ]);
      expect([...seqs, ...inOneTx]).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(await store.head(org)).toBe(7);
      expect(await store.head(other)).toBe(5);
    });

    it('keeps seq gap-free under concurrent transactions', async () => {
      const org = newOrg();
      const seqs = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.transact((tx) => tx.writeRow(taskRow(org, newEntityId(), `c${i}`))),
        ),
      );
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const log = await store.changes(org, 0, 100);
      expect(log.map((c) => c.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('rolls back everything, including the seq, when the transaction throws', async () => {
      const org = newOrg();
      const clientId = newClientId();
      const keep = newEntityId();
      await store.transact((tx) => tx.writeRow(taskRow(org, keep, 'kept')));
      const lost = newEntityId();
      await expect(
        store.transact(async (tx) => {
          await tx.writeRow(taskRow(org, lost, 'lost'));
          await tx.writeRow(taskRow(org, keep, 'overwritten'));
          await tx.putClient({
            clientId,
            userId: newEntityId(),
            orgId: org,
            externalId: null,
            lastMutationId: 9,
          });
          // Reads inside the transaction see its own writes.
          expect((await tx.getRow(lost))?.data['title']).toBe('lost');
          expect(await tx.head(org)).toBe(3);
          throw new Boom('abort');
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store.head(org)).toBe(1);
      expect(await store.getRow(lost)).toBeNull();
      expect((await store.getRow(keep))?.data['title']).toBe('kept');
      expect(await store.getClient(clientId)).toBeNull();
      expect((await store.changes(org, 0, 10)).map((c) => c.seq)).toEqual([1]);
      // The next commit takes the seq the aborted one would have used.
      expect(await store.transact((tx) => tx.writeRow(taskRow(org, newEntityId(), 'next')))).toBe(
        2,
      );
    });

    it('answers reads outside a transaction with committed data only, while one is open too', async () => {
      const org = newOrg();
      const clientId = newClientId();
      const userId = newEntityId();
      const kept = newEntityId();
      await store.transact((tx) => tx.writeRow(taskRow(org, kept, 'committed')));
      const activity = (id: string): RowWrite => ({
        entity: 'activity',
        id,
        orgId: org,
        data: { id, orgId: org, createdAt: new Date().toISOString(), action: 'update' },
        clocks: {},
        deleted: null,
      });
      const since = new Date(Date.now() - 60_000).toISOString();
      const seen = () =>
        Promise.all([
          store.getRow(kept).then((r) => r?.data['title']),
          store.listRows({ orgId: org, entity: 'task', filter: {}, afterId: null, limit: 10 }),
          store.head(org),
          store.getClient(clientId),
          store.activityWindowStart(org, { newest: 10, since }),
        ]);
      const fresh = newEntityId();
      await store.transact(async (tx) => {
        await tx.writeRow(taskRow(org, kept, 'uncommitted'));
        await tx.writeRow(taskRow(org, fresh, 'uncommitted'));
        await tx.appendActivity(activity(newEntityId()));
        await tx.putClient({ clientId, userId, orgId: org, externalId: null, lastMutationId: 3 });
        // The store's own reads, in the middle of its open transaction.
        const [title, rows, head, client, windowStart] = await seen();
        expect(title).toBe('committed');
        expect(rows.map((r) => r.id)).toEqual([kept]);
        expect(head).toBe(1);
        expect(client).toBeNull();
        expect(windowStart).toBeNull();
      });
      const [title, rows, head, client, windowStart] = await seen();
      expect(title).toBe('uncommitted');
      expect(rows.map((r) => r.id).sort()).toEqual([kept, fresh].sort());
      expect(head).toBe(4);
      expect(client?.lastMutationId).toBe(3);
      expect(windowStart).toBe(4);
    });

    it('stores per-client progress bound to a user, their identity and an org', async () => {
      const org = newOrg();
      const clientId = newClientId();
      const userId = newEntityId();
      expect(await store.getClient(clientId)).toBeNull();
      // As a record written before the identity was kept reads back.
      await store.transact((tx) =>
        tx.putClient({ clientId, userId, orgId: org, externalId: null, lastMutationId: 0 }),
      );
      expect((await store.getClient(clientId))?.externalId).toBeNull();
      await store.transact((tx) =>
        tx.putClient({ clientId, userId, orgId: org, externalId: 'user_ext', lastMutationId: 42 }),
      );
      expect(await store.getClient(clientId)).toEqual({
        clientId,
        userId,
        orgId: org,
        externalId: 'user_ext',
        lastMutationId: 42,
      });
    });

    it('round-trips rows with per-field clocks and tombstones, versioned by their last seq', async () => {
      const org = newOrg();
      const id = newEntityId();
      const row = taskRow(org, id, 'Draft', {
        clocks: { title: hlc(5, 'a'), status: hlc(3, 'b') },
      });
      const v1 = await store.transact((tx) => tx.writeRow(row));
      const got = await store.getRow(id);
      expect(got).toEqual({ ...row, data: { ...row.data, version: v1 }, version: v1 });

      const v2 = await store.transact((tx) =>
        tx.writeRow({
          ...row,
          data: { ...row.data, title: 'Final' },
          clocks: { ...row.clocks, title: hlc(9, 'a') },
          deleted: hlc(10, 'b'),
        }),
      );
      const after = await store.getRow(id);
      expect(after).toMatchObject({
        version: v2,
        deleted: hlc(10, 'b'),
        clocks: { title: hlc(9, 'a'), status: hlc(3, 'b') },
      });
      expect(after?.data).toMatchObject({ title: 'Final', version: v2 });

      // One entry per row: the first write's entry went when the second was appended.
      const log = await store.changes(org, 0, 10);
      expect(log).toEqual([
        {
          seq: v2,
          entity: 'task',
          entityId: id,
          row: { ...row.data, title: 'Final', version: v2 },
          clocks: { title: hlc(9, 'a'), status: hlc(3, 'b') },
          deleted: hlc(10, 'b'),
        },
      ]);
    });

    it("reads a live row's version alone: a new one after each write, none for a tombstone", async () => {
      const org = newOrg();
      const id = newEntityId();
      expect(await store.liveVersion(id)).toBeNull();
      const row = taskRow(org, id, 'Draft');
      const v1 = await store.transact((tx) => tx.writeRow(row));
      expect(await store.liveVersion(id)).toBe(v1);
      const v2 = await store.transact((tx) =>
        tx.writeRow({ ...row, data: { ...row.data, title: 'Final' } }),
      );
      expect(v2).toBeGreaterThan(v1);
      expect(await store.liveVersion(id)).toBe(v2);
      await store.transact((tx) => tx.writeRow({ ...row, deleted: hlc(10, 'b') }));
      expect(await store.liveVersion(id)).toBeNull();
    });

    it('keeps one log entry per row: after 10 edits to each of N rows a pull from 0 returns N', async () => {
      const org = newOrg();
      const N = 25;
      const ids = Array.from({ length: N }, () => newEntityId());
      let last = new Map<string, number>();
      for (let edit = 0; edit < 10; edit++) {
        last = new Map();
        for (const id of ids) {
          last.set(id, await store.transact((tx) => tx.writeRow(taskRow(org, id, `edit ${edit}`))));
        }
      }
      expect(await store.head(org)).toBe(10 * N);
      const log = await store.changes(org, 0, 1000);
      expect(log).toHaveLength(N);
      // Each row sits at the seq of its last write, with its last state.
      for (const c of log) {
        expect(c.seq).toBe(last.get(c.entityId));
        expect(c.row['title']).toBe('edit 9');
      }
      expect(log.map((c) => c.seq)).toEqual([...log.map((c) => c.seq)].sort((a, b) => a - b));
    });

    it('counts the log entries a pull has left between a cursor and the head', async () => {
      const org = newOrg();
      const [a, b, c] = [newEntityId(), newEntityId(), newEntityId()];
      for (const id of [a, b, c]) await store.transact((tx) => tx.writeRow(taskRow(org, id, 'v1')));
      expect(await store.countChanges(org, 0, 3)).toBe(3);
      expect(await store.countChanges(org, 1, 3)).toBe(2);
      expect(await store.countChanges(org, 0, 2)).toBe(2);
      // A rewrite moves the row's one entry: still three rows in all, one of them past seq 3.
      await store.transact((tx) => tx.writeRow(taskRow(org, a, 'v2')));
      expect(await store.countChanges(org, 0, 4)).toBe(3);
      expect(await store.countChanges(org, 3, 4)).toBe(1);
      expect(await store.countChanges(newOrg(), 0, 10)).toBe(0);
    });

    it('leaves out tombstones at or below liveThrough, in pages and in counts', async () => {
      const org = newOrg();
      const [a, b, c, d] = [newEntityId(), newEntityId(), newEntityId(), newEntityId()];
      for (const id of [a, b, c, d])
        await store.transact((tx) => tx.writeRow(taskRow(org, id, 'v1')));
      // b is deleted at seq 5, then c at seq 6.
      for (const [id, at] of [
        [b, 11],
        [c, 12],
      ] as const)
        await store.transact((tx) =>
          tx.writeRow(taskRow(org, id, 'v1', { deleted: hlc(at, 'a') })),
        );
      const ids = async (after: number, through?: number) =>
        (await store.changes(org, after, 10, through)).map((x) => x.entityId);
      expect(await ids(0)).toEqual([a, d, b, c]);
      expect(await ids(0, 5)).toEqual([a, d, c]);
      expect(await ids(0, 6)).toEqual([a, d]);
      // Only tombstones: a live row's entry is sent whatever the bound.
      expect(await ids(1, 100)).toEqual([d]);
      expect(await store.countChanges(org, 0, 6)).toBe(4);
      expect(await store.countChanges(org, 0, 6, 5)).toBe(3);
      expect(await store.countChanges(org, 0, 6, 6)).toBe(2);
      expect(await store.countChanges(org, 2, 6, 6)).toBe(1);
    });

    it('moves a rewritten row past any cursor that saw its old entry, never skipping it', async () => {
      const org = newOrg();
      const [a, b, c] = [newEntityId(), newEntityId(), newEntityId()];
      for (const id of [a, b, c]) await store.transact((tx) => tx.writeRow(taskRow(org, id, 'v1')));
      const firstPage = await store.changes(org, 0, 2);
      expect(firstPage.map((x) => x.entityId)).toEqual([a, b]);
      // b (already seen) and c (not yet seen) are rewritten in one transaction.
      await store.transact(async (tx) => {
        await tx.writeRow(taskRow(org, c, 'v2'));
        await tx.writeRow(taskRow(org, b, 'v2'));
      });
      const rest = await store.changes(org, firstPage.at(-1)!.seq, 10);
      expect(rest.map((x) => [x.entityId, x.row['title'], x.seq])).toEqual([
        [c, 'v2', 4],
        [b, 'v2', 5],
      ]);
    });

    it("appends activities to their own stream, in the org's seq space, outside the log", async () => {
      const org = newOrg();
      const id = newEntityId();
      const rowSeq = await store.transact((tx) => tx.writeRow(taskRow(org, newEntityId(), 'row')));
      const logSeq = await store.transact((tx) =>
        tx.appendActivity({
          entity: 'activity',
          id,
          orgId: org,
          data: { id, orgId: org, action: 'create' },
          clocks: {},
          deleted: null,
        }),
      );
      expect([rowSeq, logSeq]).toEqual([1, 2]);
      expect(await store.getRow(id)).toBeNull();
      expect((await store.changes(org, 0, 10)).map((c) => c.entity)).toEqual(['task']);
      expect(await store.activities(org, { afterSeq: 0, limit: 10 })).toEqual([
        {
          seq: 2,
          entity: 'activity',
          entityId: id,
          row: { id, orgId: org, action: 'create', version: 2 },
          clocks: {},
          deleted: null,
        },
      ]);
    });

    it('queries activities forward, backward, by client and action, by row, and finds the window start', async () => {
      const org = newOrg();
      const mine = newClientId();
      const subject = newEntityId();
      const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T00:00:00.000Z`;
      const seqs: number[] = [];
      for (let d = 1; d <= 10; d++) {
        const id = newEntityId();
        seqs.push(
          await store.transact((tx) =>
            tx.appendActivity({
              entity: 'activity',
              id,
              orgId: org,
              data: {
                id,
                orgId: org,
                createdAt: day(d),
                action: d % 3 === 0 ? 'conflict' : 'update',
                clientId: d % 2 === 0 ? mine : null,
                entityId: d % 2 === 0 ? subject : d === 5 ? null : newEntityId(),
              },
              clocks: {},
              deleted: null,
            }),
          ),
        );
      }
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const fwd = await store.activities(org, { afterSeq: 3, limit: 3 });
      expect(fwd.map((a) => a.seq)).toEqual([4, 5, 6]);
      const back = await store.activities(org, { beforeSeq: 8, limit: 3 });
      expect(back.map((a) => a.seq)).toEqual([7, 6, 5]);
      // Both bounds: oldest first, the limit keeps the oldest (a pull page's window).
      const between = await store.activities(org, { afterSeq: 3, beforeSeq: 9, limit: 4 });
      expect(between.map((a) => a.seq)).toEqual([4, 5, 6, 7]);
      const own = await store.activities(org, {
        afterSeq: 0,
        beforeSeq: 10,
        clientId: mine,
        actions: ['conflict'],
        limit: 10,
      });
      expect(own.map((a) => a.seq)).toEqual([6]);
      // One row's history, paged either way; the same id in another org is not this org's.
      const elsewhere = newOrg();
      await store.transact((tx) =>
        tx.appendActivity({
          entity: 'activity',
          id: newEntityId(),
          orgId: elsewhere,
          data: { orgId: elsewhere, createdAt: day(1), action: 'update', entityId: subject },
          clocks: {},
          deleted: null,
        }),
      );
      const history = (q: Partial<ActivityQuery>) =>
        store.activities(org, { entityId: subject, limit: 10, ...q });
      expect((await history({ beforeSeq: 11, limit: 2 })).map((a) => a.seq)).toEqual([10, 8]);
      expect((await history({ beforeSeq: 8 })).map((a) => a.seq)).toEqual([6, 4, 2]);
      expect((await history({ afterSeq: 0 })).map((a) => a.seq)).toEqual([2, 4, 6, 8, 10]);
      expect(await history({ entityId: newEntityId(), beforeSeq: 11 })).toEqual([]);
      expect(
        (await store.activities(elsewhere, { entityId: subject, beforeSeq: 99, limit: 10 })).length,
      ).toBe(1);
      // Newest 4 → from seq 7; since day 9 → from seq 9; both apply.
      expect(await store.activityWindowStart(org, { newest: 4, since: day(1) })).toBe(7);
      expect(await store.activityWindowStart(org, { newest: 4, since: day(9) })).toBe(9);
      expect(await store.activityWindowStart(org, { newest: 100, since: day(1) })).toBe(1);
      expect(await store.activityWindowStart(org, { newest: 4, since: day(11) })).toBeNull();
      expect(await store.activityWindowStart(newOrg(), { newest: 4, since: day(1) })).toBeNull();

      expect(await store.purgeActivities(day(4))).toBeGreaterThanOrEqual(3);
      expect((await store.activities(org, { afterSeq: 0, limit: 20 })).map((a) => a.seq)).toEqual([
        4, 5, 6, 7, 8, 9, 10,
      ]);
    });

    it('purges old tombstones with their rows, raises the purge horizon, keeps the rest', async () => {
      const org = newOrg();
      const at = (d: number) => `2026-10-${String(d).padStart(2, '0')}T00:00:00.000Z`;
      const write = (id: string, d: number, deleted: HlcString | null) =>
        store.transact((tx) =>
          tx.writeRow({
            ...taskRow(org, id, `t ${d}`),
            data: { ...taskRow(org, id, '').data, title: `t ${d}`, updatedAt: at(d) },
            deleted,
          }),
        );
      const [oldDead, newDead, oldLive, revived] = [
        newEntityId(),
        newEntityId(),
        newEntityId(),
        newEntityId(),
      ];
      await write(oldDead, 1, hlc(1));
      const oldDeadSeq = (await store.getRow(oldDead))!.version;
      await write(newDead, 20, hlc(2));
      await write(oldLive, 1, null);
      await write(revived, 1, hlc(3));
      // A tombstoned row written again recently (a late edit merged into it) is not old.
      await write(revived, 25, hlc(3));
      // A removed member's row: its purge keeps who they were (`purgedMember`).
      const removed = newEntityId();
      await store.transact((tx) =>
        tx.writeRow({
          entity: 'user',
          id: removed,
          orgId: org,
          data: { id: removed, orgId: org, externalId: 'user_gone', name: 'Gus', updatedAt: at(2) },
          clocks: {},
          deleted: hlc(4),
        }),
      );
      // The horizon is the highest seq purged: the user's, written after the task.
      const removedSeq = (await store.getRow(removed))!.version;
      expect(removedSeq).toBeGreaterThan(oldDeadSeq);
      expect(await store.purgedMember(org, 'user_gone')).toBe(false);
      expect(await store.purgeHorizon(org)).toBe(0);

      expect(await store.purgeTombstones(at(10))).toBeGreaterThanOrEqual(1);
      expect(await store.getRow(oldDead)).toBeNull();
      expect(await store.getRow(newDead)).not.toBeNull();
      expect(await store.getRow(oldLive)).not.toBeNull();
      expect(await store.getRow(revived)).not.toBeNull();
      expect((await store.changes(org, 0, 10)).map((c) => c.entityId).sort()).toEqual(
        [newDead, oldLive, revived].sort(),
      );
      expect(await store.purgeHorizon(org)).toBe(removedSeq);
      // The purged id stays taken (ids are never reused); the others were never purged.
      expect(await store.purgedRow(oldDead)).toEqual({ orgId: org, entity: 'task' });
      expect(await store.transact((tx) => tx.purgedRow(oldDead))).toEqual({
        orgId: org,
        entity: 'task',
      });
      expect(await store.purgedRow(newDead)).toBeNull();
      expect(await store.purgedRow(oldLive)).toBeNull();
      expect(await store.getRow(removed)).toBeNull();
      expect(await store.purgedRow(removed)).toEqual({ orgId: org, entity: 'user' });
      expect(await store.purgedMember(org, 'user_gone')).toBe(true);
      expect(await store.transact((tx) => tx.purgedMember(org, 'user_gone'))).toBe(true);
      expect(await store.purgedMember(newOrg(), 'user_gone')).toBe(false);
      expect(await store.purgedMember(org, 'user_other')).toBe(false);
      // Idempotent: a second pass finds nothing more of this org.
      await store.purgeTombstones(at(10));
      expect(await store.purgeHorizon(org)).toBe(removedSeq);
      const bytes = await store.storageBytes();
      expect(bytes.used).toBeGreaterThan(0);
      expect(bytes.total).toBeGreaterThan(0);
    });

    it('pages the change log by seq', async () => {
      const org = newOrg();
      for (let i = 0; i < 7; i++)
        await store.transact((tx) => tx.writeRow(taskRow(org, newEntityId(), `t${i}`)));
      const page1 = await store.changes(org, 0, 3);
      const page2 = await store.changes(org, 3, 3);
      const page3 = await store.changes(org, 6, 3);
      expect(page1.map((c) => c.seq)).toEqual([1, 2, 3]);
      expect(page2.map((c) => c.seq)).toEqual([4, 5, 6]);
      expect(page3.map((c) => c.seq)).toEqual([7]);
      expect(page3[0]?.row['title']).toBe('t6');
      expect(await store.changes(org, 7, 3)).toEqual([]);
    });

    it('lists rows with equality filters and id-cursor pagination, excluding tombstones', async () => {
      const org = newOrg();
      const ids: EntityId[] = [];
      for (let i = 0; i < 6; i++) {
        const id = newEntityId();
        ids.push(id);
        await store.transact((tx) =>
          tx.writeRow({
            ...taskRow(org, id, `t${i}`),
            data: {
              ...taskRow(org, id, '').data,
              title: `t${i}`,
              status: i % 2 ? 'done' : 'todo',
              assigneeId: i === 0 ? null : 'u1',
            },
            deleted: i === 4 ? hlc(99) : null,
          }),
        );
      }
      const sorted = [...ids].sort();
      const all = await store.listRows({
        orgId: org,
        entity: 'task',
        filter: {},
        afterId: null,
        limit: 100,
      });
      expect(all.map((r) => r.id)).toEqual(sorted.filter((id) => id !== ids[4]));
      const withDeleted = await store.listRows({
        orgId: org,
        entity: 'task',
        filter: {},
        afterId: null,
        limit: 100,
        includeDeleted: true,
      });
      expect(withDeleted).toHaveLength(6);

      const todo = await store.listRows({
        orgId: org,
        entity: 'task',
        filter: { status: 'todo' },
        afterId: null,
        limit: 100,
      });
      expect(todo.map((r) => r.data['title']).sort()).toEqual(['t0', 't2']);
      const unassigned = await store.listRows({
        orgId: org,
        entity: 'task',
        filter: { assigneeId: null },
        afterId: null,
        limit: 100,
      });
      expect(unassigned.map((r) => r.data['title'])).toEqual(['t0']);
      const both = await store.listRows({
        orgId: org,
        entity: 'task',
        filter: { status: 'done', assigneeId: 'u1' },
        afterId: null,
        limit: 100,
      });
      expect(both.map((r) => r.data['title']).sort()).toEqual(['t1', 't3', 't5']);

      const p1 = await store.listRows({
        orgId: org,
        entity: 'task',
        filter: {},
        afterId: null,
        limit: 2,
      });
      const p2 = await store.listRows({
        orgId: org,
        entity: 'task',
        filter: {},
        afterId: p1.at(-1)!.id,
        limit: 2,
      });
      const p3 = await store.listRows({
        orgId: org,
        entity: 'task',
        filter: {},
        afterId: p2.at(-1)!.id,
        limit: 2,
      });
      expect([...p1, ...p2, ...p3].map((r) => r.id)).toEqual(all.map((r) => r.id));
      expect(
        await store.listRows({
          orgId: org,
          entity: 'project',
          filter: {},
          afterId: null,
          limit: 10,
        }),
      ).toEqual([]);
    });

    it('refuses filter field names that are not plain identifiers', async () => {
      await expect(
        store.listRows({
          orgId: newOrg(),
          entity: 'task',
          filter: { "title') OR 1=1 --": 'x' },
          afterId: null,
          limit: 1,
        }),
      ).rejects.toThrow(/Invalid filter field/);
    });

    it('creates, finds and revokes sync credentials', async () => {
      const org = newOrg();
      const userId = newEntityId();
      const clientId = newClientId();
      const base = {
        secretHash: 'h'.repeat(64),
        userId,
        orgId: org,
        clientId,
        createdAt: '2026-11-23T00:00:00.000Z',
        expiresAt: '2026-12-23T00:00:00.000Z',
        revokedAt: null,
      };
      const a = { ...base, id: randomUUID() };
      const b = { ...base, id: randomUUID() };
      const c = { ...base, id: randomUUID(), clientId: newClientId() };
      await store.credentials.create(a);
      await store.credentials.create(b);
      await store.credentials.create(c);
      expect(await store.credentials.find(a.id)).toEqual(a);
      expect(await store.credentials.find(randomUUID())).toBeNull();
      expect(await store.credentials.revoke(a.id, '2026-11-24T00:00:00.000Z')).toBe(true);
      expect(await store.credentials.revoke(a.id, '2026-11-25T00:00:00.000Z')).toBe(false);
      expect((await store.credentials.find(a.id))?.revokedAt).toBe('2026-11-24T00:00:00.000Z');
      expect(
        await store.credentials.revokeForClient(userId, clientId, '2026-11-26T00:00:00.000Z'),
      ).toBe(1);
      expect((await store.credentials.find(b.id))?.revokedAt).toBe('2026-11-26T00:00:00.000Z');
      expect((await store.credentials.find(c.id))?.revokedAt).toBeNull();
    });

    it("revokes one member's credentials in one org only", async () => {
      const org = newOrg();
      const other = newOrg();
      const userId = newEntityId();
      const cred = (orgId: OrgId, uid: EntityId) => ({
        id: randomUUID(),
        secretHash: 'h'.repeat(64),
        userId: uid,
        orgId,
        clientId: newClientId(),
        createdAt: '2026-11-23T00:00:00.000Z',
        expiresAt: '2026-12-23T00:00:00.000Z',
        revokedAt: null,
      });
      const mine = [cred(org, userId), cred(org, userId)];
      const elsewhere = cred(other, userId);
      const someoneElse = cred(org, newEntityId());
      for (const c of [...mine, elsewhere, someoneElse]) await store.credentials.create(c);
      expect(await store.credentials.revokeForMember(userId, org, '2026-11-24T00:00:00.000Z')).toBe(
        2,
      );
      expect(await store.credentials.revokeForMember(userId, org, '2026-11-25T00:00:00.000Z')).toBe(
        0,
      );
      for (const c of mine)
        expect((await store.credentials.find(c.id))?.revokedAt).toBe('2026-11-24T00:00:00.000Z');
      expect((await store.credentials.find(elsewhere.id))?.revokedAt).toBeNull();
      expect((await store.credentials.find(someoneElse.id))?.revokedAt).toBeNull();
    });

    it('records a webhook id once (replays are recognised) and keeps last seen per member', async () => {
      const id = `msg_${randomUUID()}`;
      expect(await store.membership.webhookSeen(id)).toBe(false);
      const record = {
        id,
        type: 'user.updated',
        receivedAt: '2026-11-24T00:00:00.000Z',
        outcome: 'ok',
      };
      expect(await store.membership.recordWebhook(record)).toBe(true);
      expect(await store.membership.recordWebhook({ ...record, outcome: 'again' })).toBe(false);
      expect(await store.membership.webhookSeen(id)).toBe(true);
      expect(await store.membership.webhook(id)).toEqual(record);

      const org = newOrg();
      const [u1, u2] = [newEntityId(), newEntityId()];
      await store.membership.touch(org, u1, '2026-11-24T00:00:00.000Z');
      await store.membership.touch(org, u1, '2026-11-24T01:00:00.000Z');
      await store.membership.touch(org, u2, '2026-11-24T02:00:00.000Z');
      await store.membership.touch(newOrg(), u2, '2026-11-25T00:00:00.000Z');
      expect(await store.membership.lastSeen(org)).toEqual({
        [u1]: '2026-11-24T01:00:00.000Z',
        [u2]: '2026-11-24T02:00:00.000Z',
      });
    });

    it("finds a provider user's rows in every org, deleted ones included", async () => {
      const externalId = `user_${randomUUID()}`;
      const userRow = (orgId: OrgId, id: string, deleted: HlcString | null = null): RowWrite => ({
        entity: 'user',
        id,
        orgId,
        data: { id, orgId, externalId, email: 'a@example.com', name: 'A', role: 'member' },
        clocks: { email: hlc(1), name: hlc(1), role: hlc(1) },
        deleted,
      });
      const [a, b] = [newOrg(), newOrg()];
      const ids = [newEntityId(), newEntityId()].sort();
      await store.transact((tx) => tx.writeRow(userRow(a, ids[0]!)));
      await store.transact((tx) => tx.writeRow(userRow(b, ids[1]!, hlc(2))));
      const found = await store.membership.usersByExternalId(externalId);
      expect(found.map((r) => [r.orgId, r.deleted])).toEqual([
        [a, null],
        [b, hlc(2)],
      ]);
      expect(await store.membership.usersByExternalId(`user_${randomUUID()}`)).toEqual([]);
    });

    it('keeps orgs isolated: logs, heads and lists never cross', async () => {
      const a = newOrg();
      const b = newOrg();
      const idA = newEntityId();
      await store.transact((tx) => tx.writeRow(taskRow(a, idA, 'secret of A')));
      await store.transact((tx) => tx.writeRow(taskRow(b, newEntityId(), 'of B')));
      expect((await store.changes(b, 0, 10)).map((c) => c.row['title'])).toEqual(['of B']);
      expect(
        (
          await store.listRows({ orgId: b, entity: 'task', filter: {}, afterId: null, limit: 10 })
        ).map((r) => r.data['title']),
      ).toEqual(['of B']);
      expect(await store.head(b)).toBe(1);
      // Rows are keyed by globally unique id; the row says which org owns it.
      expect((await store.getRow(idA))?.orgId).toBe(a);
    });

    it('rewrites rows, change-log entries and activities through maintenance, then records the meta value', async () => {
      const org = newOrg();
      const id = newEntityId();
      const activityId = newEntityId();
      await store.transact(async (tx) => {
        await tx.writeRow(taskRow(org, id, 'before'));
        await tx.appendActivity({
          entity: 'activity',
          id: activityId,
          orgId: org,
          data: { id: activityId, orgId: org, action: 'update', reason: 'before' },
          clocks: {},
          deleted: null,
        });
      });
      const key = `contract-${randomUUID().slice(0, 8)}`;
      expect(await store.maintenance.getMeta(key)).toBeNull();
      const n = await store.maintenance.rewriteAll(
        (entity, data) => {
          if (data['orgId'] !== org) return null;
          if (entity === 'task') return { ...data, title: 'after' };
          if (entity === 'activity') return { ...data, reason: 'after' };
          return null;
        },
        { key, value: 'done' },
      );
      expect(n).toBe(3);
      expect((await store.getRow(id))?.data['title']).toBe('after');
      expect((await store.changes(org, 0, 10)).map((c) => c.row['title'])).toEqual(['after']);
      expect(
        (await store.activities(org, { afterSeq: 0, limit: 10 })).map((c) => c.row['reason']),
      ).toEqual(['after']);
      expect(await store.maintenance.getMeta(key)).toBe('done');
    });

    it('answers ping with a real query', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { orgIdSchema, type Change } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { databaseName, DB_SCHEMA_VERSION } from './db';
import { applyPullPage } from './mirror';
import { openReplica } from './replica';

const userId = '0190a0b0-0000-7000-8000-0000000000aa';
const orgId = orgIdSchema.parse('acme');

/** An activity log entry at `seq` (only what the page apply reads). */
function activity(seq: number): Change {
  const id = `0190a0b0-0000-7000-8000-${String(seq).padStart(12, '0')}`;
  const row = { id, version: seq, createdAt: '2026-12-01T00:00:00.000Z', entityId: id };
  return { seq, entity: 'activity', entityId: id, row, clocks: {}, deleted: null } as never;
}

const open = (indexedDB: IDBFactory) =>
  openReplica({ userId, orgId, indexedDB, IDBKeyRange, sentinel: null });

describe('activity window', () => {
  it('drops stored activities below a raised floor and keeps the rest, in a database upgraded from schema 1', async () => {
    const indexedDB = new IDBFactory();
    // A database written by schema 1 (activities not indexed by version) holding seqs 1..6.
    const v1 = new Dexie(databaseName(userId), { indexedDB, IDBKeyRange });
    v1.version(1).stores({ activities: 'id, createdAt, entityId, action' });
    await v1.table('activities').bulkPut([1, 2, 3, 4, 5, 6].map((s) => activity(s).row));
    v1.close();

    const replica = await open(indexedDB);
    expect(replica.db.verno).toBe(DB_SCHEMA_VERSION);
    const seqs = async () =>
      (await replica.db.activities.toArray()).map((a) => a.version).sort((a, b) => a - b);
    expect(await seqs()).toEqual([1, 2, 3, 4, 5, 6]);

    await applyPullPage(
      replica,
      { changes: [7, 8, 9].map(activity), cursor: 9, activityFloor: 5 },
      { reset: false, now: Date.now },
    );
    expect(await seqs()).toEqual([5, 6, 7, 8, 9]);
    // An entry below the page's own floor is not stored (the feed pages it from the server).
    await applyPullPage(
      replica,
      { changes: [activity(6), activity(10)], cursor: 10, activityFloor: 8 },
      { reset: false, now: Date.now },
    );
    expect(await seqs()).toEqual([8, 9, 10]);
    replica.close();
  });
});

import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { activitySchema, newClientId, type Activity } from '@outpost/shared';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { getMeta } from './meta';
import { memoryStorage, orgId, startOfflinePage } from './offline-page.test-kit';
import { openReplica } from './replica';
import type { KeyValueStorage } from './sentinel';

/** A page: the replica and a started client; the ids of the notices it shows. */
async function startPage(indexedDB: IDBFactory, sentinel: KeyValueStorage) {
  const page = await startOfflinePage(indexedDB, sentinel);
  return { ...page, ids: () => page.client.notices.getSnapshot().map((n) => n.id) };
}

const at = '2026-12-04T10:00:00.000Z';
function entry(version: number, fields: Partial<Activity>): Activity {
  return activitySchema.parse({
    id: uuidv7(),
    orgId: 'acme',
    createdAt: at,
    updatedAt: at,
    version,
    actorId: null,
    action: 'update',
    entity: 'task',
    entityId: uuidv7(),
    changes: [],
    reason: null,
    requestId: null,
    clientId: null,
    mutationId: null,
    ...fields,
  });
}

/** This device's title lost to Ben's, as a pull stores the audit entry. */
function lostTitle(version: number, clientId: string): Activity {
  return entry(version, {
    action: 'conflict',
    changes: [
      {
        field: 'title',
        lost: 'Launch',
        to: 'Launch v2',
        winner: { userId: null, clientId: newClientId() },
        loser: { userId: null, clientId: clientId as never },
      },
    ],
  });
}

describe('a conflict or refusal not answered yet outlives a reload', () => {
  it('is raised again at each start until answered; what was told before answers were kept is not', async () => {
    const indexedDB = new IDBFactory();
    const sentinel = memoryStorage();
    const first = await startPage(indexedDB, sentinel);
    const { clientId } = first.replica;
    // Told before this database kept answers (the cursor then was 10): never raised again.
    await first.replica.db.activities.put(lostTitle(4, clientId));
    // The first start marks from where answers are kept.
    expect(await getMeta(first.replica.db, 'noticesFrom')).toBe(0);
    first.close();
    const marking = await openReplica({ userId: 'u', orgId, indexedDB, IDBKeyRange, sentinel });
    await marking.db.meta.put({ key: 'noticesFrom', value: 10 });
    // Then pulled: a lost title of this device, another device's lost title, and a refusal.
    const mine = lostTitle(12, clientId);
    const theirs = lostTitle(13, newClientId());
    const refused = entry(14, {
      action: 'rejected',
      clientId,
      mutationId: 3,
      reason: 'Only admins can delete projects',
    });
    await marking.db.activities.bulkPut([mine, theirs, refused]);
    marking.close();

    // Reloaded: both of this device's are told again, nothing else.
    const told = [`conflict:${mine.id}:title`, `rejected:${clientId}:3`];
    const second = await startPage(indexedDB, sentinel);
    expect(second.ids()).toEqual(told);
    // Answered (in this tab): gone, and the next start has only the other to tell.
    second.client.notices.dismiss(told[0]!);
    await expect.poll(() => getMeta(second.replica.db, 'dismissedNotices')).toEqual([told[0]]);
    second.close();
    const third = await startPage(indexedDB, sentinel);
    expect(third.ids()).toEqual([told[1]]);
    third.close();
  });
});

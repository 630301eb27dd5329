import { afterEach } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { observeNativeWrites, OutpostDb } from '@outpost/sync';
import { nativeTaskWrites, writtenRowsMiddleware } from '../../src/data/written-rows';

/**
 * Opens replica databases as the app does (with the written-rows middleware and the native
 * writes' observer), each deleted after the test that opened it. Call at a test file's top.
 * (fake-indexeddb must be loaded before Dexie: import 'fake-indexeddb/auto' first.)
 */
export function appDatabases(): (name?: string) => Promise<OutpostDb> {
  const dbs: OutpostDb[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.delete();
  });
  return async (name = `written-${uuidv7()}`) => {
    const db = new OutpostDb(name, {
      addons: [
        (d) => {
          d.use(writtenRowsMiddleware);
          observeNativeWrites(d, nativeTaskWrites(d));
        },
      ],
    });
    dbs.push(db);
    await db.open();
    return db;
  };
}

import { expect, test, type Page } from '@playwright/test';
import { newPhone, orgFor, person, signIn } from './helpers';

declare global {
  interface Window {
    /** The old version's connection the test holds open (see `holdOlderVersion`). */
    heldOpen?: IDBDatabase;
  }
}

/**
 * What an old build's tab (or a devtools snippet) does: the replica's database held open at
 * version 3 (Dexie's × 10 = 30), below the app's, with no `versionchange` handler, so it never
 * lets go when a newer open asks. The page's own app lets go of the database when it is deleted
 * (as at sign-out elsewhere); its sentinel goes too, so the app does not take the recreated
 * database for an evicted one.
 */
async function holdOlderVersion(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const [info] = (await indexedDB.databases()).filter((d) => d.name?.startsWith('outpost-'));
    const name = info!.name!;
    localStorage.removeItem(`outpost-replica:${name.slice('outpost-'.length)}`);
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
    });
    window.heldOpen = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, 30);
      // Version 3's stores and indexes (client/src/sync/db.ts).
      req.onupgradeneeded = () => {
        const db = req.result;
        const store = (
          table: string,
          options: IDBObjectStoreParameters,
          indexes: [string, string | string[], boolean?][] = [],
        ) => {
          const s = db.createObjectStore(table, options);
          for (const [index, keyPath, multiEntry] of indexes)
            s.createIndex(index, keyPath, { multiEntry: multiEntry ?? false });
        };
        store('users', { keyPath: 'id' }, [['role', 'role']]);
        store('projects', { keyPath: 'id' }, [
          ['status', 'status'],
          ['ownerId', 'ownerId'],
          ['updatedAt', 'updatedAt'],
        ]);
        store('tasks', { keyPath: 'id' }, [
          ['projectId', 'projectId'],
          ['status', 'status'],
          ['assigneeId', 'assigneeId'],
          ['[projectId+status]', ['projectId', 'status']],
          ['updatedAt', 'updatedAt'],
        ]);
        store('activities', { keyPath: 'id' }, [
          ['createdAt', 'createdAt'],
          ['entityId', 'entityId'],
          ['action', 'action'],
          ['version', 'version'],
        ]);
        store('base', { keyPath: ['entity', 'id'] });
        store('writes', { keyPath: 'seq', autoIncrement: true }, [
          ['last', 'last'],
          ['open', 'open'],
          ['entityIds', 'entityIds', true],
          ['extra', 'extra'],
        ]);
        store('meta', { keyPath: 'key' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  });
}

test('a tab holding the database at an older version: the workspace says so, then opens when it closes', async ({
  browser,
}) => {
  const { context, page: oldTab } = await newPhone(browser);
  await signIn(oldTab, person('Ana', orgFor('blocked open'), 'admin'));
  await holdOlderVersion(oldTab);

  const page = await context.newPage();
  await page.goto('/');
  const waiting = page.getByRole('status').filter({ hasText: 'Waiting for another tab' });
  await expect(waiting).toContainText('Outpost is open in another tab with an older version.');
  await expect(waiting).toContainText('Close that tab (or reload it) to continue.');
  await expect(page.getByRole('status', { name: 'Opening your workspace' })).toHaveCount(0);

  // The old connection goes: the upgrade runs and the workspace opens, no reload.
  await oldTab.evaluate(() => window.heldOpen!.close());
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(waiting).toHaveCount(0);
  await context.close();
});

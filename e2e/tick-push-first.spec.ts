import { expect, test } from '@playwright/test';
import {
  expectSynced,
  newPhone,
  openProject,
  orgFor,
  person,
  seedProject,
  signIn,
} from './helpers';

/**
 * Logs, in every page of the context, each IndexedDB transaction opened (its mode) and each
 * push frame sent on the sync socket, in order (`window.pushLog`). Installed before the app
 * loads, so Dexie's transactions go through the wrapper.
 */
const LOG = () => {
  const w = window as unknown as { pushLog: string[] };
  w.pushLog = [];
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: unknown[]) {
    const tx = (transaction as (...a: unknown[]) => IDBTransaction).apply(this, args);
    w.pushLog.push(tx.mode);
    return tx;
  } as typeof transaction;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (typeof data === 'string' && data.startsWith('{"type":"push"')) w.pushLog.push('push');
      super.send(data);
    }
  };
};

test("a tick's push leaves at its commit, before the live queries it touched read again", async ({
  browser,
  baseURL,
}) => {
  const ada = person('Ada', orgFor('tick-push-first'), 'admin');
  await seedProject(baseURL!, ada, 'Launch', ['First', 'Second', 'Third']);
  const { context, page } = await newPhone(browser);
  await context.addInitScript(LOG);
  await signIn(page, ada);
  await openProject(page, 'Launch');
  // A first tick: the push lane learns where the outbox stands from its answer, so the next
  // push goes from memory (no outbox read of its own before it).
  await page.getByRole('checkbox', { name: 'Complete “First”' }).click();
  await expectSynced(page);
  await expect(page.getByText('To do (2)', { exact: true })).toBeVisible();

  await page.evaluate(() => ((window as unknown as { pushLog: string[] }).pushLog = []));
  await page.getByRole('checkbox', { name: 'Complete “Second”' }).click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { pushLog: string[] }).pushLog))
    .toContain('push');
  const log = await page.evaluate(() => (window as unknown as { pushLog: string[] }).pushLog);
  // The tick's read-write transaction, then its push: no read transaction between (the live
  // queries over the rows and the outbox it changed read again after the push left).
  const push = log.indexOf('push');
  const rw = log.lastIndexOf('readwrite', push);
  expect(rw).toBeGreaterThanOrEqual(0);
  expect(log.slice(rw + 1, push)).toEqual([]);
  await expectSynced(page);
  await expect(page.getByText('To do (1)', { exact: true })).toBeVisible();
  await context.close();
});

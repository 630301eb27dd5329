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
 * Logs, in every page of the context, each IndexedDB transaction opened (its mode), each
 * read-write transaction's commit ('committed': first of all the listeners of its `complete`
 * event, in the capture phase at its database) and each push frame sent on the sync socket,
 * in order (`window.pushLog`). Installed before the app loads, so Dexie's transactions go
 * through the wrapper.
 */
const LOG = () => {
  const w = window as unknown as { pushLog: string[] };
  w.pushLog = [];
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: unknown[]) {
    const tx = (transaction as (...a: unknown[]) => IDBTransaction).apply(this, args);
    w.pushLog.push(tx.mode);
    if (tx.mode === 'readwrite') {
      const committed = (ev: Event) => {
        if (ev.target !== tx) return;
        this.removeEventListener('complete', committed, true);
        w.pushLog.push('committed');
      };
      this.addEventListener('complete', committed, true);
    }
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
  // The tick's read-write transaction commits, then its push leaves: no transaction opened
  // between (the live queries over the rows and the outbox it changed read again after the
  // push left). One opened while the tick's transaction ran (a timer's read) is not its doing.
  const push = log.indexOf('push');
  const committed = log.lastIndexOf('committed', push);
  expect(log.lastIndexOf('readwrite', committed)).toBeGreaterThanOrEqual(0);
  expect(log.slice(committed + 1, push)).toEqual([]);
  await expectSynced(page);
  await expect(page.getByText('To do (1)', { exact: true })).toBeVisible();
  await context.close();
});

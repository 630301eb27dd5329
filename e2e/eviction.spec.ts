import { expect, test } from '@playwright/test';
import {
  addTask,
  createProject,
  expectSynced,
  newPhone,
  openProject,
  orgFor,
  person,
  screenshot,
  signIn,
  taskTitle,
} from './helpers';

test('a quota error during a write fails that write atomically with a notice', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('quota');
  const ana = await newPhone(browser);
  // The next write to the outbox throws QuotaExceededError, as a full disk would.
  await ana.context.addInitScript(() => {
    const w = window as unknown as { __outpostFailNextWrite?: boolean };
    for (const name of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[name];
      IDBObjectStore.prototype[name] = function (
        this: IDBObjectStore,
        ...args: Parameters<typeof original>
      ) {
        if (w.__outpostFailNextWrite && this.name === 'outbox') {
          w.__outpostFailNextWrite = false;
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
        return original.apply(this, args);
      };
    }
  });
  await signIn(ana.page, person('Ana', org, 'admin'));
  await createProject(ana.page, 'Disk budget');
  await addTask(ana.page, 'Fits');
  await expectSynced(ana.page);

  await ana.page.evaluate(() => {
    (window as unknown as { __outpostFailNextWrite?: boolean }).__outpostFailNextWrite = true;
  });
  await ana.page.getByLabel('New task title').fill('Too big');
  await ana.page.getByRole('button', { name: 'Add task' }).click();
  const notice = ana.page.locator('[data-kind="quota"]');
  await expect(notice).toBeVisible({ timeout: 60_000 });
  await expect(notice).toContainText('out of storage space');
  await screenshot(ana.page, 'quota-notice');
  await test.info().attach('quota notice', {
    path: '.artifacts/screenshots/quota-notice.png',
    contentType: 'image/png',
  });
  // Nothing of the failed write is kept: no row, nothing queued.
  await expect(taskTitle(ana.page, 'Too big')).toHaveCount(0);
  await expect(ana.page.getByTestId('pending')).toHaveText('All changes synced');

  // The next write goes through, and after a reload only the real tasks exist.
  await addTask(ana.page, 'After the error');
  await expectSynced(ana.page);
  await ana.page.reload();
  await openProject(ana.page, 'Disk budget');
  await expect(taskTitle(ana.page, 'After the error')).toBeVisible();
  await expect(taskTitle(ana.page, 'Fits')).toBeVisible();
  await expect(taskTitle(ana.page, 'Too big')).toHaveCount(0);
  await ana.context.close();
});

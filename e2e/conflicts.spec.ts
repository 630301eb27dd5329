import { expect, test } from '@playwright/test';
import {
  addTask,
  closeTask,
  createProject,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  renameTask,
  signIn,
  taskTitle,
} from './helpers';

test('both sides edit one task offline: different fields merge, the same field converges and the loser is in the feed', async ({
  browser,
}) => {
  // Each task edit goes through the task's detail view: more steps than the old inline rows.
  test.setTimeout(180_000);
  const org = orgFor('conflicts');
  const ana = await newPhone(browser);
  const ben = await newPhone(browser);
  await signIn(ana.page, person('Ana', org, 'admin'));
  await createProject(ana.page, 'Offsite');
  await addTask(ana.page, 'Plan');
  await expectSynced(ana.page);
  await signIn(ben.page, person('Ben', org, 'manager'));
  await openProject(ben.page, 'Offsite');
  await expect(taskTitle(ben.page, 'Plan')).toBeVisible();

  await ana.context.setOffline(true);
  await ben.context.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toContainText('Offline');
  await expect(ben.page.getByTestId('connection')).toContainText('Offline');

  // Different fields: both survive.
  await (await openTask(ana.page, 'Plan')).getByLabel('Status').selectOption('doing');
  await closeTask(ana.page);
  await (await openTask(ben.page, 'Plan')).getByLabel('Due date').fill('2026-12-01');
  await closeTask(ben.page);
  // The same field: one value wins everywhere, the other is recorded as lost.
  await renameTask(ana.page, 'Plan', 'Plan A');
  await renameTask(ben.page, 'Plan', 'Plan B');

  await ben.context.setOffline(false);
  await expectSynced(ben.page);
  await ana.context.setOffline(false);
  await expectSynced(ana.page);
  // No reload, no "sync now": Ben hears about Ana's push over the socket and pulls it.

  // Ben wrote the title last (later clock): his value wins on both replicas.
  for (const { page } of [ana, ben]) {
    await expect(taskTitle(page, 'Plan B')).toBeVisible();
    const detail = await openTask(page, 'Plan B');
    await expect(detail.getByLabel('Status')).toHaveValue('doing');
    await expect(detail.getByLabel('Due date')).toHaveValue('2026-12-01');
    await closeTask(page);
  }

  // The feed names whose value lost and what it was, on both devices.
  for (const { page } of [ana, ben]) {
    await page.getByRole('link', { name: 'Activity' }).click();
    const conflict = page.locator('li[data-action="conflict"]').first();
    await expect(conflict).toBeVisible();
    await expect(conflict).toContainText('replaced Ana’s “Plan A”');
  }

  await ana.context.close();
  await ben.context.close();
});

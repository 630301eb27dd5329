import { expect, test } from '@playwright/test';
import {
  addTask,
  createProject,
  expectSynced,
  newPhone,
  openProject,
  orgFor,
  person,
  signIn,
  taskTitle,
} from './helpers';

test('a change the server refuses rolls back and says why', async ({ browser }) => {
  const org = orgFor('rejection');
  const ana = await newPhone(browser);
  const mia = await newPhone(browser);
  await signIn(ana.page, person('Ana', org, 'admin'));
  await createProject(ana.page, 'Budget');
  await addTask(ana.page, 'Approve spend');
  await expectSynced(ana.page);

  // Mia is a member: only admins and managers may delete tasks.
  await signIn(mia.page, person('Mia', org, 'member'));
  await openProject(mia.page, 'Budget');
  await expect(taskTitle(mia.page, 'Approve spend')).toBeVisible();
  await mia.page.getByRole('button', { name: 'Delete “Approve spend”' }).click();

  // The delete is rejected on push: the task comes back and a notice explains.
  const notice = mia.page.locator('[data-kind="rejected"]');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(/delete/i);
  await expect(taskTitle(mia.page, 'Approve spend')).toBeVisible();
  await expectSynced(mia.page);

  // The rejection is in the inspector with its reason, and the task still exists for Ana.
  await mia.page.getByRole('link', { name: 'Sync' }).click();
  const rejected = mia.page.getByRole('region', { name: 'Rejected changes' });
  await expect(rejected.getByRole('listitem')).toHaveCount(1);
  await expect(rejected.getByRole('listitem')).toContainText('Approve spend');
  await expect(mia.page.getByRole('table', { name: 'Pending mutations' })).toHaveCount(0);
  await expect(taskTitle(ana.page, 'Approve spend')).toBeVisible();

  await ana.context.close();
  await mia.context.close();
});

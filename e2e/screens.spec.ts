import { expect, test } from '@playwright/test';
import {
  addTask,
  closeTask,
  createProject,
  expectAccessible,
  expectSynced,
  newPhone,
  openTask,
  orgFor,
  person,
  screenshot,
  signIn,
} from './helpers';

test('every screen passes an axe scan at 360×740 and is captured', async ({ browser }) => {
  // Each task edit goes through the task's detail view: more steps than the old inline rows.
  // On a loaded 2-core runner one axe scan has taken 20 s, and this test makes about ten.
  test.setTimeout(360_000);
  const org = orgFor('screens');
  const { context, page } = await newPhone(browser);

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in (development mode)' })).toBeVisible();
  await expectAccessible(page, 'sign-in');
  await screenshot(page, '01-sign-in');

  await signIn(page, person('Ana', org, 'admin'));
  await createProject(page, 'Website refresh');
  await addTask(page, 'Audit the landing page');
  await addTask(page, 'Draft the new navigation');
  await (
    await openTask(page, 'Draft the new navigation')
  )
    .getByLabel('Status')
    .selectOption('doing');
  await closeTask(page);
  await expectSynced(page);
  await expectAccessible(page, 'project detail');
  await screenshot(page, '03-project-detail');

  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Projects' })).toBeVisible();
  await expectAccessible(page, 'projects');
  await screenshot(page, '02-projects');

  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('list', { name: 'Activity feed' })).toBeVisible();
  await expectAccessible(page, 'activity');
  await screenshot(page, '04-activity');

  await page.getByRole('link', { name: 'Sync' }).click();
  await expect(page.getByRole('heading', { name: 'Sync inspector' })).toBeVisible();
  await expectAccessible(page, 'sync inspector');
  await screenshot(page, '05-sync-inspector');

  await page.getByRole('link', { name: 'Resources' }).click();
  await expect(page.getByRole('heading', { name: 'Shared resources' })).toBeVisible();
  await expectAccessible(page, 'shared resources');
  await screenshot(page, '06-shared-resources');

  // Offline, with a pending change: the status bar and badges as a user sees them.
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name: 'Website refresh' }).click();
  await context.setOffline(true);
  await addTask(page, 'Written offline');
  await expect(page.getByTestId('connection')).toContainText('1 unsent change');
  await expectAccessible(page, 'offline');
  await screenshot(page, '07-offline-pending');
  await context.setOffline(false);
  await expectSynced(page);
  await context.close();

  // A member is not offered the shared-resources library (no tab, g r goes nowhere); a link
  // to it says why, plainly.
  const member = await newPhone(browser);
  await signIn(member.page, person('Mia', org, 'member'));
  await expect(member.page.getByRole('link', { name: 'Activity' })).toBeVisible();
  await expect(member.page.getByRole('link', { name: 'Resources' })).toHaveCount(0);
  await member.page.keyboard.press('g');
  await member.page.keyboard.press('r');
  await expect(member.page.getByRole('heading', { name: 'Shared resources' })).toHaveCount(0);
  await member.page.evaluate(() => (location.hash = '#/resources'));
  await expect(member.page.getByText(/not available for your role/)).toBeVisible();
  await expectAccessible(member.page, 'shared resources (member)');
  await screenshot(member.page, '08-shared-resources-member');
  await member.context.close();
});

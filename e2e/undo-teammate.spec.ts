import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  closeTask,
  DESKTOP,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  screenshot,
  signIn,
  signInToProject,
  taskTitle,
} from './helpers';

const toast = (page: Page) =>
  page.getByRole('region', { name: 'Recent actions' }).getByRole('status');

/**
 * Sam completes “Pack books” from the list, its detail open beside it, and holds the toast (the
 * pointer over it: its window stands still) while Ana, on her phone, changes the same task.
 */
async function completeWhileAnaEdits(
  browser: Parameters<typeof newPhone>[0],
  label: string,
  edit: (detail: Locator) => Promise<void>,
) {
  const org = orgFor(`undo-teammate-${label}`);
  const [sam, ana] = await Promise.all([
    newPhone(browser, { viewport: DESKTOP }),
    newPhone(browser),
  ]);
  await signInToProject(sam.page, person('Sam', org, 'admin'), 'Move', ['Pack books']);
  await expectSynced(sam.page);
  await signIn(ana.page, person('Ana', org, 'member'));
  await openProject(ana.page, 'Move');
  const anaDetail = await openTask(ana.page, 'Pack books');

  const samDetail = await openTask(sam.page, 'Pack books');
  await sam.page.getByRole('checkbox', { name: 'Complete “Pack books”' }).click();
  await expect(toast(sam.page)).toContainText('Completed “Pack books”');
  await toast(sam.page).hover();
  await expect(samDetail.getByLabel('Status')).toHaveValue('done');
  await expect(anaDetail.getByLabel('Status')).toHaveValue('done');
  await edit(anaDetail);
  return { sam, ana, samDetail, anaDetail };
}

test('Undo of a completion reopens the task and keeps the due date a teammate set meanwhile', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { sam, ana, samDetail, anaDetail } = await completeWhileAnaEdits(
    browser,
    'date',
    async (detail) => {
      await detail.getByLabel('Due date').fill('2027-01-15');
    },
  );
  // Ana's date reached Sam's device while his toast still offers Undo.
  await expect(samDetail.getByLabel('Due date')).toHaveValue('2027-01-15');
  await toast(sam.page).getByRole('button', { name: 'Undo' }).click();
  await expect(samDetail.getByLabel('Status')).toHaveValue('todo');
  await expectSynced(sam.page);
  // Open again everywhere, with Ana's date: Undo wrote the status alone.
  for (const detail of [samDetail, anaDetail]) {
    await expect(detail.getByLabel('Status')).toHaveValue('todo');
    await expect(detail.getByLabel('Due date')).toHaveValue('2027-01-15');
  }
  await expect(toast(sam.page).filter({ hasText: 'Not undone' })).toHaveCount(0);
  await sam.context.close();
  await ana.context.close();
});

test('Undo of a completion a teammate already reopened changes nothing and says so', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { sam, ana, samDetail, anaDetail } = await completeWhileAnaEdits(
    browser,
    'status',
    async (detail) => {
      await detail.getByLabel('Status').selectOption('doing');
    },
  );
  await expect(samDetail.getByLabel('Status')).toHaveValue('doing');
  await toast(sam.page).getByRole('button', { name: 'Undo' }).click();
  const said = toast(sam.page).filter({ hasText: 'Not undone' });
  await expect(said).toContainText('Not undone for “Pack books”: Ana changed its status meanwhile');
  await screenshot(sam.page, 'undo-not-undone-1280');
  await expectSynced(sam.page);
  // Ana's status stands on both devices: Sam's Undo wrote nothing over it.
  await expect(samDetail.getByLabel('Status')).toHaveValue('doing');
  await expect(anaDetail.getByLabel('Status')).toHaveValue('doing');
  await closeTask(sam.page);
  await expect(taskTitle(sam.page, 'Pack books')).toBeVisible();
  await sam.page.setViewportSize({ width: 360, height: 740 });
  await expect(said).toBeVisible();
  await screenshot(sam.page, 'undo-not-undone-360');
  await sam.context.close();
  await ana.context.close();
});

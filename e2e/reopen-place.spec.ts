import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openProject,
  orgFor,
  person,
  seedProject,
  signIn,
  taskTitle,
} from './helpers';

const TITLES = ['Step 1', 'Step 2', 'Step 3', 'Step 4', 'Step 5', 'Step 6'];

test('x on a task in Completed reopens it, and the cursor goes on to the next completed task, as a tick in To do does', async ({
  browser,
  baseURL,
}) => {
  const kai = person('Kai', orgFor('reopen-place'), 'admin');
  const { device, taskIds } = await seedProject(baseURL!, kai, 'Move', TITLES);
  // Steps 3 to 6 are done.
  await device.push(
    taskIds.slice(2).map((id) => device.change('task.update', id, { fields: { status: 'done' } })),
  );
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, kai);
  await openProject(page, 'Move');
  await page.getByRole('button', { name: 'Completed (4)' }).click();
  await expect(taskTitle(page, 'Step 6')).toBeVisible();

  // On Step 4, x: Step 4 goes up into To do; the row after it in Completed (Step 5) takes the
  // cursor, not the row that slid down into its place from above (Step 3).
  await taskTitle(page, 'Step 4').focus();
  await page.keyboard.press('x');
  await expect(page.getByRole('button', { name: 'Completed (3)' })).toBeVisible();
  await expect(taskTitle(page, 'Step 5')).toBeFocused();
  // And again: Step 5 reopened, Step 6 next.
  await page.keyboard.press('x');
  await expect(page.getByRole('button', { name: 'Completed (2)' })).toBeVisible();
  await expect(taskTitle(page, 'Step 6')).toBeFocused();
  // The last one reopened: the one before it (Step 3) takes the cursor.
  await page.keyboard.press('x');
  await expect(page.getByRole('button', { name: 'Completed (1)' })).toBeVisible();
  await expect(taskTitle(page, 'Step 3')).toBeFocused();
  await context.close();
});

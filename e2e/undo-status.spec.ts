import { expect, test, type Page } from '@playwright/test';
import {
  devToken,
  expectSynced,
  newPhone,
  openTask,
  orgFor,
  person,
  signInToProject,
  taskTitle,
  UNDO_WINDOW_MS,
} from './helpers';

const toast = (page: Page) =>
  page.getByRole('region', { name: 'Recent actions' }).getByRole('status');

test('while a delete waits out its undo window the status line counts it unsent, not "Synced"; undone or sent, it is synced again', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('undo-status');
  const ana = person('Ana', org, 'admin');
  const { context, page } = await newPhone(browser);
  // The undo window passes on the page's clock (it keeps flowing), not in 5 s of the test's.
  await page.clock.install();
  await signInToProject(page, ana, 'Move house', ['Pack books', 'Book a van']);
  await expectSynced(page);
  const status = page.getByTestId('connection');

  // Deleted, then undone inside the window: held meanwhile, synced again with nothing sent.
  await (await openTask(page, 'Pack books')).getByRole('button', { name: 'Delete task' }).click();
  await expect(toast(page)).toContainText('Deleted “Pack books”');
  await expect(status).toHaveText('1 unsent change — sent when Undo closes');
  await toast(page).getByRole('button', { name: 'Undo' }).click();
  await expect(taskTitle(page, 'Pack books')).toBeVisible();
  await expect(status).toHaveText(/^Synced/);

  // Deleted and left: held while its toast shows, then sent, acknowledged and synced.
  await (await openTask(page, 'Book a van')).getByRole('button', { name: 'Delete task' }).click();
  await expect(toast(page)).toContainText('Deleted “Book a van”');
  await expect(status).toHaveText('1 unsent change — sent when Undo closes');
  await page.mouse.move(0, 0);
  await page.clock.fastForward(UNDO_WINDOW_MS);
  await expect(toast(page)).toHaveCount(0);
  await expect(status).toHaveText(/^Synced/);
  const res = await fetch(`${baseURL}/api/v1/primary-data/tasks?limit=200`, {
    headers: { authorization: `Bearer ${await devToken(baseURL!, ana)}` },
  });
  const titles = ((await res.json()) as { data: { title: string }[] }).data.map((t) => t.title);
  expect(titles).toEqual(['Pack books']);
  await context.close();
});

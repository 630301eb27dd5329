import { expect, test, type Locator } from '@playwright/test';
import {
  addTask,
  createProject,
  expectAccessible,
  newPhone,
  orgFor,
  person,
  screenshot,
  signIn,
  taskDetail,
} from './helpers';

test('in Activity a task or project still here opens from its name; a deleted one is plain text', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('activity-links'), 'admin'));
  await createProject(page, 'Garden');
  await addTask(page, 'Order seeds');
  await addTask(page, 'Fix the fence');
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  const feed = page.getByRole('list', { name: /^Activity feed/ });
  await expect(feed).toContainText('“Order seeds”');

  // The task's name opens it, in its project (the feed named it and led nowhere).
  const task = feed.getByRole('link', { name: 'Order seeds' });
  await expect(task).toBeVisible();
  await task.click();
  await expect(page.getByRole('heading', { name: 'Garden', level: 2 })).toBeAttached();
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Order seeds');
  // Back in the feed, the project's name opens the project.
  await page.goBack();
  await expect(feed).toBeVisible();
  await screenshot(page, 'activity-links-360');
  await expectAccessible(page, 'activity with links');
  // So does its name after a task's "· in" (it was plain text, the one name leading nowhere).
  const created = feed.getByRole('listitem').filter({ hasText: 'created the project' });
  await expect(created.getByRole('link', { name: 'Garden' })).toBeVisible();
  const added = feed.getByRole('listitem').filter({ hasText: 'added “Order seeds”' });
  // A secondary link: the muted words' colour ("· in"), not the accent of the task's name.
  const inProject = added.locator('.activity-project');
  const colour = (l: Locator) => l.evaluate((el) => getComputedStyle(el).color);
  expect(await colour(inProject.getByRole('link'))).toBe(await colour(inProject));
  await inProject.getByRole('link', { name: 'Garden' }).click();
  await expect(page.getByRole('heading', { name: 'Garden', level: 2 })).toBeAttached();
  await expect(taskDetail(page)).toHaveCount(0);

  // A deleted task is still named, without a link to nowhere.
  await page.getByRole('button', { name: 'Fix the fence', exact: true }).click();
  await taskDetail(page).getByRole('button', { name: 'Delete task' }).click();
  await expect(page.getByRole('button', { name: 'Fix the fence', exact: true })).toHaveCount(0);
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(feed.first()).toContainText('deleted “Fix the fence”');
  await expect(page.getByRole('link', { name: 'Fix the fence' })).toHaveCount(0);
  await expect(feed.getByRole('link', { name: 'Order seeds' })).toBeVisible();
  await context.close();
});

test('in Activity the names in a batch of creates open their tasks too', async ({ browser }) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('activity-burst-links'), 'admin'));
  await createProject(page, 'Kitchen');
  for (const title of ['Measure walls', 'Pick tiles', 'Call plumber']) await addTask(page, title);
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  const batch = page.locator('li[data-burst]');
  await expect(batch).toContainText(/You added 3 tasks · in Kitchen/);
  // The names read as before (“Call plumber”, “Pick tiles”, …), each a link to its task.
  await expect(batch).toContainText('“Call plumber”, “Pick tiles”, “Measure walls”');
  const tiles = batch.getByRole('link', { name: 'Pick tiles' });
  await expect(tiles).toBeVisible();
  await tiles.click();
  await expect(page.getByRole('heading', { name: 'Kitchen', level: 2 })).toBeAttached();
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Pick tiles');
  await context.close();
});

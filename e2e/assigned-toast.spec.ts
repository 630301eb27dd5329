import { expect, test, type Browser, type Page } from '@playwright/test';
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
  signInEach,
  taskDetail,
  taskTitle,
  seedProject,
} from './helpers';

const toasts = (page: Page) => page.getByRole('region', { name: 'Recent actions' });

/** Adds a task assigned with quick add's `@name`. */
async function addAssigned(page: Page, title: string, who: string): Promise<void> {
  await page.getByLabel('New task title').fill(`${title} @${who}`);
  await page.getByRole('button', { name: 'Add task' }).click();
  await expect(taskTitle(page, title)).toBeVisible();
}

/** Ana (admin) and Ben (member) of a new org, each on a phone, both in Ana's project "Launch". */
async function anaAndBenInLaunch(browser: Browser, baseURL: string, name: string) {
  const org = orgFor(name);
  const [ana, ben] = await Promise.all([newPhone(browser), newPhone(browser)]);
  await seedProject(baseURL, person('Ana', org, 'admin'), 'Launch', ['Book venue']);
  await signInEach(
    [ana.page, person('Ana', org, 'admin')],
    [ben.page, person('Ben', org, 'member')],
  );
  await Promise.all([openProject(ana.page, 'Launch'), openProject(ben.page, 'Launch')]);
  await expect(taskTitle(ben.page, 'Book venue')).toBeVisible();
  return { ana, ben };
}

test('a task a teammate assigns to you is told in one toast with Open; many at once in one summary with Show; never your own', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const { ana, ben } = await anaAndBenInLaunch(browser, baseURL!, 'assigned-toast');

  // Ben takes a task himself: his own change is not news to him.
  await addAssigned(ben.page, 'Water plants', 'me');
  await expectSynced(ben.page);

  // Ana gives Book venue to Ben: one toast on his screen says so, in a polite live region.
  await (await openTask(ana.page, 'Book venue')).getByLabel('Assignee').selectOption({
    label: 'Ben',
  });
  const told = toasts(ben.page).getByRole('status').filter({ hasText: 'assigned' });
  await expect(told).toHaveCount(1);
  await expect(told).toContainText('Ana assigned “Book venue” to you');
  await screenshot(ben.page, 'assigned-toast-360');
  // Open opens the task.
  await told.getByRole('button', { name: 'Open' }).click();
  await expect(taskDetail(ben.page).getByLabel('Title')).toHaveValue('Book venue');

  // Ben is away (his app closed) while Ana gives him three more: back, he is told once.
  await ben.page.close();
  await closeTask(ana.page);
  for (const title of ['Print flyers', 'Order chairs', 'Call caterer'])
    await addAssigned(ana.page, title, 'ben');
  await expectSynced(ana.page);
  ben.page = await ben.context.newPage();
  await ben.page.setViewportSize(DESKTOP);
  await ben.page.goto('/');
  const summary = toasts(ben.page).getByRole('status').filter({ hasText: 'assigned' });
  await expect(summary).toContainText('Ana assigned you 3 tasks');
  await expect(summary).toHaveCount(1);
  await screenshot(ben.page, 'assigned-toast-1280');
  // Show lists what is assigned to him.
  await summary.getByRole('button', { name: 'Show' }).click();
  for (const title of [
    'Book venue',
    'Water plants',
    'Print flyers',
    'Order chairs',
    'Call caterer',
  ])
    await expect(taskTitle(ben.page, title)).toBeVisible();

  await ana.context.close();
  await ben.context.close();
});

test('tasks a teammate assigns one after another, while the first toast still shows, are counted in that toast, not stacked', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const { ana, ben } = await anaAndBenInLaunch(browser, baseURL!, 'assigned-group');

  const told = toasts(ben.page).getByRole('status').filter({ hasText: 'assigned' });
  await addAssigned(ana.page, 'Print flyers', 'ben');
  await expect(told).toContainText('Ana assigned “Print flyers” to you');
  // A second one a moment later: the toast on his screen now counts both, in its place.
  await addAssigned(ana.page, 'Order chairs', 'ben');
  await expect(told).toContainText('Ana assigned you 2 tasks');
  await expect(told).toHaveCount(1);
  await screenshot(ben.page, 'assigned-group-360');
  await ben.page.setViewportSize(DESKTOP);
  await screenshot(ben.page, 'assigned-group-1280');
  // Show lists both.
  await told.getByRole('button', { name: 'Show' }).click();
  for (const title of ['Print flyers', 'Order chairs'])
    await expect(taskTitle(ben.page, title)).toBeVisible();
  await expect(taskTitle(ben.page, 'Book venue')).toBeHidden();

  await ana.context.close();
  await ben.context.close();
});

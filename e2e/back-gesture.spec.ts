import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  PHONE,
  screenshot,
  seedProject,
  signIn,
  taskDetail,
  taskTitle,
} from './helpers';

const TITLES = ['Book venue', 'Write copy', 'Print flyers', 'Order badges'];

/** A touch phone (taps, the back gesture) signed in on the seeded Launch. */
async function phoneOnLaunch(browser: Browser, baseURL: string, name: string) {
  const ana = person('Ana', orgFor(name), 'admin');
  await seedProject(baseURL, ana, 'Launch', TITLES);
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await signIn(page, ana);
  await openProject(page, 'Launch');
  return { context, page };
}

const projects = (page: Page) => page.getByRole('heading', { name: 'Projects', exact: true });
const launch = (page: Page) => page.getByRole('heading', { name: 'Launch', level: 2 });

test('on a phone, Back after closing a task or deleting it leaves the list instead of reopening a task', async ({
  browser,
  baseURL,
}) => {
  const { context, page } = await phoneOnLaunch(browser, baseURL!, 'back-after-close');

  // Opened and closed with ×: Back goes where the list came from (the projects), not into
  // the task again.
  await taskTitle(page, 'Book venue').tap();
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Book venue');
  await taskDetail(page).getByRole('button', { name: 'Close task details' }).tap();
  await expect(taskDetail(page)).toHaveCount(0);
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  await page.goBack();
  await expect(projects(page)).toBeVisible();
  await expect(taskDetail(page)).toHaveCount(0);

  // Deleted from its detail: Back does not land on "This task was deleted".
  await openProject(page, 'Launch');
  await taskTitle(page, 'Write copy').tap();
  await taskDetail(page).getByRole('button', { name: 'Delete task' }).tap();
  await expect(taskTitle(page, 'Write copy')).toHaveCount(0);
  await expect(taskDetail(page)).toHaveCount(0);
  await page.goBack();
  await expect(projects(page)).toBeVisible();
  await expect(page.getByText('This task was deleted')).toHaveCount(0);

  await screenshot(page, 'back-gesture-closed-360');
  await context.close();
});

test('at 1280, going from task to task (j, Enter) and then Back returns to the list in one step, not through each task seen', async ({
  browser,
  baseURL,
}) => {
  const ana = person('Ana', orgFor('back-after-j'), 'admin');
  await seedProject(baseURL!, ana, 'Launch', TITLES);
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await signIn(page, ana);
  await openProject(page, 'Launch');
  // Pressed before the rows are drawn, j takes the first row once they are (early-keys.spec).
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Book venue');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Write copy');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Print flyers');
  await page.goBack();
  await expect(launch(page)).toBeAttached();
  await expect(taskDetail(page)).toHaveCount(0);
  // Back once more leaves the project.
  await page.goBack();
  await expect(projects(page)).toBeVisible();
  await context.close();
});

test('at 1280 with a task open, j and k open the next and previous task themselves (as Linear), focus on its row; on a phone j stays behind the open task', async ({
  browser,
  baseURL,
}) => {
  const ana = person('Ana', orgFor('j-opens-next'), 'admin');
  await seedProject(baseURL!, ana, 'Launch', TITLES);
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await signIn(page, ana);
  await openProject(page, 'Launch');
  // Pressed before the rows are drawn, j takes the first row once they are (early-keys.spec).
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  const title = taskDetail(page).getByLabel('Title');
  await expect(title).toHaveValue('Book venue');
  await page.keyboard.press('j');
  await expect(title).toHaveValue('Write copy');
  // The row is what a screen reader hears (its title and meta): it keeps focus.
  await expect(taskTitle(page, 'Write copy')).toBeFocused();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(title).toHaveValue('Order badges');
  await expect(taskTitle(page, 'Order badges')).toBeFocused();
  await page.keyboard.press('k');
  await expect(title).toHaveValue('Print flyers');
  await expect(taskTitle(page, 'Print flyers')).toBeFocused();
  // Back still leaves the list in one step.
  await page.goBack();
  await expect(taskDetail(page)).toHaveCount(0);
  await context.close();

  // On a phone the open task covers the list: j does not change the task shown.
  const phone = await newPhone(browser);
  await signIn(phone.page, ana);
  await openProject(phone.page, 'Launch');
  const detail = await openTask(phone.page, 'Book venue');
  await phone.page.keyboard.press('j');
  await expect(detail.getByLabel('Title')).toHaveValue('Book venue');
  await phone.context.close();
});

test('on a phone, Back in Select leaves Select and stays in the project; after Done, Back leaves the project as before', async ({
  browser,
  baseURL,
}) => {
  const { context, page } = await phoneOnLaunch(browser, baseURL!, 'back-in-select');
  const bar = page.getByRole('toolbar', { name: 'Selected tasks' });
  const back = () => page.evaluate(() => window.history.back());

  await page.getByRole('button', { name: 'Select', exact: true }).tap();
  await taskTitle(page, 'Book venue').tap();
  await taskTitle(page, 'Write copy').tap();
  await expect(bar).toContainText('2 selected');
  await back();
  // Out of Select, nothing selected, still on Launch (before: back on the projects list).
  await expect(bar).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Select', exact: true })).toBeVisible();
  await expect(launch(page)).toBeAttached();
  await expect(page.getByRole('checkbox', { name: 'Complete “Book venue”' })).not.toBeChecked();
  await screenshot(page, 'back-gesture-select-360');

  // Select, then Done: Select's step is gone with it, so Back leaves the project.
  await page.getByRole('button', { name: 'Select', exact: true }).tap();
  await expect(bar).toBeVisible();
  await page.getByRole('button', { name: 'Done', exact: true }).tap();
  await expect(bar).toHaveCount(0);
  await back();
  await expect(projects(page)).toBeVisible();
  await context.close();
});

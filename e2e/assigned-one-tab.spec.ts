import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  closeTask,
  DESKTOP,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  signInEach,
  taskDetail,
  taskTitle,
  seedProject,
} from './helpers';

const assigned = (page: Page) =>
  page
    .getByRole('region', { name: 'Recent actions' })
    .getByRole('status')
    .filter({ hasText: 'assigned' });

/**
 * The tab as the page sees it: shown, or hidden behind another (headless Chromium shows every
 * page, so the page's own view of it is set, and told as the browser tells it).
 */
async function setShown(page: Page, shown: boolean): Promise<void> {
  await page.evaluate((v) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (v ? 'visible' : 'hidden'),
    });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => !v });
    document.dispatchEvent(new Event('visibilitychange'));
  }, shown);
}

/**
 * Whether the page's window has focus, as the page sees it (Playwright reports every page as
 * focused), and told as the browser tells it.
 */
async function setFocused(page: Page, focused: boolean): Promise<void> {
  await page.evaluate((v) => {
    document.hasFocus = () => v;
    window.dispatchEvent(new Event(v ? 'focus' : 'blur'));
  }, focused);
}

/**
 * Ben's project Launch with `titles`; Ana, a member, has it open in two windows of her browser
 * (the first, opened first, leads the sync).
 */
async function anaInTwoWindows(browser: Browser, orgTitle: string, titles: readonly string[]) {
  const org = orgFor(orgTitle);
  const baseURL = test.info().project.use.baseURL!;
  // Ben's project, made on another device of his: these tests are not about making one.
  await seedProject(baseURL, person('Ben', org, 'admin'), 'Launch', titles);
  const [ana, ben] = await Promise.all([
    newPhone(browser, { viewport: DESKTOP }),
    newPhone(browser, { viewport: DESKTOP }),
  ]);
  await signInEach(
    [ana.page, person('Ana', org, 'member')],
    [ben.page, person('Ben', org, 'admin')],
  );
  await openProject(ben.page, 'Launch');

  const first = ana.page;
  const second = await ana.context.newPage();
  await second.setViewportSize(DESKTOP);
  await second.goto('/');
  for (const page of [first, second]) {
    await openProject(page, 'Launch');
    await expect(taskTitle(page, titles.at(-1)!)).toBeVisible();
  }
  return { ana, ben, first, second };
}

test('with two windows of the app in view, a task assigned to you is told in the focused one', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  // Both windows in view; Ana works in the second (the first, leading the sync, pulls Ben's
  // change before the second sees it).
  const { ana, ben, first, second } = await anaInTwoWindows(browser, 'assigned-focused-tab', [
    'Book venue',
  ]);
  await setFocused(first, false);
  await setFocused(second, true);

  await (await openTask(ben.page, 'Book venue')).getByLabel('Assignee').selectOption({
    label: 'Ana',
  });
  await expect(assigned(second)).toHaveCount(1);
  await expect(assigned(second)).toContainText('Ben assigned “Book venue” to you');
  await expect(assigned(first)).toHaveCount(0);

  await ana.context.close();
  await ben.context.close();
});

test('a task assigned to you is told in one tab, the one in view, and the toast goes once the task is open in any tab', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  // Ana has two tabs of the app open on Launch; the second is behind the first.
  const { ana, ben, first, second } = await anaInTwoWindows(browser, 'assigned-one-tab', [
    'Book venue',
    'Print flyers',
  ]);
  await setShown(second, false);

  // Ben gives her Book venue: the tab in view says so; the one behind does not, shown or not.
  await (await openTask(ben.page, 'Book venue')).getByLabel('Assignee').selectOption({
    label: 'Ana',
  });
  await expect(assigned(first)).toHaveCount(1);
  await expect(assigned(first)).toContainText('Ben assigned “Book venue” to you');
  await setShown(first, false);
  await setShown(second, true);

  // Now the second is in view: Print flyers is told there, and only it.
  await closeTask(ben.page);
  await (await openTask(ben.page, 'Print flyers')).getByLabel('Assignee').selectOption({
    label: 'Ana',
  });
  await expect(assigned(second)).toHaveCount(1);
  await expect(assigned(second)).toContainText('Ben assigned “Print flyers” to you');
  await expect(assigned(first)).toHaveCount(1);
  await expect(assigned(first)).toContainText('Ben assigned “Book venue” to you');

  // Opened from its row (the pointer resting on the toast, so its time stands still): it goes.
  await assigned(second).hover();
  await taskTitle(second, 'Print flyers').focus();
  await second.keyboard.press('Enter');
  await expect(taskDetail(second).getByLabel('Title')).toHaveValue('Print flyers');
  await expect(assigned(second)).toHaveCount(0);

  // Book venue opened in this tab: the other tab's toast for it goes too.
  await taskTitle(second, 'Book venue').focus();
  await second.keyboard.press('Enter');
  await expect(taskDetail(second).getByLabel('Title')).toHaveValue('Book venue');
  await expect(assigned(first)).toHaveCount(0);

  await ana.context.close();
  await ben.context.close();
});

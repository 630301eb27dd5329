import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openTask,
  orgFor,
  person,
  signInToProject,
  taskDetail,
  taskTitle,
} from './helpers';

/**
 * The list's keys at machine speed: each `keyboard.press` follows the last with no wait, as a
 * script (or a fast typist) sends them, while the rows just added are still on their way into
 * the list. Every key must act on the row the cursor designates when it is pressed.
 */

/** Types each title into quick add and presses Enter, without waiting for the rows. */
async function quickAdd(page: Page, titles: string[]): Promise<void> {
  await page.getByLabel('New task title').focus();
  for (const title of titles) {
    await page.keyboard.type(title);
    await page.keyboard.press('Enter');
  }
}

/** A new org and project, signed in at 1280 px, the titles typed into quick add at once. */
async function projectWith(browser: Browser, name: string, titles: string[]) {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signInToProject(page, person('Ana', orgFor(name), 'admin'), name);
  await quickAdd(page, titles);
  return { context, page };
}

async function press(page: Page, keys: string[]): Promise<void> {
  for (const key of keys) await page.keyboard.press(key);
}

/**
 * The keys sent without waiting for each to be delivered: they reach the page in order within a
 * few milliseconds of each other, faster than awaited presses (one round trip each).
 */
async function burst(page: Page, keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => page.keyboard.press(key)));
}

const toast = (page: Page) =>
  page.getByRole('region', { name: 'Recent actions' }).getByRole('status');

const box = (page: Page, title: string) =>
  page.getByRole('checkbox', { name: `Complete “${title}”` });

async function expectCompleted(page: Page, done: string[], open: string[]): Promise<void> {
  // Its whole name, folded and unfolded: the arrow drawn before it is not read out.
  const toggle = page.getByRole('button', { name: `Completed (${done.length})`, exact: true });
  await expect(toggle).toBeVisible();
  for (const title of open) await expect(box(page, title)).not.toBeChecked();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  for (const title of done) await expect(box(page, title)).toBeChecked();
  await toggle.click();
}

test('right after quick add: Esc j j x x completes the second and third tasks, focus on the first', async ({
  browser,
}) => {
  const { context, page } = await projectWith(browser, 'keys-fast-x', ['Alpha', 'Beta', 'Gamma']);
  await press(page, ['Escape', 'j', 'j', 'x', 'x']);
  await expect(taskTitle(page, 'Alpha')).toBeFocused();
  await expectCompleted(page, ['Beta', 'Gamma'], ['Alpha']);
  await context.close();
});

test('right after quick add: j j k x completes the first; Enter opens the row j reached; Esc k Enter opens the one above', async ({
  browser,
}) => {
  const { context, page } = await projectWith(browser, 'keys-fast-open', [
    'One',
    'Two',
    'Three',
    'Four',
  ]);
  await press(page, ['Escape', 'j', 'j', 'k', 'x', 'j', 'j', 'Enter']);
  // One completed; the cursor took its place (Two), then j j: Four.
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Four');
  await expect(page.getByRole('button', { name: 'Completed (1)' })).toBeVisible();
  await expect(box(page, 'Two')).not.toBeChecked();
  // Closing the detail puts the cursor back on Four; k and Enter at once open Three.
  await press(page, ['Escape', 'k', 'Enter']);
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Three');
  await press(page, ['Escape', 'k', 'k', 'x']);
  await expect(page.getByRole('button', { name: 'Completed (2)' })).toBeVisible();
  await expect(taskTitle(page, 'Two')).toHaveCount(0);
  await expect(taskTitle(page, 'Three')).toBeFocused();
  await context.close();
});

test('right after a delete: j and x act from the row that took its place', async ({ browser }) => {
  const { context, page } = await projectWith(browser, 'keys-fast-delete', [
    'North',
    'East',
    'South',
    'West',
  ]);
  await press(page, ['Escape', 'j', 'j', 'Enter']);
  const remove = taskDetail(page).getByRole('button', { name: 'Delete task' });
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('East');
  await remove.focus();
  // Deleted East: the cursor is on South, j takes it to West.
  await press(page, ['Enter', 'j', 'x']);
  await expect(taskTitle(page, 'East')).toHaveCount(0);
  await expectCompleted(page, ['West'], ['North', 'South']);
  await context.close();
});

test('a task added below the cursor: Enter Esc j x in one burst completes the new task, not the one the cursor was on', async ({
  browser,
}) => {
  const { context, page } = await projectWith(browser, 'keys-fast-below', ['Left', 'Right']);
  await expect(taskTitle(page, 'Right')).toBeVisible();
  await press(page, ['Escape', 'j', 'j']);
  await expect(taskTitle(page, 'Right')).toBeFocused();
  // Back to quick add; the new row reaches the list a few ms after Enter, j comes right after.
  await page.getByLabel('New task title').fill('Z');
  await burst(page, ['Enter', 'Escape', 'j', 'x']);
  await expectCompleted(page, ['Z'], ['Left', 'Right']);
  await context.close();
});

test('Tab pressed while a task opens goes into its fields, not past them', async ({ browser }) => {
  const { context, page } = await projectWith(browser, 'keys-fast-tab', ['One', 'Two', 'Three']);
  await expect(taskTitle(page, 'Three')).toBeVisible();
  await page.getByLabel('New task title').press('Escape');
  await press(page, ['j', 'j']);
  await expect(taskTitle(page, 'Two')).toBeFocused();
  // From the panel's heading: Close, then the title.
  await burst(page, ['Enter', 'Tab', 'Tab']);
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Two');
  await expect(taskDetail(page).getByLabel('Title')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(taskTitle(page, 'Two')).toBeFocused();
  await burst(page, ['j', 'Enter', 'Tab', 'Tab', 'Tab']);
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Three');
  await expect(taskDetail(page).getByLabel('Status')).toBeFocused();
  await context.close();
});

test('/ after keys still waiting for a new row takes its turn: x completes the new task, then focus goes to search', async ({
  browser,
}) => {
  const { context, page } = await projectWith(browser, 'keys-fast-slash', ['Left', 'Right']);
  await expect(taskTitle(page, 'Right')).toBeVisible();
  await page.getByLabel('New task title').fill('Z');
  await burst(page, ['Enter', 'Escape', 'j', 'j', 'j', 'x', '/']);
  await expect(page.getByRole('button', { name: 'Completed (1)' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Search tasks' })).toBeFocused();
  await expectCompleted(page, ['Z'], ['Left', 'Right']);
  await context.close();
});

test('a quick add outside the search shown does not hold the keys: j x right after it act on the results', async ({
  browser,
}) => {
  const { context, page } = await projectWith(browser, 'keys-fast-search', [
    'Task one',
    'Task two',
  ]);
  await expect(taskTitle(page, 'Task two')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search tasks' }).fill('task');
  await expect(page.getByRole('heading', { name: '2 matching tasks' })).toBeVisible();
  await page.getByLabel('New task title').fill('Milk');
  await burst(page, ['Enter', 'Escape', 'j', 'x']);
  await expect(box(page, 'Task one')).toBeChecked();
  await expect(box(page, 'Task two')).not.toBeChecked();
  await context.close();
});

/**
 * From now on the page's Back lands `ms` late, as on a slow or busy device (closing a task opened
 * over its list goes Back): the task stays on screen until then.
 */
async function slowBack(page: Page, ms: number): Promise<void> {
  await page.evaluate((ms) => {
    const back = history.back.bind(history);
    history.back = () => void setTimeout(back, ms);
  }, ms);
}

for (const slow of [false, true])
  test(
    slow
      ? 'on a device slow to go Back, j right after the Escape that closes a task moves in the list and does not open the next task'
      : 'closing the detail of a task that went into the folded Completed section does not hold the keys: j x act at once',
    async ({ browser }) => {
      const name = slow ? 'keys-fast-slow-back' : 'keys-fast-folded';
      const { context, page } = await projectWith(browser, name, ['One', 'Two', 'Three']);
      await expect(taskTitle(page, 'Three')).toBeVisible();
      await press(page, ['Escape', 'j', 'j', 'Enter']);
      const detail = taskDetail(page);
      await expect(detail.getByLabel('Title')).toHaveValue('Two');
      // Done in the detail: its row leaves for the folded Completed section while it is open.
      await detail.getByLabel('Status').selectOption('done');
      await expect(page.getByRole('button', { name: 'Completed (1)' })).toBeVisible();
      // Slow, the screen drops the task 300 ms after Escape: j and x pressed meanwhile are the list's.
      if (slow) await slowBack(page, 300);
      await page.evaluate(() => {
        const w = window as unknown as { routes: string[] };
        w.routes = [];
        window.addEventListener('hashchange', () => w.routes.push(location.hash));
      });
      // Its row is not coming back: j starts from the top at once, and x completes that row.
      await burst(page, ['Escape', 'j', 'x']);
      await expect(detail).toHaveCount(0);
      await expectCompleted(page, ['One', 'Two'], ['Three']);
      // No task was opened on the way (before, j could see Two still open and open One).
      const routes = await page.evaluate(() => (window as unknown as { routes: string[] }).routes);
      expect(routes.length).toBeGreaterThan(0);
      expect(routes.filter((r) => r.includes('/tasks/'))).toEqual([]);
      await context.close();
    },
  );

test('focus stays where the user put it when the cursor row leaves by another tab', async ({
  browser,
}) => {
  const { context, page } = await projectWith(browser, 'keys-elsewhere', ['Red', 'Green', 'Blue']);
  await press(page, ['Escape', 'j', 'j']);
  await expect(taskTitle(page, 'Green')).toBeFocused();
  // The user clicks outside the list: focus goes to the page.
  await page.mouse.click(5, 700);
  await expect(taskTitle(page, 'Green')).not.toBeFocused();
  // Green is completed in a second tab: its row leaves this list; focus does not jump to Blue.
  const other = await context.newPage();
  await other.goto(page.url());
  await box(other, 'Green').click();
  await expect(page.getByRole('button', { name: 'Completed (1)' })).toBeVisible();
  await expect(taskTitle(page, 'Blue')).not.toBeFocused();
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await context.close();
});

test('on a phone, 24 j in one burst reach the last row below the fold; x, k, Enter act from there', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Ana', orgFor('keys-fast-phone'), 'admin'), 'keys-fast-phone');
  const titles = Array.from({ length: 24 }, (_, i) => `T${i + 1}`);
  await quickAdd(page, titles);
  // The rows j reaches are not in the DOM yet (virtualized): focus follows once they render.
  await burst(page, ['Escape', ...titles.map(() => 'j'), 'x', 'k', 'Enter']);
  await expect(page.getByRole('button', { name: 'Completed (1)' })).toBeVisible();
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('T22');
  // Which row x completed, read from the list: its toast is gone 5 s after x, and on a loaded
  // machine opening the detail alone can take longer than that.
  await page.keyboard.press('Escape');
  await expect(taskDetail(page)).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Search tasks' }).fill('T24');
  await expect(box(page, 'T24')).toBeChecked();
  await context.close();
});

test('an undo whose task the list does not show does not hold the keys: j acts at once', async ({
  browser,
}) => {
  const { context, page } = await projectWith(browser, 'keys-fast-undo', [
    'Alpha',
    'Beta',
    'Gamma',
  ]);
  await expect(taskTitle(page, 'Gamma')).toBeVisible();
  const undo = (title: string) =>
    toast(page).filter({ hasText: title }).getByRole('button', { name: 'Undo' });

  // Undone while the list shows done tasks only: Alpha goes back to To do, out of the results.
  // Beta's toast is dismissed first: a completion while it shows would join it ("Completed 2
  // tasks"), whose Undo takes back both.
  await box(page, 'Beta').click();
  await toast(page).filter({ hasText: 'Beta' }).getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast(page)).toHaveCount(0);
  await box(page, 'Alpha').click();
  await page.getByRole('combobox', { name: 'Status' }).selectOption('done');
  await expect(page.getByRole('heading', { name: '2 matching tasks' })).toBeVisible();
  await undo('Alpha').click();
  await expect(page.getByRole('heading', { name: '1 matching task' })).toBeVisible();
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Beta')).toBeFocused();
  await page.getByRole('combobox', { name: 'Status' }).selectOption('all');

  // A done task's delete undone: it goes back into the folded Completed section.
  const detail = await openTask(page, 'Gamma');
  await detail.getByLabel('Status').selectOption('done');
  await expect(page.getByRole('button', { name: 'Completed (2)' })).toBeVisible();
  await detail.getByRole('button', { name: 'Delete task' }).click();
  await expect(page.getByRole('button', { name: 'Completed (1)' })).toBeVisible();
  await undo('Gamma').click();
  await expect(page.getByRole('button', { name: 'Completed (2)' })).toBeVisible();
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Alpha')).toBeFocused();
  await context.close();
});

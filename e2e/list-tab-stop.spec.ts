import { expect, test, type Page } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openProject,
  orgFor,
  person,
  seedProject,
  signIn,
  taskDetail,
  taskList,
} from './helpers';

/** Where focus is: in the task list (which row, title or box), or before or after it. */
const where = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    const l = document.querySelector('.task-list');
    if (!a || !l || a === document.body) return 'body';
    if (l.contains(a)) {
      const row = a.closest('[data-task-id]')?.querySelector('.task-title-text')?.textContent;
      return `${a instanceof HTMLInputElement ? 'box' : 'row'} ${row ?? '?'}`;
    }
    return l.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING ? 'after' : 'before';
  });

test('the task list is one Tab stop: Tab lands on the current row and goes on past the list (phone and laptop)', async ({
  browser,
  baseURL,
}) => {
  const titles = Array.from({ length: 30 }, (_, i) => `Task ${i + 1}`);
  for (const viewport of [DESKTOP, undefined]) {
    const ana = person('Ana', orgFor(`list-tab-stop-${viewport ? 1280 : 360}`), 'admin');
    await seedProject(baseURL!, ana, 'Tabs', titles);
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signIn(page, ana);
    await openProject(page, 'Tabs');
    const list = taskList(page);
    const title = (t: string) => list.getByRole('button', { name: t, exact: true });
    await expect(title('Task 1')).toBeVisible();

    // From the field before the list: Tab reaches the first row's title, then leaves the list
    // (it went through every drawn row's box and title, ~30 rows, first).
    const before = page.getByRole('searchbox', { name: 'Search tasks' });
    await before.focus();
    const stops: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const at = await where(page);
      stops.push(at);
      if (at === 'after' || at === 'body') break;
    }
    expect(stops.filter((s) => s !== 'before').slice(0, -1)).toEqual(['row Task 1']);
    expect(stops.at(-1)).toMatch(/^(after|body)$/);

    // Back in, through the rows with the keys, and the list remembers its row.
    await page.keyboard.press('Shift+Tab');
    await expect(title('Task 1')).toBeFocused();
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    await expect(title('Task 3')).toBeFocused();
    await page.keyboard.press('k');
    await expect(title('Task 2')).toBeFocused();
    await page.keyboard.press('Tab');
    expect(await where(page)).toMatch(/^(after|body)$/);
    await page.keyboard.press('Shift+Tab');
    await expect(title('Task 2')).toBeFocused();

    // Only that row's title is a Tab stop; every box and title keeps its name.
    await expect(list.locator('[tabindex="0"], button:not([tabindex="-1"])')).toHaveCount(1);
    await expect(list.locator('input[type="checkbox"]:not([tabindex="-1"])')).toHaveCount(0);
    await expect(list.getByRole('checkbox', { name: 'Complete “Task 2”' })).toBeVisible();

    // x ticks the row (it leaves for Completed, the next row takes its place and focus); a click
    // on a box still ticks it.
    await page.keyboard.press('x');
    await expect(title('Task 2')).toHaveCount(0);
    await expect(title('Task 3')).toBeFocused();
    await list.getByRole('checkbox', { name: 'Complete “Task 5”' }).click();
    await expect(title('Task 5')).toHaveCount(0);

    // Enter still opens the row the keyboard is on.
    await title('Task 7').focus();
    await page.keyboard.press('Enter');
    await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Task 7');
    await context.close();
  }
});

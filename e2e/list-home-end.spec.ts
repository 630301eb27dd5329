import { expect, test, type Browser } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openProject,
  orgFor,
  person,
  seedProject,
  signIn,
  taskDetail,
  taskTitle,
} from './helpers';

const TITLES = Array.from({ length: 200 }, (_, i) => `Shelf ${i + 1}`);

/** A new admin of a new org, at 1280 px, in a project of the 200 `TITLES`, its first row shown. */
async function openLibrary(browser: Browser, baseURL: string, title: string) {
  const ida = person('Ida', orgFor(title), 'admin');
  await seedProject(baseURL, ida, 'Library', TITLES);
  const opened = await newPhone(browser, { viewport: DESKTOP });
  await signIn(opened.page, ida);
  await openProject(opened.page, 'Library');
  await expect(taskTitle(opened.page, 'Shelf 1')).toBeVisible();
  return opened;
}

test('Home and End in a long task list put the cursor and focus on the first and last task, so Enter and j act there', async ({
  browser,
  baseURL,
}) => {
  const { context, page } = await openLibrary(browser, baseURL!, 'list-home-end');

  // j takes the first task; End goes to the last one, 199 rows down, with focus on it.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Shelf 1')).toBeFocused();
  await page.keyboard.press('End');
  await expect(taskTitle(page, 'Shelf 200')).toBeFocused();
  await expect(taskTitle(page, 'Shelf 200')).toBeInViewport();
  // The keyboard is still on the list: k goes up from there, Enter opens that row.
  await page.keyboard.press('k');
  await expect(taskTitle(page, 'Shelf 199')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Shelf 199');
  await page.keyboard.press('Escape');
  await expect(taskDetail(page)).toHaveCount(0);
  await expect(taskTitle(page, 'Shelf 199')).toBeFocused();

  // Home goes back to the first task, and j goes on from it.
  await page.keyboard.press('Home');
  await expect(taskTitle(page, 'Shelf 1')).toBeFocused();
  await expect(taskTitle(page, 'Shelf 1')).toBeInViewport();
  // The list's top is the page's: the page is at its top, the project's name in view (not the
  // first row just under the sticky header with the name scrolled away).
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page.getByRole('textbox', { name: 'Project name' })).toBeInViewport();
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Shelf 2')).toBeFocused();

  // In a field, Home and End stay the field's (the caret moves, the cursor does not).
  const field = page.getByLabel('New task title');
  await field.fill('Dust the shelves');
  await field.press('Home');
  await expect(field).toBeFocused();
  await expect(field).toHaveJSProperty('selectionStart', 0);
  await context.close();
});

test('Page Down and Page Up in a task list move the cursor and focus a page of rows, not the page away from them', async ({
  browser,
  baseURL,
}) => {
  const { context, page } = await openLibrary(browser, baseURL!, 'list-page-keys');
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Shelf 1')).toBeFocused();
  // The row focus is on, by its number ("Shelf 12" → 12); 0 when focus left the rows.
  const focused = () =>
    page.evaluate(() => {
      const m = /^Shelf (\d+)$/.exec(
        document.activeElement?.closest('[data-task-id]')
          ? document.activeElement.textContent!
          : '',
      );
      return m ? Number(m[1]) : 0;
    });

  // A page down: several rows on, in view, with focus (it scrolled the page, focus on the list).
  await page.keyboard.press('PageDown');
  await expect.poll(focused).toBeGreaterThan(5);
  const first = await focused();
  await expect(taskTitle(page, `Shelf ${first}`)).toBeInViewport();
  await page.keyboard.press('PageDown');
  await expect.poll(focused).toBeGreaterThan(first + 4);
  const second = await focused();
  await expect(taskTitle(page, `Shelf ${second}`)).toBeInViewport();
  // Page Up comes back the same way; j goes on from where it is.
  await page.keyboard.press('PageUp');
  await expect.poll(focused).toBe(first);
  await expect(taskTitle(page, `Shelf ${first}`)).toBeInViewport();
  await page.keyboard.press('PageUp');
  await expect.poll(focused).toBe(1);
  await page.keyboard.press('PageUp');
  await expect(taskTitle(page, 'Shelf 1')).toBeFocused();
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Shelf 2')).toBeFocused();
  await context.close();
});

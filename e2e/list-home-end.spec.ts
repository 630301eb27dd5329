import { expect, test } from '@playwright/test';
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

test('Home and End in a long task list put the cursor and focus on the first and last task, so Enter and j act there', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('list-home-end');
  const ida = person('Ida', org, 'admin');
  await seedProject(baseURL!, ida, 'Library', TITLES);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, ida);
  await openProject(page, 'Library');
  await expect(taskTitle(page, 'Shelf 1')).toBeVisible();

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

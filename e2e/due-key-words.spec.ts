import { expect, test, type Page } from '@playwright/test';
import {
  DESKTOP,
  countPickers,
  newPhone,
  openTask,
  orgFor,
  person,
  signInToProject,
  taskList,
  taskTitle,
} from './helpers';

const row = (page: Page, title: string) =>
  taskList(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: title, exact: true }) });

/**
 * d takes a day in words, as the ? overlay and the date field promise: "d tomorrow Enter". Before,
 * d opened the browser's calendar, which took the letters typed next, and their Enter set today,
 * a day nobody chose.
 */
test('d on an open task takes a day in words; Enter with nothing typed sets nothing', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signInToProject(page, person('Ana', orgFor('due-key-detail'), 'admin'), 'Trip', [
    'Book the train',
  ]);
  const detail = await openTask(page, 'Book the train');
  const heading = detail.getByRole('heading', { name: 'Task' });
  await expect(heading).toBeFocused();
  const pickers = await countPickers(page);
  const due = detail.getByLabel('Due date');

  // Enter with nothing typed: no date, and the field is a date again.
  await page.keyboard.press('d');
  await expect(due).toBeFocused();
  await expect(due).toHaveAttribute('type', 'text');
  await page.keyboard.press('Enter');
  await expect(due).toHaveAttribute('type', 'date');
  await expect(due).toHaveValue('');

  await heading.focus();
  await page.keyboard.press('d');
  await expect(due).toBeFocused();
  await page.keyboard.type('tomorrow');
  await expect(detail.getByText('Enter sets it to')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(detail.locator('.due-face')).toHaveText('Tomorrow');
  await expect(detail.getByText('You set its due date to')).toBeVisible();
  // No calendar was opened on the way.
  expect(await pickers()).toBe(0);
  await context.close();
});

test('d on a row of the list takes a day in words; a word that is no day sets nothing and says so', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signInToProject(page, person('Ana', orgFor('due-key-list'), 'admin'), 'Trip', [
    'Book the train',
    'Pack',
  ]);
  const pickers = await countPickers(page);
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Book the train')).toBeFocused();
  await page.keyboard.press('d');
  const due = page.getByRole('toolbar', { name: 'Selected tasks' }).getByLabel('Due');
  await expect(due).toBeFocused();
  await page.keyboard.type('someday');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('No day in “someday”: nothing changed.');
  await expect(due).toBeFocused();
  await due.fill('tomorrow');
  await expect(page.getByText('Enter sets it to')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(
    page.locator('.toast').filter({ hasText: 'Set “Book the train” due' }),
  ).toBeVisible();
  await expect(row(page, 'Book the train')).toContainText('Tomorrow');
  await expect(row(page, 'Pack')).not.toContainText('Tomorrow');
  await expect(taskTitle(page, 'Book the train')).toBeFocused();
  expect(await pickers()).toBe(0);
  await context.close();
});

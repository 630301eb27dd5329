import { expect, test } from '@playwright/test';
import {
  addTask,
  createProject,
  DESKTOP,
  newPhone,
  openTask,
  orgFor,
  person,
  screenshot,
  signIn,
} from './helpers';

/**
 * A date field types its year a digit at a time (0002, 0020, 0202, 2027): the years before
 * 1900 it passes through are not due dates (the server refuses them), and must neither be
 * saved nor undo what the person is typing.
 */
for (const [width, viewport] of [
  ['360', undefined],
  ['1280', DESKTOP],
] as const) {
  test(`typing a due date digit by digit saves the date typed, and nothing on the way (${width} px)`, async ({
    browser,
  }) => {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signIn(page, person('Ana', orgFor(`due-date-${width}`), 'admin'));
    await createProject(page, 'Trip');
    await addTask(page, 'Book the train');
    const detail = await openTask(page, 'Book the train');
    const due = detail.getByLabel('Due date');
    const hint = detail.getByText('A due date is in the years 1900 to 9999.');
    await due.focus();
    await page.keyboard.type('03042');
    // Year 0002 so far: shown as typed, said, not saved.
    await expect(due).toHaveValue('0002-03-04');
    await expect(due).toHaveAttribute('aria-invalid', 'true');
    await expect(hint).toBeVisible();
    await screenshot(page, `due-date-typing-${width}`);
    await page.keyboard.type('027');
    await expect(due).toHaveValue('2027-03-04');
    await expect(hint).toHaveCount(0);
    await expect(detail.getByRole('alert')).toHaveCount(0);
    // The year typed over: a new date, again through years that are no due dates.
    await due.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type('2031');
    await expect(due).toHaveValue('2031-03-04');
    await expect(detail.getByRole('alert')).toHaveCount(0);
    // Left half typed, the stored date comes back.
    await due.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type('19');
    await expect(due).toHaveValue('0019-03-04');
    await detail.getByLabel('Title').focus();
    await expect(due).toHaveValue('2031-03-04');
    await expect(hint).toHaveCount(0);
    await context.close();
  });
}

import { expect, test } from '@playwright/test';
import {
  createProject,
  expectSynced,
  newPhone,
  openProject,
  orgFor,
  person,
  signIn,
} from './helpers';

test('signing out in another tab shows the half-typed task title here to copy, not dropped silently', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Noa', orgFor('sign-out-drafts'), 'admin'));
  await createProject(page, 'Garden');
  await expectSynced(page);
  const other = await context.newPage();
  await other.goto('/');
  await openProject(other, 'Garden');

  // A title typed in this tab, not added; the other tab signs out.
  await page.getByLabel('New task title').fill('Order the tulip bulbs');
  await other.getByRole('button', { name: 'Sign out' }).click();

  // This tab follows to the sign-in screen, and says what it could not keep, to copy.
  const notice = page.getByRole('alert', { name: 'Not saved' });
  await expect(notice).toContainText('You were signed out');
  await expect(notice.getByLabel('Add a task')).toHaveValue('Order the tulip bulbs');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await context.close();
});

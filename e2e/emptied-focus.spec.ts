import { expect, test } from '@playwright/test';
import {
  addTask,
  DESKTOP,
  newPhone,
  openTask,
  orgFor,
  person,
  screenshot,
  signInToProject,
  taskTitle,
} from './helpers';

test('the last task gone from a list (deleted, completed, the last result) leaves focus in the field the empty state points to', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signInToProject(page, person('Kai', orgFor('emptied-focus'), 'admin'), 'Errands');
  await addTask(page, 'Post a letter');
  const field = page.getByLabel('New task title');

  // The last task deleted from its detail: the empty state replaces the list, focus goes to the
  // field it invites you to type in, and the next title typed there stays there.
  await (
    await openTask(page, 'Post a letter')
  )
    .getByRole('button', { name: 'Delete task' })
    .click();
  await expect(page.getByText('No tasks yet.')).toBeVisible();
  await expect(field).toBeFocused();
  await page.keyboard.type('Buy stamps');
  await page.keyboard.press('Enter');
  await expect(taskTitle(page, 'Buy stamps')).toBeVisible();
  await page.keyboard.type('j');
  await expect(field).toHaveValue('j');
  await expect(field).toBeFocused();
  await field.fill('');
  await screenshot(page, 'emptied-focus-1280');

  // The last open task completed with x: Completed is folded, nothing is left to move to.
  await taskTitle(page, 'Buy stamps').focus();
  await page.keyboard.press('x');
  await expect(page.getByText('All tasks completed. Nothing open in this project.')).toBeVisible();
  await expect(field).toBeFocused();

  // The only search result deleted: focus goes back to the search.
  await addTask(page, 'Call the bank');
  const search = page.getByRole('searchbox', { name: 'Search tasks' });
  await search.fill('bank');
  await expect(page.getByText('1 matching task')).toBeVisible();
  await (
    await openTask(page, 'Call the bank')
  )
    .getByRole('button', { name: 'Delete task' })
    .click();
  await expect(page.getByText('No tasks match “bank”.')).toBeVisible();
  await expect(search).toBeFocused();

  // The same on the search across every project.
  await search.fill('');
  await addTask(page, 'Renew passport');
  await page.getByRole('link', { name: 'Search all tasks' }).click();
  const everywhere = page.getByRole('searchbox', { name: 'Search all tasks' });
  await everywhere.fill('passport');
  await (
    await openTask(page, 'Renew passport')
  )
    .getByRole('button', { name: 'Delete task' })
    .click();
  await expect(page.getByText('No tasks match “passport”.')).toBeVisible();
  await expect(everywhere).toBeFocused();
  await context.close();
});

test('on a phone the last task gone leaves focus on the empty state’s line, not in a field that would raise the keyboard', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Kai', orgFor('emptied-focus-phone'), 'admin'), 'Errands');
  await addTask(page, 'Post a letter');
  const field = page.getByLabel('New task title');

  // Deleted from its detail (the whole screen on a phone): the empty state's line has focus.
  await (
    await openTask(page, 'Post a letter')
  )
    .getByRole('button', { name: 'Delete task' })
    .click();
  await expect(page.getByText('No tasks yet.')).toBeFocused();
  await expect(field).not.toBeFocused();
  await screenshot(page, 'emptied-focus-360');

  // The last open task ticked: Completed is folded; the "All tasks completed" line has it.
  await addTask(page, 'Buy stamps');
  await page.getByRole('checkbox', { name: 'Complete “Buy stamps”' }).click();
  await expect(page.getByText('All tasks completed. Nothing open in this project.')).toBeFocused();

  // The only search result deleted: the line saying nothing matches, not the search field.
  await addTask(page, 'Call the bank');
  const search = page.getByRole('searchbox', { name: 'Search tasks' });
  await search.fill('bank');
  await (
    await openTask(page, 'Call the bank')
  )
    .getByRole('button', { name: 'Delete task' })
    .click();
  await expect(page.getByText('No tasks match “bank”.')).toBeFocused();
  await context.close();
});

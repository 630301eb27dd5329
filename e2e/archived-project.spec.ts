import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  expectAccessible,
  expectSynced,
  newPhone,
  orgFor,
  person,
  screenshot,
  signIn,
  taskTitle,
  signInToProject,
} from './helpers';

test('an archived project says so, takes no new tasks (nor the c key), and only a manager may unarchive it', async ({
  browser,
}) => {
  const org = orgFor('archived-project');
  const ana = await newPhone(browser);
  await signInToProject(ana.page, person('Ana', org, 'admin'), 'Old office', ['Return the keys']);
  const page = ana.page;
  await expect(taskTitle(page, 'Return the keys')).toBeVisible();

  // On a phone, Archive is in the project's "More actions" menu.
  const more = page.getByRole('button', { name: 'More actions' });
  await more.click();
  await page.getByRole('menuitem', { name: 'Archive project' }).click();
  const notice = page.getByText('This project is archived.');
  await expect(notice).toBeVisible();
  // The add row is gone, and focus moved to the way back rather than to the page.
  await expect(page.getByLabel('New task title')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add task' })).toHaveCount(0);
  const unarchive = page.getByRole('button', { name: 'Unarchive' });
  await expect(unarchive).toBeFocused();
  await screenshot(page, 'archived-project-360');
  await expectAccessible(page, 'archived project');

  // c (and n) open no field: the key says why instead.
  await unarchive.blur();
  await page.keyboard.press('c');
  await expect(page.getByText('This project is archived: it takes no new tasks.')).toBeVisible();
  await expect(page.getByLabel('New task title')).toHaveCount(0);
  // The shortcuts' list says so too, where it lists them.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  const newTask = help.locator('.shortcut-list > div').filter({ hasText: 'New task' });
  await expect(newTask).toContainText(
    'New task' + 'Not here: this project is archived and takes no new tasks',
  );
  await screenshot(page, 'archived-project-shortcuts-360');
  await expectAccessible(page, 'archived project shortcuts');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // Its tasks can still be finished.
  await page.getByRole('checkbox', { name: 'Complete “Return the keys”' }).click();
  await expect(page.getByText('All tasks completed. Nothing open in this project.')).toBeVisible();
  await expectSynced(page);

  // A member sees it archived, with no way to unarchive it nor to add a task.
  const ben = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ben.page, person('Ben', org, 'member'));
  await ben.page.getByRole('button', { name: 'Show archived' }).click();
  await ben.page.getByRole('link', { name: 'Old office' }).click();
  await expect(ben.page.getByText('This project is archived.')).toBeVisible();
  await expect(ben.page.getByText('Unarchiving it takes the admin or manager role.')).toBeVisible();
  await expect(ben.page.getByRole('button', { name: /archive/i })).toHaveCount(0);
  await expect(ben.page.getByLabel('New task title')).toHaveCount(0);
  await screenshot(ben.page, 'archived-project-1280-member');
  await ben.page.keyboard.press('?');
  await expect(
    ben.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByText('Not here:'),
  ).toBeVisible();
  await screenshot(ben.page, 'archived-project-shortcuts-1280');
  await ben.page.keyboard.press('Escape');

  // Unarchived, it takes tasks again (for Ben too), and focus is on the menu Archive is in.
  await unarchive.click();
  await expect(notice).toHaveCount(0);
  await expect(more).toBeFocused();
  await expect(ben.page.getByText('This project is archived.')).toHaveCount(0);
  // Unarchived, the shortcuts' list offers c and n again.
  await ben.page.keyboard.press('?');
  const benHelp = ben.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(benHelp.getByText('New task', { exact: true })).toBeVisible();
  await expect(benHelp.getByText('Not here:')).toHaveCount(0);
  await ben.page.keyboard.press('Escape');
  await ben.page.getByLabel('New task title').fill('Hand over the alarm code');
  await ben.page.getByRole('button', { name: 'Add task' }).click();
  await expect(taskTitle(page, 'Hand over the alarm code')).toBeVisible();

  // Archived again as Ben types a title: it is shown to copy where the field was, with focus in
  // it, not gone with the field (and focus with it to the page).
  await ben.page.getByLabel('New task title').fill('Order a skip');
  await more.click();
  await page.getByRole('menuitem', { name: 'Archive project' }).click();
  const notAdded = ben.page
    .getByRole('alert', { name: 'Not added' })
    .getByRole('textbox', { name: 'Add a task' });
  await expect(notAdded).toHaveValue('Order a skip');
  await expect(notAdded).toBeFocused();
  await ana.context.close();
  await ben.context.close();
});

test('Show archived with no archived project says "No archived projects." where they would be listed', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Ana', orgFor('archived-none'), 'admin'), 'Garden');
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Garden' })).toBeVisible();
  const none = page.getByText('No archived projects.');
  await expect(none).toHaveCount(0);
  // Pressed, the list stayed as it was: no sign the toggle had done anything.
  const show = page.getByRole('button', { name: 'Show archived' });
  await show.click();
  await expect(show).toHaveAttribute('aria-pressed', 'true');
  await expect(none).toBeVisible();
  await expect(page.getByRole('link', { name: 'Garden' })).toBeVisible();
  await screenshot(page, 'projects-no-archived-360');
  await show.click();
  await expect(show).toHaveAttribute('aria-pressed', 'false');
  await expect(none).toHaveCount(0);
  await context.close();
});

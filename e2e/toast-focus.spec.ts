import { expect, test } from '@playwright/test';
import { addTask, newPhone, orgFor, person, signInToProject, taskTitle } from './helpers';

test('a toast dismissed from the keyboard gives focus back where it came from, never to the page', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Ana', orgFor('toast-focus'), 'admin'), 'Garden');
  for (const title of ['Water', 'Weed', 'Mow']) await addTask(page, title);
  const recent = page.getByRole('region', { name: 'Recent actions' });
  const dismiss = recent.getByRole('button', { name: 'Dismiss' });
  // (the quick adds' toasts out of the way)
  while ((await dismiss.count()) > 0) await dismiss.first().click();

  // Weed completed from the keyboard; focus goes on to the row in its place (Mow). From there,
  // on to the toast's ✕ (Shift+Tab would take several stops: focused by script), and Enter.
  await page.getByRole('checkbox', { name: 'Complete “Weed”' }).focus();
  await page.keyboard.press('Space');
  await expect(recent.getByRole('status')).toHaveCount(1);
  await taskTitle(page, 'Mow').focus();
  await dismiss.focus();
  await page.keyboard.press('Enter');
  await expect(recent.getByRole('status')).toHaveCount(0);
  await expect(taskTitle(page, 'Mow')).toBeFocused();
  await expect(page.locator('body')).not.toBeFocused();
  await context.close();
});

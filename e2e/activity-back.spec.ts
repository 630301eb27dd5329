import { expect, test } from '@playwright/test';
import { addTask, createProject, newPhone, orgFor, person, signIn, taskDetail } from './helpers';

test('Back from a task opened in Activity finds the feed as it was left: its filters, and focus on the name opened', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('activity-back'), 'admin'));
  await createProject(page, 'Garden');
  await addTask(page, 'Order seeds');
  await createProject(page, 'Kitchen');
  await addTask(page, 'Pick tiles');
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  const feed = page.getByRole('list', { name: /^Activity feed/ });
  await page.getByLabel('Project').selectOption({ label: 'Garden' });
  await expect(feed.getByRole('link', { name: 'Pick tiles' })).toHaveCount(0);

  // Opened from the keyboard, as Tab and Enter do.
  await feed.getByRole('link', { name: 'Order seeds' }).focus();
  await page.keyboard.press('Enter');
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Order seeds');
  await page.goBack();

  await expect(page.getByLabel('Project').locator('option:checked')).toHaveText('Garden');
  await expect(feed.getByRole('link', { name: 'Pick tiles' })).toHaveCount(0);
  await expect(feed.getByRole('link', { name: 'Order seeds' })).toBeFocused();
  await context.close();
});

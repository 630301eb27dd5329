import { expect, test } from '@playwright/test';
import { expectAccessible, newPhone, orgFor, person, screenshot, signIn } from './helpers';

test('? on Activity, Sync, Members and Resources lists the keys that work there, not the task list’s', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('help-keys'), 'admin'));
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  for (const [key, heading] of [
    ['a', 'Activity'],
    ['s', 'Sync inspector'],
    ['m', 'Members'],
    ['r', 'Shared resources'],
  ] as const) {
    await page.keyboard.press('g');
    await page.keyboard.press(key);
    await expect(page.getByRole('heading', { name: heading, level: 2 })).toBeVisible();
    await page.keyboard.press('?');
    await expect(help).toBeVisible();
    // The keys of every screen…
    await expect(help).toContainText('Go to Projects');
    await expect(help).toContainText('Search tasks');
    await expect(help).toContainText('Undo what the last toast offers to undo');
    // …and none of a task list's, which do nothing here (c, j, x… were listed everywhere).
    await expect(help).not.toContainText('New task');
    await expect(help).not.toContainText('Complete or reopen the current task');
    await expect(help).not.toContainText('In a new task’s title');
    if (key === 'r') {
      await expect(help).toContainText('Next or previous resource');
      await expect(help).toContainText('Close the resource, back on its row in the list');
      await expectAccessible(page, 'resources shortcuts');
      await screenshot(page, 'help-keys-resources-360');
    } else {
      await expect(help).not.toContainText('resource');
    }
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);
  }
  await context.close();
});

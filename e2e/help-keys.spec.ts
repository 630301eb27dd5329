import { expect, test, type Page } from '@playwright/test';
import {
  DESKTOP,
  expectAccessible,
  newPhone,
  orgFor,
  person,
  screenshot,
  signIn,
  signInToProject,
} from './helpers';

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

test('? lists each person only the keys they can use: g m for admins, g r and c n for managers too', async ({
  browser,
}) => {
  const org = orgFor('help-roles');
  const help = (page: Page) => page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  for (const [role, members, resources, newProject] of [
    ['member', false, false, false],
    ['manager', false, true, true],
    ['admin', true, true, true],
  ] as const) {
    const { context, page } = await newPhone(browser);
    await signIn(page, person(`Rae${role}`, org, role));
    // On the projects list (its own keys, then the keys that work everywhere).
    await page.keyboard.press('?');
    await expect(help(page)).toContainText('Go to Activity');
    // The keys were listed to everyone with "(admins)" after them, working for some only.
    await expect(help(page)).not.toContainText('(admins');
    await expect(help(page).getByText('Go to Members')).toHaveCount(members ? 1 : 0);
    await expect(help(page).getByText('Go to Resources')).toHaveCount(resources ? 1 : 0);
    await expect(help(page).getByText('New project')).toHaveCount(newProject ? 1 : 0);
    if (role === 'member') await screenshot(page, 'help-keys-member-360');
    await page.keyboard.press('Escape');
    await expect(help(page)).toHaveCount(0);
    await context.close();
  }
});

test('? on a task list says d takes a date in words, and its list fades at the foot while more keys are below', async ({
  browser,
}) => {
  for (const [viewport, name] of [
    [DESKTOP, 'help-keys-tasks-1280'],
    [undefined, 'help-keys-tasks-360'],
  ] as const) {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signInToProject(page, person('Ana', orgFor('help-tasks'), 'admin'), 'Launch');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toContainText('type it in words: fri, tomorrow, dec 24');
    // Taller than the window (1280×800 too), the list fades at its foot: a line cut there
    // ("Set the status of the open task, the") read as the end, with no sign it scrolls.
    const list = help.locator('dl');
    await expect(list).toHaveClass(/more-below/);
    await screenshot(page, name);
    await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(list).not.toHaveClass(/more-below/);
    await screenshot(page, `${name}-end`);
    await context.close();
  }
});

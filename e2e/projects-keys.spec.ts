import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  expectAccessible,
  newPhone,
  orgFor,
  person,
  screenshot,
  signIn,
  signInWithForm,
} from './helpers';

test('the projects list answers the keys a task list does: c or n opens New project, j and k go through the projects, Enter opens one; ? lists them', async ({
  browser,
}) => {
  const org = orgFor('projects-keys');
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, person('Ana', org, 'admin'));
  const name = page.getByRole('textbox', { name: 'New project name' });

  // c opens the form with its name field focused, the key's own letter not typed into it.
  await page.keyboard.press('c');
  await expect(name).toBeFocused();
  await expect(name).toHaveValue('');
  await page.keyboard.type('Launch');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: 'Launch' })).toBeVisible();
  await page.keyboard.type('Ops');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: 'Ops' })).toBeVisible();
  // Escape backs out without creating, back on the button.
  await page.keyboard.type('Half typed');
  await page.keyboard.press('Escape');
  await expect(name).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Half typed' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'New project' })).toBeFocused();

  // n does the same.
  await page.keyboard.press('n');
  await expect(name).toBeFocused();
  await expect(name).toHaveValue('');
  await page.keyboard.press('Escape');

  // j and k go down and up the list; Enter opens the project focused.
  const links = page.getByRole('list', { name: 'Projects' }).getByRole('link');
  await expect(links).toHaveCount(2);
  const [first, second] = await links.allInnerTexts();
  await page.keyboard.press('j');
  await expect(links.nth(0)).toBeFocused();
  await page.keyboard.press('j');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('j');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('k');
  await expect(links.nth(0)).toBeFocused();
  await screenshot(page, 'projects-keys-1280');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: second!, level: 2 })).toBeAttached();
  expect(first).not.toBe(second);

  // ? on the projects list lists the keys it takes, not the task list's.
  await page.keyboard.press('g');
  await page.keyboard.press('p');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('New project');
  await expect(help).toContainText('Next project');
  await expect(help).toContainText('Go to Activity');
  await expect(help).not.toContainText('Complete or reopen the current task');
  await expectAccessible(page, 'projects shortcuts');
  await screenshot(page, 'projects-keys-help-1280');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // A member may not create projects: c opens nothing; j still goes through the list.
  const member = await newPhone(browser);
  await signIn(member.page, person('Ben', org, 'member'));
  const memberLinks = member.page.getByRole('list', { name: 'Projects' }).getByRole('link');
  await expect(memberLinks).toHaveCount(2);
  await member.page.keyboard.press('c');
  await member.page.keyboard.press('j');
  await expect(memberLinks.nth(0)).toBeFocused();
  await expect(member.page.getByRole('textbox', { name: 'New project name' })).toHaveCount(0);
  await screenshot(member.page, 'projects-keys-member-360');
  await member.context.close();
  await context.close();
});

test('after signing in, and after closing ? opened from the page, focus is on the Projects heading, so Tab goes on from there', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  const heading = page.getByRole('heading', { name: 'Projects', level: 2 });
  // Signed in: the first screen's heading has focus (the Sign in button went, and focus fell
  // to the page: Tab started at the top again).
  await signInWithForm(page, person('Ana', orgFor('signin-focus'), 'admin'));
  await expect(heading).toBeFocused();

  // ? opened from the page itself (nothing focused): closed, focus is on the heading, not the
  // page.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await expect(heading).not.toBeFocused();
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(heading).toBeFocused();
  // Tab goes on from the screen, past the header above it.
  await page.keyboard.press('Tab');
  await expect(page.locator('main :focus')).toHaveCount(1);

  // Opened from a control, it hands focus back to that control.
  await page.getByRole('button', { name: 'Show archived' }).focus();
  await page.keyboard.press('?');
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('button', { name: 'Show archived' })).toBeFocused();
  await screenshot(page, 'signin-focus-360');
  await context.close();
});

test('a project opens from anywhere on its row, not only from its name', async ({ browser }) => {
  for (const viewport of [DESKTOP, undefined]) {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signIn(
      page,
      person('Ana', orgFor(`projects-row-${viewport ? 'desk' : 'phone'}`), 'admin'),
    );
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('textbox', { name: 'New project name' }).fill('Launch');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('link', { name: 'Launch' })).toBeVisible();
    // At the row's far end (its count), away from the name.
    const row = page.getByRole('list', { name: 'Projects' }).getByRole('listitem');
    const box = (await row.boundingBox())!;
    await row.click({ position: { x: box.width - 8, y: box.height / 2 } });
    await expect(page.getByRole('heading', { name: 'Launch', level: 2 })).toBeVisible();
    await context.close();
  }
});

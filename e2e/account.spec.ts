import { expect, test, type Page } from '@playwright/test';
import {
  createProject,
  expectSynced,
  newPhone,
  openProject,
  orgFor,
  person,
  signInWithForm,
  signOutFromMenu,
} from './helpers';

async function outpostDatabases(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('outpost-')),
  );
}

test('org switcher keeps each org separate; signing out wipes that account from the device', async ({
  browser,
}) => {
  const home = orgFor('account-home');
  const side = orgFor('account-side');
  const { context, page } = await newPhone(browser);
  await signInWithForm(page, person('Ana', home, 'admin'));
  await createProject(page, 'Home project');
  await expectSynced(page);

  // Join a second org as the same person: prefilled sign-in, a fresh, empty workspace.
  await page.getByLabel('Organization').selectOption({ label: 'Join another organization…' });
  await expect(page.getByLabel('Email')).toHaveValue(`ana@${home}.example.com`);
  await page.getByLabel('Organization').fill(side);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(page.getByText('No projects yet.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Home project' })).toHaveCount(0);
  expect(await outpostDatabases(page)).toHaveLength(2);

  // Switch back: the first org's data is still on the device.
  await page.getByLabel('Organization').selectOption({ label: home });
  await expect(page.getByRole('link', { name: 'Home project' })).toBeVisible();

  // Sign out of the home org: its database goes, the other account stays available.
  await signOutFromMenu(page);
  await expect(page.getByRole('heading', { name: 'Sign in (development mode)' })).toBeVisible();
  await expect.poll(() => outpostDatabases(page)).toHaveLength(1);
  await expect(page.getByRole('button', { name: `Continue as Ana in ${side}` })).toBeVisible();
  await expect(page.getByRole('button', { name: `Continue as Ana in ${home}` })).toHaveCount(0);
  // The form says what just happened, and focus starts there; a reload shows the plain form.
  const said = page.getByRole('heading', { name: 'You’re signed out' });
  await expect(said).toBeFocused();
  await expect(page.getByText('This device’s copy of your data was removed.')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in (development mode)' })).toBeVisible();
  await expect(said).toHaveCount(0);
  await context.close();
});

test('a personal workspace is named so, not by its org id', async ({ browser }) => {
  const { context, page } = await newPhone(browser);
  // No organization: the dev sign-in puts Ana in an org of her own.
  await signInWithForm(page, { ...person('Ana', orgFor('personal')), org: '' });
  const switcher = page.getByLabel('Organization');
  await expect(switcher.locator('option:checked')).toHaveText('Personal workspace');
  await expect(switcher).not.toContainText('personal_');
  await context.close();
});

test('"Join another organization…" starts in the Organization field; Escape and Cancel go back; "Continue as" a known account opens it', async ({
  browser,
}) => {
  const home = orgFor('join-home');
  const side = orgFor('join-side');
  const { context, page } = await newPhone(browser);
  await signInWithForm(page, person('Ana', home, 'admin'));
  await createProject(page, 'Home project');
  const join = () =>
    page.getByLabel('Organization').selectOption({ label: 'Join another organization…' });
  const signInHeading = page.getByRole('heading', { name: 'Sign in (development mode)' });

  // Name and email are filled in: the one field left to type is focused.
  // Backing out comes back to the screen it was opened on.
  await openProject(page, 'Home project');
  await join();
  await expect(page.getByRole('textbox', { name: 'Organization' })).toBeFocused();
  await page.getByRole('textbox', { name: 'Organization' }).fill(side);
  await page.keyboard.press('Escape');
  await expect(signInHeading).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Home project', level: 2 })).toBeVisible();
  // Focus is back on the switcher it came from, not on the page.
  const switcher = page.getByRole('combobox', { name: 'Organization' });
  await expect(switcher).toBeFocused();

  // Joined, the new org's first screen has focus on its heading.
  const projectsHeading = page.getByRole('heading', { name: 'Projects', level: 2 });
  await join();
  await page.getByRole('textbox', { name: 'Organization' }).fill(side);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('No projects yet.')).toBeVisible();
  await expect(projectsHeading).toBeFocused();

  // Back through the join screen: continuing as the home account opens its workspace.
  await join();
  await page.getByRole('button', { name: `Continue as Ana in ${home}` }).click();
  await expect(signInHeading).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Home project' })).toBeVisible();
  await join();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('link', { name: 'Home project' })).toBeVisible();
  await expect(switcher).toBeFocused();

  // Switched to another org, its first screen has focus on its heading.
  await switcher.selectOption({ label: side });
  await expect(page.getByText('No projects yet.')).toBeVisible();
  await expect(projectsHeading).toBeFocused();
  await context.close();
});

test('sign-in fields keep text past their limit and refuse it with how much is too much, never cut', async ({
  browser,
}) => {
  const org = orgFor('signin-limits');
  const { context, page } = await newPhone(browser);
  await page.goto('/');
  const name = page.getByLabel('Name');
  const signIn = page.getByRole('button', { name: 'Sign in' });
  await name.fill('N'.repeat(205));
  await expect(name).toHaveValue('N'.repeat(205));
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('5 characters too many (at most 200)')).toBeVisible();
  await page.getByLabel('Email').fill(`nora@${org}.example.com`);
  const orgField = page.getByRole('textbox', { name: 'Organization' });
  await orgField.fill(`${org}-${'x'.repeat(130)}`);
  await expect(orgField).toHaveValue(`${org}-${'x'.repeat(130)}`);
  await expect(page.getByText(/^\d+ characters too many \(at most 128\)$/)).toBeVisible();
  await expect(signIn).toBeDisabled();
  await orgField.press('Enter');
  await expect(page.getByRole('heading', { name: 'Sign in (development mode)' })).toBeVisible();
  // Made to fit: the hints go and sign-in goes through.
  await name.fill('Nora');
  await orgField.fill(org);
  await expect(page.getByText(/too many/)).toHaveCount(0);
  await signIn.click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await context.close();
});

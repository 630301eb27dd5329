import { expect, test } from '@playwright/test';
import {
  createProject,
  DESKTOP,
  expectAccessible,
  expectSynced,
  newPhone,
  openProject,
  orgFor,
  person,
  screenshot,
  signInWithForm,
  signOutFromMenu,
} from './helpers';

test('signing out in another tab shows the half-typed task title here to copy, not dropped silently', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInWithForm(page, person('Noa', orgFor('sign-out-drafts'), 'admin'));
  await createProject(page, 'Garden');
  await expectSynced(page);
  const other = await context.newPage();
  await other.goto('/');
  await openProject(other, 'Garden');

  // A title typed in this tab, not added; the other tab signs out.
  await page.getByLabel('New task title').fill('Order the tulip bulbs');
  await signOutFromMenu(other);

  // This tab follows to the sign-in screen, and says what it could not keep, to copy.
  const notice = page.getByRole('alert', { name: 'Not saved' });
  await expect(notice).toContainText('You were signed out');
  await expect(notice.getByLabel('Add a task')).toHaveValue('Order the tulip bulbs');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await context.close();
});

test('signing out in this tab shows the half-typed task title on the sign-in screen to copy, not dropped with the screen', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInWithForm(page, person('Noa', orgFor('sign-out-drafts-here'), 'admin'));
  await createProject(page, 'Garden');
  await expectSynced(page);

  // A title typed, not added; this tab signs out ("Signing out…" replaces the project first).
  await page.getByLabel('New task title').fill('Order the tulip bulbs');
  await signOutFromMenu(page);

  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const notice = page.getByRole('alert', { name: 'Not saved' });
  await expect(notice).toContainText('You were signed out');
  await expect(notice.getByLabel('Add a task')).toHaveValue('Order the tulip bulbs');
  // A one-line title in a one-line box (it had the 80 px of a field to type notes in).
  const box = await notice.getByLabel('Add a task').boundingBox();
  expect(box!.height).toBeLessThan(60);
  // Under the app's name, where "You’re signed out" is, in the warning colours, readable.
  await expectAccessible(page, 'signed out, text not saved');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await context.close();
});

test('signed out and offline, the notice and the form say signing in needs a connection; online again, signing in works', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  const noa = person('Noa', orgFor('sign-out offline'), 'admin');
  await signInWithForm(page, noa);
  await expectSynced(page);
  await signOutFromMenu(page);
  const notice = page.getByRole('region', { name: 'You’re signed out' });
  await expect(notice).toContainText('Sign in again and it comes back from the server.');

  // Offline the notice no longer promises the data back on signing in.
  await context.setOffline(true);
  await expect(notice).toContainText('You’re offline: signing in needs a connection.');
  await expect(notice).not.toContainText('Sign in again and it comes back');
  const signInButton = page.getByRole('button', { name: 'Sign in' });
  await expect(signInButton).toHaveAccessibleDescription(
    'You’re offline: signing in needs a connection.',
  );
  await expectAccessible(page, 'signed out offline');
  await screenshot(page, 'signed-out-offline-360');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'signed-out-offline-1280');
  // Trying anyway says the same, plainly.
  await page.getByLabel('Name').fill(noa.name);
  await page.getByLabel('Email').fill(noa.email);
  await page.getByLabel('Organization').fill(noa.org);
  await signInButton.click();
  await expect(page.getByRole('alert')).toHaveText(
    'You’re offline: signing in needs a connection.',
  );
  await screenshot(page, 'signed-out-offline-tried-1280');

  // Online again: the notice says what is true again, and signing in brings the data back.
  await context.setOffline(false);
  await expect(notice).toContainText('Sign in again and it comes back from the server.');
  await signInButton.click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await context.close();
});

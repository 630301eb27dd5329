import { expect, test, type Page, type Route } from '@playwright/test';
import {
  accountButton,
  createProject,
  DESKTOP,
  deviceCredentialStored,
  expectAccessible,
  expectSynced,
  newPhone,
  orgFor,
  person,
  screenshot,
  signInWithForm,
  signOutFromMenu,
} from './helpers';

declare global {
  interface Window {
    /** A connection to the replica that never lets go (see the blocked-deletion test). */
    heldOpen?: IDBDatabase;
  }
}

/** The revoke of the device's sync credential, which sign-out sends before removing anything. */
const REVOKE = /\/api\/v1\/sync\/credentials\/[^/]+$/;

/** Signed in with a project open and synced, the device credential stored. */
async function readyToSignOut(page: Page, label: string): Promise<void> {
  await signInWithForm(page, person('Noa', orgFor(label), 'admin'));
  await createProject(page, 'Garden');
  await expectSynced(page);
  await expect.poll(() => deviceCredentialStored(page)).toBe(true);
}

test('the server failing the revoke: sign-out says what failed; Cancel goes back with the half-typed title, Try again signs out', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await readyToSignOut(page, 'sign-out revoke fails');
  await context.route(REVOKE, (route) => route.fulfill({ status: 503 }));
  await page.getByLabel('New task title').fill('Order the tulip bulbs');
  await signOutFromMenu(page);

  // It says what failed and that nothing was removed; its first way on has focus.
  const failed = page.getByRole('alert', { name: 'Signing out did not finish' });
  await expect(failed).toContainText(
    'This device’s sync access could not be withdrawn: the server answered with an error (HTTP 503). Nothing was removed',
  );
  await expect(failed.getByRole('button', { name: 'Try again' })).toBeFocused();
  await expect(failed.getByRole('button', { name: 'Sign out anyway' })).toBeVisible();
  await expectAccessible(page, 'sign-out failed');
  await screenshot(page, 'sign-out-failed-360');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'sign-out-failed-1280');

  // Cancel: the workspace as it was, the title still typed, focus back on the account button
  // (whose menu Sign out was in).
  await failed.getByRole('button', { name: 'Cancel' }).click();
  await expect(failed).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Garden', level: 2 })).toBeVisible();
  await expect(page.getByLabel('New task title')).toHaveValue('Order the tulip bulbs');
  await expect(accountButton(page)).toBeFocused();
  await expect(page.getByRole('menu')).toHaveCount(0);

  // Again, the server back: Try again signs out, the title shown on the sign-in screen to copy.
  await signOutFromMenu(page);
  await expect(failed).toBeVisible();
  await context.unroute(REVOKE);
  const revoked = page.waitForResponse((r) => REVOKE.test(r.url()));
  await failed.getByRole('button', { name: 'Try again' }).click();
  expect((await revoked).status()).toBe(204);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const notice = page.getByRole('alert', { name: 'Not saved' });
  await expect(notice.getByLabel('Add a task')).toHaveValue('Order the tulip bulbs');
  await context.close();
});

test('a revoke the server never answers: past the time limit sign-out says so, and "Sign out anyway" signs out', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  // The page's timers, moved on by hand below: no waiting out the limit for real.
  await page.clock.install();
  await readyToSignOut(page, 'sign-out revoke hangs');
  const hung: Route[] = [];
  await context.route(REVOKE, (route) => void hung.push(route));
  const asked = page.waitForRequest(REVOKE);
  await signOutFromMenu(page);
  await asked;
  await expect(page.getByText('Signing out and removing this account’s data')).toBeVisible();

  await page.clock.fastForward(10_000);
  const failed = page.getByRole('alert', { name: 'Signing out did not finish' });
  await expect(failed).toContainText('the server did not answer in time. Nothing was removed');
  await failed.getByRole('button', { name: 'Sign out anyway' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await context.close();
});

test('another tab holding the database open holds up the deletion: sign-out says so, and finishes once it lets go', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await readyToSignOut(page, 'sign-out blocked');
  // Not the app (which lets go when the database is deleted): a connection with no
  // `versionchange` handler, as an old build's tab or a devtools snippet holds one.
  const other = await context.newPage();
  await other.goto('/api/v1/health');
  const userId = await page.evaluate(
    () =>
      (JSON.parse(localStorage.getItem('outpost.accounts.v1') ?? '{}') as { currentUserId: string })
        .currentUserId,
  );
  await other.evaluate(async (name) => {
    window.heldOpen = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }, `outpost-${userId}`);

  await signOutFromMenu(page);
  const waiting = page
    .getByRole('status')
    .filter({ hasText: 'Signing out waits for another tab.' });
  await expect(waiting).toContainText('Close it, and signing out finishes here by itself.');
  await expectAccessible(page, 'sign-out blocked');
  await screenshot(page, 'sign-out-blocked-360');

  await other.evaluate(() => window.heldOpen?.close());
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await context.close();
});

test('offline, the sign-out agreed to goes through without the server: no revoke tried, no failure', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await readyToSignOut(page, 'sign-out offline');
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toContainText('Offline');
  await signOutFromMenu(page);
  await page
    .getByRole('alertdialog', { name: 'Sign out while offline?' })
    .getByRole('button', { name: 'Sign out anyway' })
    .click();
  await expect(page.getByRole('heading', { name: 'You’re signed out' })).toBeVisible();
  await expect(page.getByRole('alert', { name: 'Signing out did not finish' })).toHaveCount(0);
  await context.close();
});

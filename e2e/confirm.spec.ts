import { expect, test, type Page } from '@playwright/test';
import {
  accountButton,
  addTask,
  expectAccessible,
  expectNoHorizontalScroll,
  expectSynced,
  newPhone,
  orgFor,
  person,
  screenshot,
  signInToProject,
  signOutFromMenu,
} from './helpers';

/** The app asks in its own dialog: a browser confirm() or alert() fails the test. */
function refuseNativeDialogs(page: Page): string[] {
  const native: string[] = [];
  page.on('dialog', (d) => {
    native.push(d.message());
    void d.dismiss();
  });
  return native;
}

test('deleting a project asks in an accessible dialog: focus on Cancel, Escape cancels, focus returns', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  const native = refuseNativeDialogs(page);
  await signInToProject(page, person('Ana', orgFor('confirm-project'), 'admin'), 'Doomed', [
    'First task',
  ]);

  // On a phone, Delete is in the project's "More actions" menu; focus comes back to its button.
  const more = page.getByRole('button', { name: 'More actions' });
  const remove = async () => {
    await more.click();
    await page.getByRole('menuitem', { name: 'Delete project' }).click();
  };
  await remove();
  const dialog = page.getByRole('alertdialog', { name: 'Delete “Doomed”?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('its tasks are hidden');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  // Fits a phone: inside the viewport, nothing scrolls sideways.
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(360);
  await expectNoHorizontalScroll(page, 'confirm dialog');
  await expectAccessible(page, 'confirm dialog');
  await screenshot(page, 'confirm-360-delete-project');
  // The page's keys do nothing behind it (? would open the shortcuts over it).
  await page.keyboard.press('j');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(more).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Doomed', level: 2 })).toBeAttached();

  // Cancel does nothing either; Delete project deletes it.
  await remove();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(more).toBeFocused();
  await remove();
  await dialog.getByRole('button', { name: 'Delete project' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Doomed' })).toHaveCount(0);
  expect(native).toEqual([]);
  await context.close();
});

test('signing out with unsent changes, or offline, asks in the app’s dialog, which follows the changes as they are sent, and Cancel keeps the session', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  const native = refuseNativeDialogs(page);
  await signInToProject(page, person('Ana', orgFor('confirm-sign-out'), 'admin'), 'Offline work');
  await expectSynced(page);
  await context.setOffline(true);
  await addTask(page, 'Written offline');

  const account = accountButton(page);
  await signOutFromMenu(page);
  const dialog = page.getByRole('alertdialog', { name: 'Sign out with unsent changes?' });
  await expect(dialog).toContainText('1 change has not reached the server');
  // Offline as well: the second reason not to sign out now is said too.
  await expect(dialog).toContainText('You are offline too: signing in again needs a connection.');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshot(page, 'confirm-360-sign-out');

  // Back online with the question open, the change is sent: the question says so in place (the
  // same dialog, Cancel still focused), and nothing is lost by going ahead now.
  await context.setOffline(false);
  const ready = page.getByRole('alertdialog', { name: 'Sign out?' });
  await expect(ready).toContainText('Every change has reached the server.');
  await expect(ready.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await expect(ready.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshot(page, 'confirm-360-sign-out-sent');
  await ready.getByRole('button', { name: 'Cancel' }).click();
  await expect(ready).toHaveCount(0);
  // Back on the account button whose menu Sign out was in, the menu closed.
  await expect(account).toBeFocused();
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(page.getByLabel('New task title')).toBeVisible();

  // Offline with nothing unsent, signing out still asks: the workspace leaves the device and
  // signing in again needs the network.
  await expectSynced(page);
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toContainText('Offline');
  await signOutFromMenu(page);
  const offline = page.getByRole('alertdialog', { name: 'Sign out while offline?' });
  await expect(offline).toContainText('until you are back online you cannot open it here');
  await expect(offline.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshot(page, 'confirm-360-sign-out-offline');
  await offline.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByLabel('New task title')).toBeVisible();

  // Online with nothing unsent, signing out asks nothing.
  await context.setOffline(false);
  await expectSynced(page);
  await signOutFromMenu(page);
  await expect(page.getByRole('heading', { name: 'Sign in (development mode)' })).toBeVisible();
  expect(native).toEqual([]);
  await context.close();
});

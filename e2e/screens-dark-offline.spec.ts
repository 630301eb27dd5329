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
  signOutFromMenu,
  taskDetail,
  taskTitle,
  waitForServiceWorker,
} from './helpers';

const PROJECT = 'Renovation of the north wing offices and the shared kitchen on the second floor';
const LONG =
  'Collect the signed permits from the council office and scan every page before the inspection with the building surveyor and our architect';

/**
 * The screens changed last (the set-up card, the "Created" toast, a long title's toast, the
 * search's ×, the bulk bar, "Completed" in the detail, the project's actions, your own row in
 * Members, the feed, the signed-out notice) as they show in dark mode with no connection: axe
 * (contrast among its rules) on each, and the words that depend on the connection.
 */
for (const size of ['360', '1280'] as const) {
  test(`at ${size} px in dark mode, offline: last changed screens pass axe and say what is true offline`, async ({
    browser,
  }) => {
    test.setTimeout(240_000);
    const { context, page } = await newPhone(browser, {
      colorScheme: 'dark',
      ...(size === '1280' ? { viewport: DESKTOP } : {}),
    });
    const shot = (name: string) => screenshot(page, `dark-offline-${name}-${size}`);
    await signIn(page, person('Ana', orgFor(`dark offline ${size}`), 'admin'));
    const setup = page.getByTestId('setup-progress');
    await expect(setup).toContainText('This device is set up');
    await expectSynced(page);
    // Members, opened offline below, is a chunk of its own: the service worker serves it once it
    // controls the page (a sign-in typed by hand used to take long enough for that).
    await waitForServiceWorker(page);
    await context.setOffline(true);
    const connection = page.getByTestId('connection');
    await expect(connection).toContainText('Offline');
    await expectAccessible(page, `first screen ${size}`);
    await shot('first-screen');

    // Written locally, so "Created" is true offline too.
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('textbox', { name: 'New project name' }).fill(PROJECT);
    await page.getByRole('textbox', { name: 'New project name' }).press('Enter');
    const toasts = page.getByRole('region', { name: 'Recent actions' }).getByRole('status');
    const created = toasts.filter({ hasText: 'Created' });
    await expect(created).toContainText(`Created “${PROJECT}”`);
    await created.hover();
    await expectAccessible(page, `created toast ${size}`);
    await shot('created-toast');
    await page.getByRole('list', { name: 'Projects' }).getByRole('link', { name: PROJECT }).click();
    await expect(page.getByRole('heading', { name: PROJECT, level: 2 })).toBeAttached();

    for (const title of [LONG, 'Pack books']) {
      await page.getByLabel('New task title').fill(title);
      await page.getByRole('button', { name: 'Add task' }).click();
      await expect(taskTitle(page, title)).toBeVisible();
    }
    await page.getByRole('checkbox', { name: `Complete “${LONG}”` }).click();
    const completed = toasts.filter({ hasText: 'Completed' });
    await expect(completed).toBeVisible();
    // The long title's toast held by the pointer at once (its timer runs until then), the search
    // with text in it (its × inside the field), the project's actions (buttons at 1280 px).
    await completed.hover();
    await page.getByRole('searchbox', { name: /Search tasks/ }).fill('pack');
    await expect(taskTitle(page, 'Pack books')).toBeVisible();
    await expect(completed).toBeVisible();
    await expectAccessible(page, `search and long toast ${size}`);
    await shot('search-toast');
    await page.mouse.move(0, 0);
    if (size === '360') {
      await page.getByRole('button', { name: 'More actions' }).click();
      await expect(page.getByRole('menuitem', { name: 'Delete project' })).toBeVisible();
      await expectAccessible(page, `project actions ${size}`);
      await page.keyboard.press('Escape');
    }

    // The bulk bar (a phone's Select shows a box per row; on a laptop Shift+click selects).
    await page.getByRole('searchbox', { name: /Search tasks/ }).fill('');
    if (size === '360') {
      await page.getByRole('button', { name: 'Select', exact: true }).click();
      await page.getByRole('checkbox', { name: 'Select “Pack books”' }).check();
    } else await taskTitle(page, 'Pack books').click({ modifiers: ['Shift'] });
    const bar = page.getByRole('toolbar', { name: 'Selected tasks' });
    await expect(bar).toContainText('1 selected');
    await expectAccessible(page, `bulk bar ${size}`);
    await shot('bulk-bar');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    // The detail of a task set to Completed.
    await taskTitle(page, 'Pack books').click();
    await taskDetail(page).getByLabel('Status').selectOption({ label: 'Completed' });
    await expect(taskDetail(page).getByLabel('Status')).toHaveValue('done');
    await expectAccessible(page, `task detail ${size}`);
    await shot('task-detail');
    await taskDetail(page).getByRole('button', { name: 'Close task details' }).click();

    // Your own row says you are offline, not "online now".
    await page.getByRole('link', { name: 'Members' }).click();
    const me = page.getByRole('list', { name: 'Members' }).getByRole('listitem').first();
    await expect(me).toContainText('(you)');
    await expect(me).toContainText('offline');
    await expect(me).not.toContainText('online now');
    // "Invite someone" looks and acts unavailable, the reason tied to it.
    const invite = page.getByRole('button', { name: 'Invite someone' });
    await expect(invite).toHaveAttribute('aria-disabled', 'true');
    await expect(invite).toHaveAccessibleDescription(/need a connection/);
    await expectAccessible(page, `members ${size}`);
    await shot('members');

    // The feed (written by the server: what reached it before the connection went).
    await context.setOffline(false);
    await expectSynced(page);
    await expect(me).toContainText('online now');
    await page.getByRole('link', { name: 'Activity' }).click();
    await expect(page.getByRole('list', { name: 'Activity feed' })).toContainText(
      'created the project',
    );
    await context.setOffline(true);
    await expect(connection).toContainText('Offline');
    await expectAccessible(page, `activity ${size}`);
    await shot('activity');

    // Signed out (online: offline it asks first), then the form with no connection.
    await context.setOffline(false);
    await expectSynced(page);
    await signOutFromMenu(page);
    await expect(page.getByRole('heading', { name: 'You’re signed out' })).toBeVisible();
    await context.setOffline(true);
    await expect(page.getByRole('region', { name: 'You’re signed out' })).toContainText(
      'You’re offline: signing in needs a connection.',
    );
    await expectAccessible(page, `signed out ${size}`);
    await shot('signed-out');
    await context.close();
  });
}

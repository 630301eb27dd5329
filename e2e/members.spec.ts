import { expect, test, type BrowserContext, type Route } from '@playwright/test';
import {
  accountButton,
  addTask,
  createProject,
  DESKTOP,
  devToken,
  expectAccessible,
  expectNoHorizontalScroll,
  expectSynced,
  newPhone,
  openProject,
  orgFor,
  person,
  screenshot,
  signIn,
  taskTitle,
} from './helpers';

test('an admin manages members (role, last seen, remove); other roles never see it', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('members');
  const ben = person('Ben', org, 'member');
  const cy = person('Cy', org, 'member');
  // Ben and Cy have used the org (so they are members and were seen).
  for (const who of [ben, cy]) {
    const token = await devToken(baseURL!, who);
    await fetch(`${baseURL}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  }

  // Cy has the app open (its real-time socket too) when removed.
  const cyApp = await newPhone(browser);
  await signIn(cyApp.page, cy);
  await expectSynced(cyApp.page);

  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', org, 'admin'));
  await page.getByRole('link', { name: 'Members' }).click();
  const list = page.getByRole('list', { name: 'Members' });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(list.getByRole('listitem').filter({ hasText: 'Ben' })).toContainText('seen');
  // Your own row says you are here, not when the server last saw you ("seen 36 s ago").
  const own = list.getByRole('listitem').filter({ hasText: '(you)' });
  await expect(own).toContainText('Ana (you)');
  await expect(own.locator('.member-seen')).toHaveText('online now');
  // Your own role and membership are another admin's to change.
  await expect(page.getByLabel('Role of Ana')).toBeDisabled();
  await expectNoHorizontalScroll(page, 'members');
  await expectAccessible(page, 'members');
  await screenshot(page, 'members-360');

  await page.getByLabel('Role of Ben').selectOption('manager');
  await expect
    .poll(async () => {
      const token = await devToken(baseURL!, ben);
      const me = await fetch(`${baseURL}/api/v1/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return ((await me.json()) as { role: string }).role;
    })
    .toBe('manager');

  await list
    .getByRole('listitem')
    .filter({ hasText: 'Cy' })
    .getByRole('button', { name: 'Remove' })
    .click();
  const removeCy = page.getByRole('alertdialog', { name: 'Remove Cy?' });
  // It says what the removal does to Cy's tasks, which the server unassigns with it.
  await expect(removeCy).toContainText('the tasks assigned to them become unassigned');
  await removeCy.getByRole('button', { name: 'Remove' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
  // Cy's token now gets 403 with a reason, and Cy is not re-created.
  const cyToken = await devToken(baseURL!, cy).catch((err: Error) => err.message);
  expect(cyToken).toContain('403');
  // Cy's open app is told at once: its socket closes (4012) and the sync it runs is refused
  // (the next one would come only with the slow timer, a minute later).
  await expect(cyApp.page.getByTestId('connection')).toContainText(
    'removed from this organization',
  );
  await cyApp.context.close();

  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'members-1280');
  await context.close();

  // A member (Ben is a manager now) has no Members tab.
  const other = await newPhone(browser);
  await signIn(other.page, person('Dee', org, 'member'));
  await expect(other.page.getByRole('link', { name: 'Activity' })).toBeVisible();
  await expect(other.page.getByRole('link', { name: 'Members' })).toHaveCount(0);
  await other.context.close();
});

test('on a phone a member’s email stays on one line (ellipsis, the full address in its title), not broken mid-word', async ({
  browser,
}) => {
  const ana = person('Ana', orgFor('members email with a long hyphenated org name'), 'admin');
  const { context, page } = await newPhone(browser);
  await signIn(page, ana);
  await page.getByRole('link', { name: 'Members' }).click();
  const email = page.getByRole('list', { name: 'Members' }).getByText(ana.email);
  await expect(email).toBeVisible();
  await expect(email).toHaveAttribute('title', ana.email);
  // One line box: it broke anywhere, a hyphen included ("ana@e2e-members-" / "email-…").
  const shape = () =>
    email.evaluate((el) => ({
      lines: el.getClientRects().length,
      cut: el.scrollWidth > el.clientWidth,
    }));
  expect(await shape()).toEqual({ lines: 1, cut: true });
  await expectNoHorizontalScroll(page, 'members email');
  await screenshot(page, 'members-email-360');
  // On a laptop it has the room: all of it shows.
  await page.setViewportSize(DESKTOP);
  await expect.poll(shape).toEqual({ lines: 1, cut: false });
  await screenshot(page, 'members-email-1280');
  await context.close();
});

test('a removed member with the app open is refused adding and editing, told why, and not offered Sync now', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const org = orgFor('removed member');
  const cy = await newPhone(browser);
  await signIn(cy.page, person('Cy', org, 'member'));
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', org, 'admin'));
  await createProject(page, 'Garden');
  await addTask(page, 'Water roses');
  await openProject(cy.page, 'Garden');
  await expect(taskTitle(cy.page, 'Water roses')).toBeVisible();

  // Ana removes Cy while Cy's app is open on the project.
  await page.getByRole('link', { name: 'Members' }).click();
  await page
    .getByRole('list', { name: 'Members' })
    .getByRole('listitem')
    .filter({ hasText: 'Cy' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await page
    .getByRole('alertdialog', { name: 'Remove Cy?' })
    .getByRole('button', { name: 'Remove' })
    .click();
  const status = cy.page.getByTestId('connection');
  await expect(status).toContainText('removed from this organization');
  // Nothing to sync: no "Sync now" to press in vain (signing out stays).
  const bar = cy.page.getByRole('contentinfo', { name: 'Sync status' });
  await expect(bar.getByRole('button', { name: 'Sync now' })).toHaveCount(0);
  await expect(accountButton(cy.page)).toBeVisible();

  // Adding a task is refused, saying why; what was typed stays in the field.
  const refused = cy.page
    .getByRole('region', { name: 'Recent actions' })
    .getByRole('status')
    .filter({ hasText: 'You were removed from this organization' });
  await cy.page.getByLabel('New task title').fill('Prune hedge');
  await cy.page.getByRole('button', { name: 'Add task' }).click();
  await expect(refused).toHaveCount(1);
  await expect(cy.page.getByLabel('New task title')).toHaveValue('Prune hedge');
  await expect(taskTitle(cy.page, 'Prune hedge')).toHaveCount(0);
  await refused.getByRole('button', { name: 'Dismiss' }).click();
  await expect(refused).toHaveCount(0);
  // So is completing one.
  const tick = cy.page.getByRole('checkbox', { name: 'Complete “Water roses”' });
  await tick.click();
  await expect(refused).toHaveCount(1);
  await expect(tick).not.toBeChecked();
  // Nothing was written that could never be sent.
  await expect(status).not.toContainText('unsent');
  await screenshot(cy.page, 'removed-member-360');
  await cy.page.setViewportSize(DESKTOP);
  await screenshot(cy.page, 'removed-member-1280');

  await cy.context.close();
  await context.close();
});

test('offline, every control is unavailable, tied to the reason, keeps keyboard focus, and comes back by itself online', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const org = orgFor('members invite offline');
  // Ben has used the org: a member with a role to change and a Remove button.
  const ben = await devToken(baseURL!, person('Ben', org, 'member'));
  await fetch(`${baseURL}/api/v1/me`, { headers: { authorization: `Bearer ${ben}` } });
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', org, 'admin'));
  await expectSynced(page);
  await page.getByRole('link', { name: 'Members' }).click();
  const invite = page.getByRole('button', { name: 'Invite someone' });
  const form = page.getByRole('form', { name: 'Invite someone' });
  const reason =
    'You’re offline. Inviting people, changing roles and removing members need a connection.';
  await invite.focus();

  // It looked enabled while the line under it said inviting needs a connection.
  await context.setOffline(true);
  await expect(page.getByText(reason)).toBeVisible();
  await expect(invite).toHaveAttribute('aria-disabled', 'true');
  await expect(invite).toHaveAccessibleDescription(reason);
  expect(await invite.evaluate((el) => getComputedStyle(el).opacity)).toBe('0.6');
  // Still where the keyboard was (a `disabled` button drops focus to the page).
  await expect(invite).toBeFocused();
  await page.keyboard.press('Enter');
  // A pointer too (Playwright waits for an enabled control unless forced).
  await invite.click({ force: true });
  await expect(form).toHaveCount(0);
  await expectAccessible(page, 'members offline');
  await screenshot(page, 'members-invite-offline-360');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'members-invite-offline-1280');

  // Back online it is available again, with nobody reloading, and focus never moved.
  await context.setOffline(false);
  await expect(page.getByText(reason)).toHaveCount(0);
  await expect(invite).not.toHaveAttribute('aria-disabled', 'true');
  await expect(invite).toHaveAccessibleDescription('');
  await expect(invite).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(form.getByLabel('Name')).toBeFocused();
  await screenshot(page, 'members-invite-online-1280');

  // The open form's Send does the same: unavailable offline, keeping focus, the reason tied to it.
  const send = form.getByRole('button', { name: 'Send invitation' });
  await form.getByLabel('Name').fill('Bea');
  await send.focus();
  await context.setOffline(true);
  await expect(send).toHaveAttribute('aria-disabled', 'true');
  await expect(send).toHaveAccessibleDescription(reason);
  await expect(send).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(form.getByLabel('Name')).toHaveValue('Bea');
  await screenshot(page, 'members-invite-form-offline-1280');
  await context.setOffline(false);
  await expect(send).not.toHaveAttribute('aria-disabled', 'true');
  await expect(send).toBeFocused();

  // Sent: Bea is invited, with a role to change and an invitation to revoke.
  await form.getByLabel('Email').fill('bea@example.com');
  await page.keyboard.press('Enter');
  await expect(form).toHaveCount(0);
  const rows = page.getByRole('listitem');
  const benRow = rows.filter({ hasText: 'Ben' });
  const beaRow = rows.filter({ hasText: 'Bea' });
  await expect(beaRow.getByRole('button', { name: 'Revoke invitation' })).toBeVisible();
  const failed = page.getByRole('alert').filter({ hasText: 'Could not' });
  const asking = page.getByRole('alertdialog');

  // The role selects and Remove / Revoke were `disabled` offline: focus fell to the page.
  const roleOfBen = page.getByLabel('Role of Ben');
  await expect(roleOfBen).toHaveValue('member');
  await roleOfBen.focus();
  await context.setOffline(true);
  await expect(roleOfBen).toHaveAttribute('aria-disabled', 'true');
  await expect(roleOfBen).toHaveAccessibleDescription(reason);
  expect(await roleOfBen.evaluate((el) => getComputedStyle(el).opacity)).toBe('0.6');
  await expect(roleOfBen).toBeFocused();
  // No key, press or pick changes the role.
  for (const key of ['ArrowDown', 'End', 'm', 'Enter', ' ']) await page.keyboard.press(key);
  await roleOfBen.click({ force: true });
  // Picked some other way (Playwright refuses options of an aria-disabled select): a change event.
  await roleOfBen.evaluate((el: HTMLSelectElement) => {
    el.value = 'admin';
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expect(roleOfBen).toHaveValue('member');
  await expect(roleOfBen).toBeFocused();
  await expect(failed).toHaveCount(0);
  await screenshot(page, 'members-role-offline-1280');
  await page.setViewportSize({ width: 360, height: 780 });
  await screenshot(page, 'members-role-offline-360');
  await page.setViewportSize(DESKTOP);
  await context.setOffline(false);
  await expect(roleOfBen).not.toHaveAttribute('aria-disabled', 'true');
  await expect(roleOfBen).toHaveAccessibleDescription('');
  await expect(roleOfBen).toBeFocused();
  await roleOfBen.selectOption('manager');
  await expect(roleOfBen).toHaveValue('manager');

  for (const [button, title] of [
    [benRow.getByRole('button', { name: 'Remove' }), 'Remove Ben?'],
    [beaRow.getByRole('button', { name: 'Revoke invitation' }), 'Revoke the invitation for Bea?'],
  ] as const) {
    await button.focus();
    await context.setOffline(true);
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    await expect(button).toHaveAccessibleDescription(reason);
    await expect(button).toBeFocused();
    await page.keyboard.press('Enter');
    await button.click({ force: true });
    await expect(asking).toHaveCount(0);
    await context.setOffline(false);
    await expect(button).not.toHaveAttribute('aria-disabled', 'true');
    await expect(button).toHaveAccessibleDescription('');
    await expect(button).toBeFocused();
    // Online it asks again; Escape backs out.
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alertdialog', { name: title })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(asking).toHaveCount(0);
  }
  await expect(benRow).toHaveCount(1);
  await expect(beaRow).toHaveCount(1);
  await context.close();
});

/**
 * Holds every request to one user row (role change, removal) until the test answers it: the
 * save takes exactly as long as the test needs to look, with no timing involved.
 */
async function holdUserWrites(context: BrowserContext) {
  const held: Route[] = [];
  const sent: string[] = [];
  await context.route(/\/api\/v1\/primary-data\/users\/[^/?]+$/, (route) => {
    sent.push(route.request().method());
    held.push(route);
  });
  return {
    /** The methods sent so far, in order. */
    sent,
    /** The next held request, once the app has sent it. */
    async next(): Promise<Route> {
      await expect.poll(() => held.length, { message: 'a held request' }).toBeGreaterThan(0);
      return held.shift()!;
    },
    async stop(): Promise<void> {
      await context.unrouteAll({ behavior: 'ignoreErrors' });
    },
  };
}

/** A member of `org` who has used it (a row with a role and a Remove button). */
async function joined(baseURL: string, who: ReturnType<typeof person>): Promise<void> {
  const token = await devToken(baseURL, who);
  await fetch(`${baseURL}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
}

test('while a row’s change is being saved its controls keep focus, say “Saving…”, send nothing twice, and come back with the answer', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('members saving');
  await joined(baseURL!, person('Ben', org, 'member'));
  await joined(baseURL!, person('Cy', org, 'member'));
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', org, 'admin'));
  await expectSynced(page);
  await page.getByRole('link', { name: 'Members' }).click();
  const list = page.getByRole('list', { name: 'Members' });
  const benRow = list.getByRole('listitem').filter({ hasText: 'Ben' });
  const roleOfBen = page.getByLabel('Role of Ben');
  const removeBen = benRow.getByRole('button', { name: 'Remove' });
  const asking = page.getByRole('alertdialog');
  const failed = page.getByRole('alert');
  await expect(roleOfBen).toHaveValue('member');
  const gate = await holdUserWrites(context);

  // A role change on its way: the select was `disabled`, so focus fell to the page mid-save.
  await roleOfBen.focus();
  await roleOfBen.selectOption('manager');
  const patch = await gate.next();
  await expect(roleOfBen).toHaveAttribute('aria-disabled', 'true');
  await expect(roleOfBen).toHaveAccessibleDescription('Saving…');
  await expect(roleOfBen).toBeFocused();
  // It shows what was picked, not the old role, while it is saved.
  await expect(roleOfBen).toHaveValue('manager');
  await expect(benRow).toContainText('Saving…');
  await expect(removeBen).toHaveAttribute('aria-disabled', 'true');
  await expect(removeBen).toHaveAccessibleDescription('Saving…');
  // Nothing changes it again or sends anything: no key, press or change event, no Remove.
  for (const key of ['ArrowDown', 'End', 'a', 'Enter', ' ']) await page.keyboard.press(key);
  await roleOfBen.evaluate((el: HTMLSelectElement) => {
    el.value = 'admin';
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expect(roleOfBen).toHaveValue('manager');
  await expect(roleOfBen).toBeFocused();
  await removeBen.click({ force: true });
  await expect(asking).toHaveCount(0);
  // (The press focused Remove; back on the select for the answer.)
  await roleOfBen.focus();
  await screenshot(page, 'members-saving-360');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'members-saving-1280');

  // The answer brings the controls back, focus where it was.
  await patch.continue();
  await expect(roleOfBen).not.toHaveAttribute('aria-disabled', 'true');
  await expect(roleOfBen).toHaveAccessibleDescription('');
  await expect(removeBen).not.toHaveAttribute('aria-disabled', 'true');
  await expect(roleOfBen).toBeFocused();
  await expect(roleOfBen).toHaveValue('manager');
  await expect(benRow).not.toContainText('Saving…');
  expect(gate.sent).toEqual(['PATCH']);

  // An error answer brings them back too, the old role shown again and the reason told.
  await roleOfBen.selectOption('admin');
  const refused = await gate.next();
  await expect(roleOfBen).toHaveAttribute('aria-disabled', 'true');
  await expect(roleOfBen).toBeFocused();
  await refused.fulfill({ status: 409, json: { error: 'someone changed it meanwhile' } });
  await expect(failed).toHaveText('Could not change the role of Ben: someone changed it meanwhile');
  await expect(roleOfBen).not.toHaveAttribute('aria-disabled', 'true');
  await expect(roleOfBen).toHaveValue('manager');
  await expect(roleOfBen).toBeFocused();

  // A removal on its way: focus comes back from the dialog to Remove and stays there.
  await removeBen.focus();
  await page.keyboard.press('Enter');
  await asking.getByRole('button', { name: 'Remove' }).click();
  const remove = await gate.next();
  await expect(asking).toHaveCount(0);
  await expect(removeBen).toHaveAttribute('aria-disabled', 'true');
  await expect(removeBen).toHaveAccessibleDescription('Saving…');
  await expect(removeBen).toBeFocused();
  await page.keyboard.press('Enter');
  await removeBen.click({ force: true });
  await expect(asking).toHaveCount(0);
  await remove.continue();
  await expect(benRow).toHaveCount(0);
  // Ben's row gone, focus is on the row now in its place (it fell to the page).
  await expect(page.getByLabel('Role of Cy')).toBeFocused();
  expect(gate.sent).toEqual(['PATCH', 'PATCH', 'DELETE']);
  // The last row with controls gone: the screen's heading.
  await list
    .getByRole('listitem')
    .filter({ hasText: 'Cy' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await asking.getByRole('button', { name: 'Remove' }).click();
  await (await gate.next()).continue();
  await expect(list.getByRole('listitem').filter({ hasText: 'Cy' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Members' })).toBeFocused();
  await gate.stop();
  await context.close();
});

test('a Remove / Revoke confirmation open as the connection goes waits, Cancel still works, it goes ahead back online, and a request cut mid-way says “You’re offline”', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const org = orgFor('members confirm offline');
  const ana = person('Ana', org, 'admin');
  await joined(baseURL!, person('Ben', org, 'member'));
  // Bea is invited (not signed in yet): an invitation to revoke.
  const invited = await fetch(`${baseURL}/api/v1/primary-data/users`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await devToken(baseURL!, ana)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name: 'Bea', email: 'bea@example.com', role: 'member' }),
  });
  expect(invited.status).toBe(201);
  const { context, page } = await newPhone(browser);
  await signIn(page, ana);
  await expectSynced(page);
  await page.getByRole('link', { name: 'Members' }).click();
  const benRow = page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({
    hasText: 'Ben',
  });
  const beaRow = page.getByRole('listitem').filter({ hasText: 'Bea' });
  const revokeBea = beaRow.getByRole('button', { name: 'Revoke invitation' });
  await expect(revokeBea).toBeVisible();
  const failed = page.getByRole('alert');
  // Offline, each question says which action on whom waits (not one sentence for both).
  const offlineInDialog =
    'You’re offline — removing Ben needs a connection. It works again once you’re back online.';

  // Asked online; the connection goes with the dialog open. Confirming failed with "Could not…".
  await benRow.getByRole('button', { name: 'Remove' }).click();
  const asking = page.getByRole('alertdialog', { name: 'Remove Ben?' });
  const confirm = asking.getByRole('button', { name: 'Remove' });
  await confirm.focus();
  await context.setOffline(true);
  await expect(confirm).toHaveAttribute('aria-disabled', 'true');
  await expect(confirm).toHaveAccessibleDescription(offlineInDialog);
  await expect(asking).toContainText(offlineInDialog);
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await confirm.click({ force: true });
  await expect(asking).toBeVisible();
  await expect(failed).toHaveCount(0);
  await expectAccessible(page, 'members confirm offline');
  await screenshot(page, 'members-confirm-offline-360');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'members-confirm-offline-360-dark');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'members-confirm-offline-1280-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, 'members-confirm-offline-1280');

  // Back online the same dialog goes ahead, with nobody opening it again.
  await context.setOffline(false);
  await expect(confirm).not.toHaveAttribute('aria-disabled', 'true');
  await expect(confirm).toHaveAccessibleDescription('');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(asking).toHaveCount(0);
  await expect(benRow).toHaveCount(0);
  await expect(failed).toHaveCount(0);

  // Offline, Cancel still backs out; focus goes back to Revoke, which says why it waits.
  await revokeBea.click();
  const revoking = page.getByRole('alertdialog', { name: 'Revoke the invitation for Bea?' });
  await context.setOffline(true);
  const revokeInDialog = revoking.getByRole('button', { name: 'Revoke invitation' });
  await expect(revokeInDialog).toHaveAttribute('aria-disabled', 'true');
  const revokeWaits =
    'You’re offline — revoking the invitation for Bea needs a connection. It works again once you’re back online.';
  await expect(revokeInDialog).toHaveAccessibleDescription(revokeWaits);
  await expect(revoking).toContainText(revokeWaits);
  await screenshot(page, 'members-revoke-offline-1280');
  await revoking.getByRole('button', { name: 'Cancel' }).click();
  await expect(revoking).toHaveCount(0);
  await expect(revokeBea).toBeFocused();
  await expect(revokeBea).toHaveAttribute('aria-disabled', 'true');

  // Confirmed online, the connection goes before the answer comes: it says so plainly.
  await context.setOffline(false);
  await expect(revokeBea).not.toHaveAttribute('aria-disabled', 'true');
  const gate = await holdUserWrites(context);
  await page.keyboard.press('Enter');
  await revoking.getByRole('button', { name: 'Revoke invitation' }).click();
  const cut = await gate.next();
  await context.setOffline(true);
  await cut.abort('internetdisconnected');
  await expect(failed).toHaveText(
    'You’re offline, so the request to revoke the invitation for Bea may not have reached the server. Once you’re back online, this page shows whether it did.',
  );
  await expect(revokeBea).toBeFocused();
  await expect(revokeBea).toHaveAccessibleDescription(/need a connection/);
  await screenshot(page, 'members-cut-offline-1280');
  // Back online the list shows it did not go through, and Revoke works again.
  await gate.stop();
  await context.setOffline(false);
  await expect(failed).toHaveCount(0);
  await expect(revokeBea).not.toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Enter');
  await revoking.getByRole('button', { name: 'Revoke invitation' }).click();
  await expect(beaRow).toHaveCount(0);
  await context.close();
});

test('while an invitation is sent, “Send invitation” keeps keyboard focus and sends nothing twice; an error brings it back', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('members invite sending'), 'admin'));
  await expectSynced(page);
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('button', { name: 'Invite someone' }).click();
  const form = page.getByRole('form', { name: 'Invite someone' });
  await form.getByLabel('Name').fill('Eve');
  await form.getByLabel('Email').fill('eve@example.com');
  const held: Route[] = [];
  await context.route(/\/api\/v1\/primary-data\/users$/, (route) => void held.push(route));
  const send = form.getByRole('button', { name: /Send invitation|Inviting…/ });
  await send.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => held.length).toBe(1);
  // It was `disabled` while sending: focus fell to the page.
  await expect(send).toHaveText('Inviting…');
  await expect(send).toHaveAttribute('aria-disabled', 'true');
  await expect(send).toBeFocused();
  await page.keyboard.press('Enter');
  await send.click({ force: true });
  await held[0]!.fulfill({ status: 409, json: { error: 'eve@example.com is already invited' } });
  await expect(form.getByRole('alert')).toHaveText(
    'Could not invite Eve: eve@example.com is already invited',
  );
  await expect(send).toHaveText('Send invitation');
  await expect(send).not.toHaveAttribute('aria-disabled', 'true');
  await expect(send).toBeFocused();
  // Nothing was sent twice meanwhile.
  expect(held).toHaveLength(1);
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await page.keyboard.press('Enter');
  await expect(form).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Invite someone' })).toBeFocused();
  await context.close();
});

import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  devToken,
  expectAccessible,
  expectNoHorizontalScroll,
  newPhone,
  orgFor,
  person,
  screenshot,
  signIn,
} from './helpers';

test('an admin invites someone from the Members tab; they join with that role on first sign-in', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('invite');
  const bea = person('Bea', org, 'member');
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', org, 'admin'));
  await page.getByRole('link', { name: 'Members' }).click();

  const form = page.getByRole('form', { name: 'Invite someone' });
  await page.getByRole('button', { name: 'Invite someone' }).click();
  await expect(form.getByLabel('Name')).toBeFocused();
  // Nothing typed: each field says what it needs, and nothing is sent.
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(form.getByText('Enter their name.')).toBeVisible();
  await expect(form.getByText('Enter their email address.')).toBeVisible();
  await expect(form.getByLabel('Name')).toBeFocused();

  await form.getByLabel('Name').fill('Bea');
  await form.getByLabel('Email').fill(` ${bea.email.toUpperCase()} `);
  await form.getByLabel('Role').selectOption('manager');
  await expectNoHorizontalScroll(page, 'invite form');
  await expectAccessible(page, 'invite form');
  await screenshot(page, 'invite-form-360');
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByText(`Invited “Bea” to sign in with`)).toBeVisible();
  await expect(form).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Invite someone' })).toBeFocused();
  const invited = page.getByRole('list', { name: /Invited \(1\)/ });
  await expect(invited.getByRole('listitem')).toHaveCount(1);
  await expect(invited).toContainText('not signed in yet');
  await expect(page.getByLabel('Role of Bea')).toHaveValue('manager');

  // The same email again (any case) is caught before it is sent.
  await page.getByRole('button', { name: 'Invite someone' }).click();
  await form.getByLabel('Name').fill('Bea again');
  await form.getByLabel('Email').fill(bea.email);
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(form.getByText(`Bea is already invited with ${bea.email}.`)).toBeVisible();
  await expect(form.getByLabel('Email')).toBeFocused();
  // Escape backs out without sending.
  await form.getByLabel('Name').fill('Cy');
  await form.getByLabel('Email').fill(`cy@${org}.example.com`);
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Invite someone' })).toBeFocused();
  await expect(invited.getByRole('listitem')).toHaveCount(1);

  // Bea signs in (asking for "member"): the invitation links, with the role Ana picked.
  const beaApp = await newPhone(browser);
  await signIn(beaApp.page, bea);
  const token = await devToken(baseURL!, bea);
  const me = (await (
    await fetch(`${baseURL}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { role: string; user: { name: string; externalId: string } };
  expect(me.role).toBe('manager');
  expect(me.user.name).toBe('Bea');
  expect(me.user.externalId).not.toMatch(/^invited:/);
  await beaApp.context.close();
  // On Ana's screen Bea moves from "Invited" to the members, without a reload.
  await page.getByRole('button', { name: 'Sync now' }).click();
  const members = page.getByRole('list', { name: 'Members' });
  await expect(members.getByRole('listitem').filter({ hasText: 'Bea' })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: /Invited/ })).toHaveCount(0);
  await page.getByRole('link', { name: 'Projects' }).click();
  await page.getByRole('link', { name: 'Members' }).click();
  await expect(members.getByRole('listitem').filter({ hasText: 'Bea' })).toContainText('seen');
  await expect(members.getByRole('listitem').filter({ hasText: 'Bea' })).not.toContainText('never');

  // An invitation can be revoked: it leaves the list (and the server).
  await page.getByRole('button', { name: 'Invite someone' }).click();
  await form.getByLabel('Name').fill('Dan');
  await form.getByLabel('Email').fill(`dan@${org}.example.com`);
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('list', { name: /Invited \(1\)/ })).toContainText('Dan');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'invite-list-1280');
  await page.getByRole('button', { name: 'Revoke invitation' }).click();
  await page
    .getByRole('alertdialog', { name: 'Revoke the invitation for Dan?' })
    .getByRole('button', { name: 'Revoke invitation' })
    .click();
  await expect(page.getByRole('heading', { name: /Invited/ })).toHaveCount(0);
  const list = await fetch(
    `${baseURL}/api/v1/primary-data/users?email=${encodeURIComponent(`dan@${org}.example.com`)}`,
    { headers: { authorization: `Bearer ${await devToken(baseURL!, person('Ana', org))}` } },
  );
  expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);

  // Offline, the screen says why nothing can be sent instead of failing on a click; a form
  // already open keeps what was typed and sends once the connection is back.
  await page.getByRole('button', { name: 'Invite someone' }).click();
  await form.getByLabel('Name').fill('Eve');
  await context.setOffline(true);
  await expect(
    page.getByText('Inviting people, changing roles and removing members need a connection.'),
  ).toBeVisible();
  await expect(page.getByLabel('Role of Bea')).toBeDisabled();
  await expect(form.getByRole('button', { name: 'Send invitation' })).toBeDisabled();
  await expect(form.getByLabel('Name')).toHaveValue('Eve');
  await context.setOffline(false);
  await expect(form.getByRole('button', { name: 'Send invitation' })).toBeEnabled();
  await context.close();
});

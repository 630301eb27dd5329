import { expect, test } from '@playwright/test';
import {
  addTask,
  closeTask,
  DESKTOP,
  devToken,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  renameTask,
  signInEach,
  taskDetail,
  taskTitle,
  seedProject,
} from './helpers';

test('a member removed and added back is themselves again on the device they had: "(you)", i, and what they wrote meanwhile reaches the team', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const org = orgFor('member added back');
  const [ana, ben] = await Promise.all([
    newPhone(browser, { viewport: DESKTOP }),
    newPhone(browser, { viewport: DESKTOP }),
  ]);
  const anaPerson = person('Ana', org, 'admin');
  const benPerson = person('Ben', org, 'member');
  await seedProject(baseURL!, anaPerson, 'Garden', ['Water roses']);
  await signInEach([ana.page, anaPerson], [ben.page, benPerson]);
  await Promise.all([openProject(ana.page, 'Garden'), openProject(ben.page, 'Garden')]);
  await expect(taskTitle(ben.page, 'Water roses')).toBeVisible();
  await expectSynced(ben.page);

  // Ben writes a task offline; meanwhile Ana removes him.
  await ben.context.setOffline(true);
  await addTask(ben.page, 'Fix fence');
  await ana.page.getByRole('link', { name: 'Members' }).click();
  await ana.page
    .getByRole('list', { name: 'Members' })
    .getByRole('listitem')
    .filter({ hasText: 'Ben' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await ana.page
    .getByRole('alertdialog', { name: 'Remove Ben?' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await expect(
    ana.page
      .getByRole('list', { name: 'Members' })
      .getByRole('listitem')
      .filter({ hasText: 'Ben' }),
  ).toHaveCount(0);
  // Back online, Ben's app is told he was removed; his task is kept, unsent.
  await ben.context.setOffline(false);
  const status = ben.page.getByTestId('connection');
  await expect(status).toContainText('removed from this organization');

  // Ana invites his email again (REST, as the Members tab does).
  const token = await devToken(baseURL!, anaPerson);
  const invited = await fetch(`${baseURL}/api/v1/primary-data/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ email: benPerson.email, name: 'Ben' }),
  });
  expect(invited.status, await invited.clone().text()).toBe(201);

  // Ben comes back to the window: his app tries at once (not at its next retry, a minute away)
  // and is in again.
  await ben.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expectSynced(ben.page);
  await expect(status).not.toContainText('removed');

  // What he wrote while removed reaches Ana.
  await openProject(ana.page, 'Garden');
  await expect(taskTitle(ana.page, 'Fix fence')).toBeVisible();

  // He is himself again: "(you)" in the picker, and i assigns the open task to him.
  const detail = await openTask(ben.page, 'Water roses');
  await expect(detail.getByLabel('Assignee').getByRole('option')).toHaveText([
    'Unassigned',
    'Ben (you)',
    'Ana',
  ]);
  await ben.page.keyboard.press('i');
  await expect(taskDetail(ben.page).getByLabel('Assignee').locator('option:checked')).toHaveText(
    'Ben (you)',
  );
  await expectSynced(ben.page);
  // Ana sees it assigned to Ben, pushed to her over the socket.
  const anaDetail = await openTask(ana.page, 'Water roses');
  await expect(anaDetail.getByLabel('Assignee').locator('option:checked')).toHaveText('Ben');
  await closeTask(ana.page);
  // Ben's own socket is open again too: Ana's rename reaches him at once, not at his slow sync.
  await renameTask(ana.page, 'Water roses', 'Water the roses');
  await expect(taskTitle(ben.page, 'Water the roses')).toBeVisible({ timeout: 10_000 });

  await ben.context.close();
  await ana.context.close();
});

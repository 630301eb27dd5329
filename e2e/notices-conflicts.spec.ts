import { expect, test, type Browser, type Page } from '@playwright/test';
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
  PHONE,
  renameTask,
  screenshot,
  signIn,
  signInToProject,
  taskTitle,
  undoWindowPasses,
} from './helpers';

const conflictNotice = (page: Page) => page.getByTestId('conflict-notice');

/**
 * Ana (phone) and Ben (laptop) of `org` both rename Ana's task "Plan" offline, to "Launch" and
 * "Launch v2"; Ana syncs first, so Ben's later write wins and his push meets the conflict.
 */
async function renamedBothOffline(browser: Browser, org: string) {
  const [ana, ben] = await Promise.all([
    newPhone(browser),
    newPhone(browser, { viewport: DESKTOP }),
  ]);
  await signInToProject(ana.page, person('Ana', org, 'admin'), 'Release');
  await addTask(ana.page, 'Plan');
  await expectSynced(ana.page);
  await signIn(ben.page, person('Ben', org, 'manager'));
  await openProject(ben.page, 'Release');
  await expect(taskTitle(ben.page, 'Plan')).toBeVisible();
  await ana.context.setOffline(true);
  await ben.context.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toContainText('Offline');
  await expect(ben.page.getByTestId('connection')).toContainText('Offline');
  await renameTask(ana.page, 'Plan', 'Launch');
  await renameTask(ben.page, 'Plan', 'Launch v2');
  await ana.context.setOffline(false);
  await expectSynced(ana.page);
  await ben.context.setOffline(false);
  await expectSynced(ben.page);
  return { ana, ben };
}

test('the person whose edit lost is told with both values, "Use mine" restores it everywhere, the winner is not alarmed', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  // Both rename the task offline; Ben writes later, so his clock wins. Ana syncs first, so
  // it is Ben's push (the winner's) that meets the conflict: he must not be the one alarmed.
  const { ana, ben } = await renamedBothOffline(browser, orgFor('notices-conflict'));
  await expect(taskTitle(ana.page, 'Launch v2')).toBeVisible();

  // Ana (whose value lost) is told: the task, the field, her value and the one kept.
  const notice = conflictNotice(ana.page);
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(
    'Task “Launch v2”: your title “Launch” was replaced by Ben’s “Launch v2”',
  );
  await expect(notice.getByRole('button', { name: 'Use mine' })).toBeVisible();
  await expect(notice.getByRole('button', { name: 'Keep theirs' })).toBeVisible();
  await screenshot(ana.page, 'notices-conflict-loser-360');
  // On a phone the buttons sit under the text, which keeps the notice's whole width; wide, they
  // sit beside it.
  const layout = async () => {
    const [text, button, box] = await Promise.all([
      notice.locator('p').first().boundingBox(),
      notice.getByRole('button', { name: 'Use mine' }).boundingBox(),
      notice.boundingBox(),
    ]);
    return {
      under: button!.y >= text!.y + text!.height,
      share: text!.width / box!.width,
    };
  };
  expect((await layout()).under).toBe(true);
  expect((await layout()).share).toBeGreaterThan(0.85);
  await ana.page.setViewportSize(DESKTOP);
  await expect.poll(async () => (await layout()).under).toBe(false);
  await screenshot(ana.page, 'notices-conflict-loser-1280');
  await ana.page.setViewportSize(PHONE);
  // Ben, whose value won, gets no alarm (his screen already shows his value).
  await ben.page.getByRole('link', { name: 'Activity' }).click();
  await expect(ben.page.getByTestId('conflict-line').first()).toBeVisible();
  await expect(conflictNotice(ben.page)).toHaveCount(0);
  await expect(ben.page.locator('.notice[data-kind="conflict"]')).toHaveCount(0);
  // The feed names both people: whose value was kept (Ben's own: "Your") and whose was lost.
  await expect(ben.page.getByTestId('conflict-line').first()).toHaveText(
    'Your title “Launch v2” replaced Ana’s “Launch”',
  );
  await screenshot(ben.page, 'notices-conflict-feed-1280');

  // "Use mine": Ana's value comes back as a new edit, which wins on both devices; a toast says so.
  await notice.getByRole('button', { name: 'Use mine' }).click();
  await expect(conflictNotice(ana.page)).toHaveCount(0);
  await expect(ana.page.getByRole('region', { name: 'Recent actions' })).toContainText(
    'Restored: the title of task “Launch v2” is back to “Launch”.',
  );
  await expect(taskTitle(ana.page, 'Launch')).toBeVisible();
  await expectSynced(ana.page);
  await ben.page.getByRole('link', { name: 'Projects', exact: true }).click();
  await openProject(ben.page, 'Release');
  await expect(taskTitle(ben.page, 'Launch')).toBeVisible();
  await expect(taskTitle(ben.page, 'Launch v2')).toHaveCount(0);
  await expect(conflictNotice(ben.page)).toHaveCount(0);

  // The inspector lists the conflict with who and when, and offers the same restore.
  await ana.page.getByRole('link', { name: 'Sync' }).click();
  const row = ana.page.getByTestId('inspector-conflict').first();
  await expect(row).toContainText('Ben’s title “Launch v2” replaced Ana’s “Launch”');
  await expect(row.locator('time')).toBeVisible();
  await expect(row.getByRole('button', { name: 'Use mine' })).toBeVisible();
  await screenshot(ana.page, 'notices-inspector-conflicts-360');
  // Sizes in the unit that reads best ("1.4 MB of 10 GB", not "10,241.4 MB").
  await expect(
    ana.page.getByText(/^Using \d{1,3}(,\d{3})*(\.\d)? [KMG]B of \d{1,3}(\.\d)? GB\.$/),
  ).toBeVisible();

  await ana.context.close();
  await ben.context.close();
});

test('the conflict notice goes on its own once the title is mine again; "Use mine" then writes nothing and says so', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  // As in the first test: both rename offline, Ben's later write wins, Ana is told.
  const { ana, ben } = await renamedBothOffline(browser, orgFor('notices-mine-again'));
  await expect(conflictNotice(ana.page)).toContainText(
    'your title “Launch” was replaced by Ben’s “Launch v2”',
  );

  // Ben writes a third title: the notice no longer claims his "Launch v2" is there, it says
  // what the task is called now, and its dismiss keeps that (not "theirs").
  await renameTask(ben.page, 'Launch v2', 'Launch final');
  await expectSynced(ben.page);
  await expect(conflictNotice(ana.page)).toContainText(
    'your title “Launch” was replaced by Ben’s “Launch v2”, edited after yours. It has since changed to “Launch final”.',
  );
  await expect(
    conflictNotice(ana.page).getByRole('button', { name: 'Keep as it is' }),
  ).toBeVisible();
  await expect(conflictNotice(ana.page).getByRole('button', { name: 'Use mine' })).toBeVisible();
  await screenshot(ana.page, 'notices-conflict-changed-since-360');
  await ana.page.setViewportSize(DESKTOP);
  await screenshot(ana.page, 'notices-conflict-changed-since-1280');
  await ana.page.setViewportSize(PHONE);

  // Ben sets the title back to Ana's value (an ordinary edit, no conflict): the notice no
  // longer says what is true, and goes without Ana answering it.
  await renameTask(ben.page, 'Launch final', 'Launch');
  await expectSynced(ben.page);
  await expect(taskTitle(ana.page, 'Launch')).toBeVisible();
  await expect(conflictNotice(ana.page)).toHaveCount(0);

  // The sync inspector still lists the conflict with its restore; pressed now, it has nothing to
  // restore: it says so, and writes nothing.
  await ana.page.getByRole('link', { name: 'Sync' }).click();
  const pushes = ana.page.getByRole('list', { name: 'Recent pushes' }).locator('li');
  const mutationIds = async () =>
    [...(await pushes.first().innerText()).matchAll(/#(\d+)/g)].map((m) => Number(m[1]));
  const lastSent = Math.max(...(await mutationIds()));
  const row = ana.page.getByTestId('inspector-conflict').first();
  await row.getByRole('button', { name: 'Use mine' }).click();
  await expect(ana.page.getByRole('region', { name: 'Recent actions' })).toContainText(
    'Nothing changed: the title of task “Launch” is already “Launch”.',
  );
  await screenshot(ana.page, 'notices-conflict-already-mine-360');
  // Nothing was queued: Ana's next write is the very next mutation of her device.
  await ana.page.getByRole('link', { name: 'Projects', exact: true }).click();
  await openProject(ana.page, 'Release');
  await (await openTask(ana.page, 'Launch')).getByLabel('Status').selectOption('doing');
  await closeTask(ana.page);
  await expectSynced(ana.page);
  await ana.page.getByRole('link', { name: 'Sync' }).click();
  await expect.poll(mutationIds).toEqual([lastSent + 1, lastSent + 1]);
  // No second conflict on either side.
  await expect(conflictNotice(ana.page)).toHaveCount(0);
  await expect(conflictNotice(ben.page)).toHaveCount(0);
  await expect(taskTitle(ben.page, 'Launch')).toBeVisible();

  // Ben renames it again (no conflict): the inspector's "Use mine" now restores Ana's value, and
  // says so as the notice's does (its row stays listed: without the toast nothing would change).
  await renameTask(ben.page, 'Launch', 'Launch v3');
  await expectSynced(ben.page);
  await ana.page.getByRole('link', { name: 'Projects', exact: true }).click();
  await openProject(ana.page, 'Release');
  await expect(taskTitle(ana.page, 'Launch v3')).toBeVisible();
  await ana.page.getByRole('link', { name: 'Sync' }).click();
  await row.getByRole('button', { name: 'Use mine' }).click();
  await expect(ana.page.getByRole('region', { name: 'Recent actions' })).toContainText(
    'Restored: the title of task “Launch v3” is back to “Launch”.',
  );
  await screenshot(ana.page, 'notices-inspector-restored-360');
  await ana.page.setViewportSize(DESKTOP);
  await screenshot(ana.page, 'notices-inspector-restored-1280');
  await expectSynced(ana.page);
  await expect(taskTitle(ben.page, 'Launch')).toBeVisible();

  await ana.context.close();
  await ben.context.close();
});

test('a tab opened after the title was set back shows no notice for it; one changed again since says so', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const org = orgFor('notices-opened-after');
  const [ana, ben] = await Promise.all([
    newPhone(browser),
    newPhone(browser, { viewport: DESKTOP }),
  ]);
  await signInToProject(ana.page, person('Ana', org, 'admin'), 'Release');
  await addTask(ana.page, 'Plan');
  await addTask(ana.page, 'Budget');
  await expectSynced(ana.page);
  await signIn(ben.page, person('Ben', org, 'manager'));
  await openProject(ben.page, 'Release');
  await expect(taskTitle(ben.page, 'Budget')).toBeVisible();

  // Both rename both tasks offline; Ana syncs first, then leaves the app (no tab of hers open).
  await ana.context.setOffline(true);
  await ben.context.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toContainText('Offline');
  await expect(ben.page.getByTestId('connection')).toContainText('Offline');
  await renameTask(ana.page, 'Plan', 'Launch');
  await renameTask(ana.page, 'Budget', 'Budget A');
  await renameTask(ben.page, 'Plan', 'Launch v2');
  await renameTask(ben.page, 'Budget', 'Budget B');
  await ana.context.setOffline(false);
  await expectSynced(ana.page);
  await ana.page.goto('about:blank');

  // Ben's later writes win; then he sets one title back to Ana's and changes the other again.
  await ben.context.setOffline(false);
  await expectSynced(ben.page);
  await renameTask(ben.page, 'Launch v2', 'Launch');
  await renameTask(ben.page, 'Budget B', 'Budget C');
  await expectSynced(ben.page);

  // Ana opens the app: one pull brings both conflicts and what Ben did since. The notice words
  // the field as this device has it now: "Launch" is hers again (nothing to tell), "Budget C"
  // is neither value.
  await ana.page.goto('/');
  await openProject(ana.page, 'Release');
  await expect(taskTitle(ana.page, 'Launch')).toBeVisible();
  await expect(taskTitle(ana.page, 'Budget C')).toBeVisible();
  await expectSynced(ana.page);
  await expect(conflictNotice(ana.page).filter({ hasText: 'Budget' })).toContainText(
    'Task “Budget C”: your title “Budget A” was replaced by Ben’s “Budget B”, edited after yours. It has since changed to “Budget C”.',
  );
  await expect(conflictNotice(ana.page)).toHaveCount(1);
  await screenshot(ana.page, 'notices-conflict-opened-after-360');
  await ana.page.setViewportSize(DESKTOP);
  await screenshot(ana.page, 'notices-conflict-opened-after-1280');

  await ana.context.close();
  await ben.context.close();
});

test('two devices of one person: the device whose value lost is told, the other is not', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const org = orgFor('notices-two-devices');
  const me = person('Cleo', org, 'admin');
  const [phone, laptop] = await Promise.all([
    newPhone(browser),
    newPhone(browser, { viewport: DESKTOP }),
  ]);
  await signInToProject(phone.page, me, 'Garden');
  await addTask(phone.page, 'Seeds');
  await expectSynced(phone.page);
  await signIn(laptop.page, me);
  await openProject(laptop.page, 'Garden');
  await expect(taskTitle(laptop.page, 'Seeds')).toBeVisible();

  await phone.context.setOffline(true);
  await laptop.context.setOffline(true);
  await expect(phone.page.getByTestId('connection')).toContainText('Offline');
  await expect(laptop.page.getByTestId('connection')).toContainText('Offline');
  await renameTask(phone.page, 'Seeds', 'Buy seeds');
  await renameTask(laptop.page, 'Seeds', 'Order seeds');
  await laptop.context.setOffline(false);
  await expectSynced(laptop.page);
  await phone.context.setOffline(false);
  await expectSynced(phone.page);

  await expect(conflictNotice(phone.page)).toContainText(
    'your title “Buy seeds” was replaced by your other device’s “Order seeds”',
  );
  await expect(conflictNotice(laptop.page)).toHaveCount(0);
  // Both values are Cleo's: the buttons name the devices, not "mine" and "theirs".
  await expect(
    conflictNotice(phone.page).getByRole('button', { name: 'Use this device’s' }),
  ).toBeVisible();
  await screenshot(phone.page, 'notices-conflict-own-device-360');
  await conflictNotice(phone.page).getByRole('button', { name: 'Keep the other device’s' }).click();
  await expect(conflictNotice(phone.page)).toHaveCount(0);
  await expect(taskTitle(phone.page, 'Order seeds')).toBeVisible();

  // The sync inspector's restore says the same on the phone, and names the phone's copy on the
  // laptop (whose own value won): not "Use mine" on either.
  await phone.page.getByRole('link', { name: 'Sync' }).click();
  const phoneRow = phone.page.getByTestId('inspector-conflict').first();
  await expect(phoneRow.getByRole('button')).toHaveText('Use this device’s');
  await phoneRow.scrollIntoViewIfNeeded();
  // Stacked on a phone, the button's cell (it has no label) has no lone ": " before it.
  expect(
    await phoneRow
      .locator('td', { has: phone.page.getByRole('button') })
      .evaluate((td) => getComputedStyle(td, '::before').content),
  ).toBe('none');
  await screenshot(phone.page, 'notices-inspector-own-device-360');
  await laptop.page.getByRole('link', { name: 'Sync' }).click();
  const laptopRow = laptop.page.getByTestId('inspector-conflict').first();
  await expect(laptopRow.getByRole('button')).toHaveText('Use the other device’s');
  await laptopRow.scrollIntoViewIfNeeded();
  await screenshot(laptop.page, 'notices-inspector-own-device-1280');

  await phone.context.close();
  await laptop.context.close();
});

test('an offline edit of a task a teammate deleted: told it was deleted, by whom and which task, with nothing to restore', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const org = orgFor('notices-deleted');
  const [ana, ben] = await Promise.all([
    newPhone(browser, { viewport: DESKTOP }),
    newPhone(browser),
  ]);
  // A fake clock that keeps flowing: the test jumps it past the delete's undo window.
  await ana.page.clock.install();
  await signInToProject(ana.page, person('Ana', org, 'admin'), 'Chores');
  await addTask(ana.page, 'Fix the fence');
  await expectSynced(ana.page);
  await signIn(ben.page, person('Ben', org, 'manager'));
  await openProject(ben.page, 'Chores');
  await expect(taskTitle(ben.page, 'Fix the fence')).toBeVisible();

  // Ben writes notes offline while Ana deletes the task (delete wins over edits).
  await ben.context.setOffline(true);
  await expect(ben.page.getByTestId('connection')).toContainText('Offline');
  const detail = await openTask(ben.page, 'Fix the fence');
  await detail.getByLabel('Notes').fill('Posts from the shed');
  await detail.getByLabel('Notes').blur();
  await closeTask(ben.page);
  await expect(ben.page.getByTestId('connection')).toContainText('1 unsent change');
  const anaDetail = await openTask(ana.page, 'Fix the fence');
  await anaDetail.getByRole('button', { name: 'Delete task' }).click();
  // The delete is sent once its undo window closes.
  await undoWindowPasses(ana.page, 'Fix the fence');
  await expectSynced(ana.page);
  await ben.context.setOffline(false);
  await expectSynced(ben.page);
  await expect(taskTitle(ben.page, 'Fix the fence')).toHaveCount(0);

  // Ben is told his notes were lost to Ana's delete — not that Ana emptied them — and the task
  // is named although it is gone; there is no "Use mine" (a deleted task cannot be edited).
  const notice = conflictNotice(ben.page);
  await expect(notice).toHaveText(
    /^Task “Fix the fence”: your change to its notes \(“Posts from the shed”\) was lost — Ana deleted it\./,
  );
  await expect(notice.getByRole('button', { name: 'Use mine' })).toHaveCount(0);
  await screenshot(ben.page, 'notices-conflict-deleted-360');
  // The feed and the inspector say the same, and offer no restore either.
  await ana.page.getByRole('link', { name: 'Activity' }).click();
  await expect(ana.page.getByTestId('conflict-line').first()).toHaveText(
    'You deleted it; Ben’s notes “Posts from the shed” was lost',
  );
  await notice.getByRole('button', { name: 'OK' }).click();
  await expect(conflictNotice(ben.page)).toHaveCount(0);
  await ben.page.getByRole('link', { name: 'Sync' }).click();
  const row = ben.page.getByTestId('inspector-conflict').first();
  await expect(row).toContainText('Ana deleted it; Ben’s notes “Posts from the shed” was lost');
  await expect(row.getByRole('button', { name: 'Use mine' })).toHaveCount(0);

  await ana.context.close();
  await ben.context.close();
});

type Device = Awaited<ReturnType<typeof newPhone>>;

/**
 * Ana (1280 px) adds "Fix the fence" (and `more` tasks) to Chores; Ben (a phone) has them
 * listed, then goes offline.
 */
async function fenceOffline(
  browser: Browser,
  title: string,
  more: readonly string[] = [],
): Promise<{ ana: Device; ben: Device }> {
  const org = orgFor(title);
  const [ana, ben] = await Promise.all([
    newPhone(browser, { viewport: DESKTOP }),
    newPhone(browser),
  ]);
  // A fake clock that keeps flowing: `deletedMeanwhile` jumps it past each undo window.
  await ana.page.clock.install();
  await signInToProject(ana.page, person('Ana', org, 'admin'), 'Chores');
  const tasks = ['Fix the fence', ...more];
  for (const task of tasks) await addTask(ana.page, task);
  await expectSynced(ana.page);
  await signIn(ben.page, person('Ben', org, 'member'));
  await openProject(ben.page, 'Chores');
  await expect(taskTitle(ben.page, tasks.at(-1)!)).toBeVisible();
  await ben.context.setOffline(true);
  await expect(ben.page.getByTestId('connection')).toContainText('Offline');
  return { ana, ben };
}

/**
 * Ana deletes the fence (or `titles`) while Ben is offline (no Undo left waiting); Ben comes
 * back and syncs.
 */
async function deletedMeanwhile(
  ana: Device,
  ben: Device,
  titles: readonly string[] = ['Fix the fence'],
): Promise<void> {
  for (const title of titles) {
    const anaDetail = await openTask(ana.page, title);
    await anaDetail.getByRole('button', { name: 'Delete task' }).click();
    await expect(taskTitle(ana.page, title)).toHaveCount(0);
    // (no Undo left waiting: the delete is written)
    await undoWindowPasses(ana.page, title);
  }
  await expectSynced(ana.page);
  await ben.context.setOffline(false);
  await expectSynced(ben.page);
}

test('offline edits of several fields of a task a teammate deleted are one notice, answered once', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { ana, ben } = await fenceOffline(browser, 'notices-deleted-fields');

  // Ben renames it, writes notes and starts it offline, while Ana deletes it.
  const detail = await openTask(ben.page, 'Fix the fence');
  await detail.getByLabel('Title').fill('Fix the fence today');
  await detail.getByLabel('Title').press('Enter');
  await detail.getByLabel('Notes').fill('Posts from the shed');
  await detail.getByLabel('Notes').blur();
  await detail.getByLabel('Status').selectOption('doing');
  await closeTask(ben.page);
  await expect(ben.page.getByTestId('connection')).toContainText('3 unsent changes');
  await deletedMeanwhile(ana, ben);

  // One delete, one notice: every value lost in it, not a notice per field covering the screen.
  const notice = conflictNotice(ben.page);
  await expect(notice).toHaveCount(1);
  await expect(notice).toHaveText(
    /^Task “Fix the fence”: your changes to its title \(“Fix the fence today”\), notes \(“Posts from the shed”\) and status \(In progress\) were lost — Ana deleted it\./,
  );
  await screenshot(ben.page, 'notices-deleted-fields-360');
  await ben.page.setViewportSize(DESKTOP);
  await screenshot(ben.page, 'notices-deleted-fields-1280');
  // Its OK answers them all.
  await notice.getByRole('button', { name: 'OK' }).click();
  await expect(conflictNotice(ben.page)).toHaveCount(0);

  await ana.context.close();
  await ben.context.close();
});

test("a field edited twice offline, then lost to a teammate's delete, is named once, with its last value", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { ana, ben } = await fenceOffline(browser, 'notices-deleted-twice');

  // Ben renames it twice offline (two writes of its title), while Ana deletes it.
  const detail = await openTask(ben.page, 'Fix the fence');
  await detail.getByLabel('Title').fill('Fix the fence today');
  await detail.getByLabel('Title').press('Enter');
  await expect(ben.page.getByTestId('connection')).toContainText('1 unsent change');
  await detail.getByLabel('Title').fill('Fix the fence now');
  await detail.getByLabel('Title').press('Enter');
  await closeTask(ben.page);
  await expect(ben.page.getByTestId('connection')).toContainText('2 unsent changes');
  await deletedMeanwhile(ana, ben);

  // One change to one field: its last value, not "title (…), title (…)".
  const notice = conflictNotice(ben.page);
  await expect(notice).toHaveCount(1);
  await expect(notice).toHaveText(
    /^Task “Fix the fence”: your change to its title \(“Fix the fence now”\) was lost — Ana deleted it\./,
  );
  await notice.getByRole('button', { name: 'OK' }).click();
  await expect(conflictNotice(ben.page)).toHaveCount(0);
  // Answered, nothing is left to say: no empty "Notices" landmark for a screen reader to list.
  await expect(ben.page.getByRole('region', { name: 'Notices' })).toHaveCount(0);

  await ana.context.close();
  await ben.context.close();
});

test('an edit that lost to a write through the API says so, in every tab, and goes from all of them when dismissed in one', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('notices-api');
  const ana = person('Ana', org, 'admin');
  const device = await newPhone(browser, { viewport: DESKTOP });
  await signInToProject(device.page, ana, 'Garden');
  await addTask(device.page, 'Draft');
  await expectSynced(device.page);
  // A second tab of the same device: one engine leads, the other follows.
  const other = await device.context.newPage();
  await other.goto('/');
  await openProject(other, 'Garden');
  await expect(taskTitle(other, 'Draft')).toBeVisible();

  // Offline, Ana renames the task; meanwhile a script renames it through the REST API.
  await device.context.setOffline(true);
  await expect(device.page.getByTestId('connection')).toContainText('Offline');
  await renameTask(device.page, 'Draft', 'Mine');
  const token = await devToken(baseURL!, ana);
  const auth = { authorization: `Bearer ${token}` };
  const list = await fetch(`${baseURL}/api/v1/primary-data/tasks`, { headers: auth });
  const { data } = (await list.json()) as { data: { id: string; title: string }[] };
  const task = data.find((t) => t.title === 'Draft')!;
  const patched = await fetch(`${baseURL}/api/v1/primary-data/tasks/${task.id}`, {
    method: 'PATCH',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Final' }),
  });
  expect(patched.status).toBe(200);

  // Back online the API's later write wins: both tabs tell, naming where the value came from
  // (Ana's own, through the API).
  await device.context.setOffline(false);
  await expectSynced(device.page);
  const told =
    'your title “Mine” was replaced by your “Final”, written through the API after yours.';
  await expect(conflictNotice(device.page)).toContainText(told);
  await expect(conflictNotice(other)).toContainText(told);
  await screenshot(device.page, 'notices-conflict-api-1280');

  // Kept in one tab: gone from the other too, and it does not come back.
  await expect(
    conflictNotice(other).getByRole('button', { name: 'Use this device’s' }),
  ).toBeVisible();
  await conflictNotice(other).getByRole('button', { name: 'Keep the API edit' }).click();
  await expect(conflictNotice(other)).toHaveCount(0);
  await expect(conflictNotice(device.page)).toHaveCount(0);
  await expect(taskTitle(device.page, 'Final')).toBeVisible();

  await device.context.close();
});

test('an edit that lost to a teammate’s write through the API names the teammate', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('notices-api-teammate');
  const ana = person('Ana', org, 'admin');
  const device = await newPhone(browser);
  await signInToProject(device.page, ana, 'Orchard');
  await addTask(device.page, 'Prune');
  await expectSynced(device.page);

  // Offline, Ana renames the task; meanwhile Ben's script renames it through the REST API.
  await device.context.setOffline(true);
  await expect(device.page.getByTestId('connection')).toContainText('Offline');
  await renameTask(device.page, 'Prune', 'Prune the pears');
  const auth = {
    authorization: `Bearer ${await devToken(baseURL!, person('Ben', org, 'manager'))}`,
  };
  const list = await fetch(`${baseURL}/api/v1/primary-data/tasks`, { headers: auth });
  const { data } = (await list.json()) as { data: { id: string; title: string }[] };
  const patched = await fetch(
    `${baseURL}/api/v1/primary-data/tasks/${data.find((t) => t.title === 'Prune')!.id}`,
    {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Prune the apples' }),
    },
  );
  expect(patched.status).toBe(200);

  // Back online Ben's later write wins, and the notice names him (it said "someone" before).
  await device.context.setOffline(false);
  await expectSynced(device.page);
  await expect(conflictNotice(device.page)).toHaveText(
    /^Task “Prune the apples”: your title “Prune the pears” was replaced by Ben’s “Prune the apples”, written through the API after yours\./,
  );
  await screenshot(device.page, 'notices-conflict-api-teammate-360');
  await device.context.close();
});

test("a tick and its undo, offline, lost to a teammate's delete, is no lost change: not said, and no notice for it alone", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { ana, ben } = await fenceOffline(browser, 'notices-deleted-undone', ['Paint the shed']);

  // Offline, Ben ticks each task and undoes it (status written twice, back to To do), and
  // renames the fence; Ana deletes both meanwhile.
  const recent = ben.page.getByRole('region', { name: 'Recent actions' });
  for (const title of ['Fix the fence', 'Paint the shed']) {
    // (ticked, it leaves for the folded Completed section)
    await ben.page.getByRole('checkbox', { name: `Complete “${title}”` }).click();
    await recent.getByRole('button', { name: 'Undo' }).click();
    await expect(ben.page.getByRole('checkbox', { name: `Complete “${title}”` })).not.toBeChecked();
  }
  await renameTask(ben.page, 'Fix the fence', 'Fix the fence today');
  await expect(ben.page.getByTestId('connection')).toContainText('5 unsent changes');
  await deletedMeanwhile(ana, ben, ['Fix the fence', 'Paint the shed']);
  await expect(taskTitle(ben.page, 'Paint the shed')).toHaveCount(0);

  // The fence's notice names its title alone (its status is as it was); the shed, whose only
  // writes changed nothing in the end, has none (its notice would come with the fence's).
  const notice = conflictNotice(ben.page);
  await expect(notice).toHaveText(
    /^Task “Fix the fence”: your change to its title \(“Fix the fence today”\) was lost — Ana deleted it\./,
  );
  await expect(notice).toHaveCount(1);
  // Answered from the keyboard, it does not take focus with it to the page.
  await notice.getByRole('button', { name: 'OK' }).focus();
  await ben.page.keyboard.press('Enter');
  await expect(conflictNotice(ben.page)).toHaveCount(0);
  expect(await ben.page.evaluate(() => document.activeElement?.tagName)).not.toBe('BODY');

  await ana.context.close();
  await ben.context.close();
});

test('three conflicts on a phone: the newest shows, "2 more conflicts" opens the rest by mouse or keys, and each is answered on its own', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const org = orgFor('notices-stack');
  const [ana, ben] = await Promise.all([
    newPhone(browser),
    newPhone(browser, { viewport: DESKTOP }),
  ]);
  await signInToProject(ana.page, person('Ana', org, 'admin'), 'Release');
  for (const title of ['Plan', 'Ship', 'Test']) await addTask(ana.page, title);
  await expectSynced(ana.page);
  await signIn(ben.page, person('Ben', org, 'manager'));
  await openProject(ben.page, 'Release');
  await expect(taskTitle(ben.page, 'Test')).toBeVisible();
  // Both rename all three offline; Ben writes later, so his three win and Ana is told thrice.
  await ana.context.setOffline(true);
  await ben.context.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toContainText('Offline');
  await expect(ben.page.getByTestId('connection')).toContainText('Offline');
  for (const title of ['Plan', 'Ship', 'Test']) await renameTask(ana.page, title, `${title} A`);
  for (const title of ['Plan', 'Ship', 'Test']) await renameTask(ben.page, title, `${title} B`);
  await ana.context.setOffline(false);
  await expectSynced(ana.page);
  await ben.context.setOffline(false);
  await expectSynced(ben.page);
  await expect(taskTitle(ana.page, 'Test B')).toBeVisible();

  // On her phone one notice shows, the newest, under a button for the other two.
  const shown = conflictNotice(ana.page).filter({ visible: true });
  const more = ana.page
    .getByRole('region', { name: 'Notices' })
    .getByRole('button', { name: '2 more conflicts' });
  await expect(more).toBeVisible();
  await expect(shown).toHaveCount(1);
  await expect(shown).toContainText('your title “Test A” was replaced by Ben’s “Test B”');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await screenshot(ana.page, 'notices-stack-folded-360');
  // Wide, there is room: all three show, not folded.
  await ana.page.setViewportSize(DESKTOP);
  await expect(shown).toHaveCount(3);
  await expect(more).toBeHidden();
  await screenshot(ana.page, 'notices-stack-1280');
  await ana.page.setViewportSize(PHONE);
  await expect(shown).toHaveCount(1);
  // Opened, all three show, each with its own answers.
  await more.click();
  await expect(shown).toHaveCount(3);
  await expect(
    ana.page.getByRole('button', { name: 'Show only the newest conflict' }),
  ).toHaveAttribute('aria-expanded', 'true');
  await screenshot(ana.page, 'notices-stack-open-360');
  await shown.filter({ hasText: '“Plan A”' }).getByRole('button', { name: 'Keep theirs' }).click();
  await expect(shown).toHaveCount(2);
  // Folded again from the keyboard: one left behind "1 more conflict".
  await ana.page.getByRole('button', { name: 'Show only the newest conflict' }).press('Enter');
  const oneMore = ana.page.getByRole('button', { name: '1 more conflict' });
  await expect(oneMore).toBeFocused();
  await expect(shown).toHaveCount(1);
  // "Use mine" on the newest brings Ana's title back; then the other one shows, alone.
  await shown.getByRole('button', { name: 'Use mine' }).click();
  await expect(taskTitle(ana.page, 'Test A')).toBeVisible();
  await expect(oneMore).toBeHidden();
  await expect(shown).toHaveCount(1);
  await expect(shown).toContainText('your title “Ship A” was replaced by Ben’s “Ship B”');
  await shown.getByRole('button', { name: 'Keep theirs' }).click();
  await expect(conflictNotice(ana.page)).toHaveCount(0);
  await expect(taskTitle(ana.page, 'Plan B')).toBeVisible();

  await ana.context.close();
  await ben.context.close();
});

import { expect, test } from '@playwright/test';
import {
  addTask,
  closeTask,
  DESKTOP,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  screenshot,
  seedProject,
  signIn,
} from './helpers';

test('edits of several tasks lost to their project’s delete are one notice for the project, with the text typed, and none that came to nothing', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('project-lost');
  // Ben's device makes Garden with three tasks, and Shed.
  const { device } = await seedProject(baseURL!, person('Ben', org, 'admin'), 'Garden', [
    'Dig',
    'Plant',
    'Water',
    'Weed',
  ]);
  await seedProject(baseURL!, person('Ben', org, 'admin'), 'Shed', []);

  // Ana, offline, edits all three.
  const ana = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ana.page, person('Ana', org, 'member'));
  await openProject(ana.page, 'Garden');
  await expectSynced(ana.page);
  await ana.context.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toContainText('Offline');
  let detail = await openTask(ana.page, 'Dig');
  await detail.getByLabel('Notes').fill('Start by the shed,\nthen the fence');
  await detail.getByLabel('Notes').blur();
  await closeTask(ana.page);
  detail = await openTask(ana.page, 'Plant');
  await detail.getByLabel('Due date').fill('2026-12-24');
  await closeTask(ana.page);
  detail = await openTask(ana.page, 'Water');
  await detail.getByLabel('Status').selectOption({ label: 'In progress' });
  await closeTask(ana.page);
  // …and ticks the fourth, then undoes it: written twice, back as it was, so nothing to lose.
  await ana.page.getByRole('checkbox', { name: 'Complete “Weed”' }).click();
  await ana.page
    .getByRole('region', { name: 'Recent actions' })
    .getByRole('button', { name: 'Undo' })
    .click();
  await expect(ana.page.getByRole('checkbox', { name: 'Complete “Weed”' })).not.toBeChecked();
  await expect(ana.page.getByTestId('connection')).toContainText('5 unsent changes');

  // …and adds a task to Shed, which Ben archives meanwhile: a second notice comes with the first.
  const gardenId = (await ana.page.evaluate(() => location.hash)).split('/')[2]!;
  await openProject(ana.page, 'Shed');
  await addTask(ana.page, 'Fix the door');
  const shedId = (await ana.page.evaluate(() => location.hash)).split('/')[2]!;

  // Ben deletes Garden meanwhile; Ana comes back.
  await device.push([
    device.change('project.delete', gardenId),
    device.change('project.update', shedId, { fields: { status: 'archived' } }),
  ]);
  await ana.context.setOffline(false);

  // One notice, for the project, saying what was not applied (not Weed's tick and its undo),
  // with the notes typed to copy.
  const notice = ana.page.getByTestId('project-lost');
  await expect(notice).toContainText(
    'Ben deleted the project “Garden”; your changes to 3 of its tasks were not applied.',
  );
  await expect(ana.page.locator('[data-kind="conflict"]')).toHaveCount(1);
  const lost = notice.getByRole('list', { name: 'Changes not applied' }).getByRole('listitem');
  await expect(lost).toHaveCount(3);
  // Each value is said as Ana's ("you had set"), not as the task's old one beside its title.
  await expect(lost.filter({ hasText: '“Plant”' })).toContainText('you had set its due date to');
  await expect(lost.filter({ hasText: '“Water”' })).toContainText(
    '“Water”: you had set its status to In progress',
  );
  const notes = lost.filter({ hasText: '“Dig”' }).getByLabel('You had changed its notes to');
  await expect(notes).toHaveValue('Start by the shed,\nthen the fence');
  // Its box is as tall as its two lines, not a notes field's 80 px (about 64 px: 2 lines, padding).
  expect(
    await notes.evaluate(
      (el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight),
    ),
  ).toBeLessThan(3);
  const archived = ana.page.getByTestId('archived-meanwhile');
  await expect(archived).toBeVisible();
  await screenshot(ana.page, 'project-lost-1280');
  // On a phone the two do not both cover the list: the newest shows, the other under a button
  // (before it in the focus order) that opens it, naming what it holds.
  await ana.page.setViewportSize({ width: 360, height: 740 });
  const more = ana.page.getByRole('region', { name: 'Notices' }).locator('button.notices-more');
  await expect(more).toHaveText('1 more archived project');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(notice).toBeVisible();
  await expect(archived).toBeHidden();
  await screenshot(ana.page, 'project-lost-360');
  await more.click();
  await expect(archived).toBeVisible();
  // Opened, they fold back when a task's sheet comes over the page, rather than stay over its
  // lower half; the newest and the button stay, and the sheet's end scrolls up clear of them.
  const sheet = await openTask(ana.page, 'Fix the door');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(archived).toBeHidden();
  await expect(notice).toBeVisible();
  await sheet.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  const gap = await sheet.evaluate((el) => {
    // Where its content ends (its lowest box), scrolled to the end, against the notices' top.
    const end = Math.max(
      ...[...el.querySelectorAll('*')].map((c) => c.getBoundingClientRect().bottom),
    );
    return document.querySelector('.notices')!.getBoundingClientRect().top - end;
  });
  expect(gap).toBeGreaterThanOrEqual(0);
  await screenshot(ana.page, 'project-lost-360-sheet');
  await closeTask(ana.page);
  await more.click();
  await expect(archived).toBeVisible();
  await notice.getByRole('button', { name: 'OK' }).click();
  await expect(ana.page.locator('[data-kind="conflict"]')).toHaveCount(0);
  // The one left shows alone, nothing folded.
  await expect(archived).toContainText('“Fix the door” was added to “Shed”');
  await expect(more).toBeHidden();
  await ana.context.close();
});

import { expect, test } from '@playwright/test';
import {
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
  // Ben's device makes Garden with three tasks.
  const { device } = await seedProject(baseURL!, person('Ben', org, 'admin'), 'Garden', [
    'Dig',
    'Plant',
    'Water',
    'Weed',
  ]);

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

  // Ben deletes Garden meanwhile; Ana comes back.
  const gardenId = (await ana.page.evaluate(() => location.hash)).split('/')[2]!;
  await device.push([device.change('project.delete', gardenId)]);
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
  await expect(
    lost.filter({ hasText: '“Dig”' }).getByLabel('You had changed its notes to'),
  ).toHaveValue('Start by the shed,\nthen the fence');
  await screenshot(ana.page, 'project-lost-1280');
  await ana.page.setViewportSize({ width: 360, height: 740 });
  await screenshot(ana.page, 'project-lost-360');
  await notice.getByRole('button', { name: 'OK' }).click();
  await expect(ana.page.locator('[data-kind="conflict"]')).toHaveCount(0);
  await ana.context.close();
});

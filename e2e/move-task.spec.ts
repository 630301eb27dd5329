import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  expectAccessible,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  screenshot,
  signInEach,
  taskDetail,
  taskTitle,
  seedProject,
} from './helpers';

test('a task moves to another project from its detail: it leaves the list with focus on the next row, Undo brings it back, a teammate sees it live, offline too', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('move-task');
  await seedProject(baseURL!, person('Ana', org, 'admin'), 'Website', []);
  await seedProject(baseURL!, person('Ana', org, 'admin'), 'Launch', [
    'Book venue',
    'Write copy',
    'Print flyers',
  ]);
  const [ana, ben] = await Promise.all([
    newPhone(browser),
    newPhone(browser, { viewport: DESKTOP }),
  ]);
  await signInEach(
    [ana.page, person('Ana', org, 'admin')],
    [ben.page, person('Ben', org, 'member')],
  );
  await Promise.all([openProject(ana.page, 'Launch'), openProject(ben.page, 'Website')]);

  // The detail names the task's project among the ones it can go to.
  const detail = await openTask(ana.page, 'Write copy');
  const project = detail.getByLabel('Project');
  await expect(project.getByRole('option')).toHaveText(['Launch', 'Website']);
  await expect(project.locator('option:checked')).toHaveText('Launch');
  await expectAccessible(ana.page, 'task detail with project 360');
  await screenshot(ana.page, 'move-task-detail-360');

  // Moved: it leaves Launch's list, focus on the row in its place, and says where it went.
  await project.selectOption({ label: 'Website' });
  await expect(taskDetail(ana.page)).toHaveCount(0);
  await expect(taskTitle(ana.page, 'Write copy')).toHaveCount(0);
  await expect(taskTitle(ana.page, 'Print flyers')).toBeFocused();
  await expect(ana.page.getByText('Moved “Write copy” to “Website”')).toBeVisible();
  await screenshot(ana.page, 'move-task-toast-360');
  // Ben, in Website, sees it arrive without a reload.
  await expect(taskTitle(ben.page, 'Write copy')).toBeVisible();

  // Undo: back in Launch (focused), gone from Ben's Website.
  await ana.page.getByRole('button', { name: 'Undo' }).click();
  await expect(taskTitle(ana.page, 'Write copy')).toBeFocused();
  await expect(taskTitle(ben.page, 'Write copy')).toHaveCount(0);

  // Offline, a move is a local write like any other: it reaches Ben once Ana is back.
  await ana.context.setOffline(true);
  await (await openTask(ana.page, 'Book venue')).getByLabel('Project').selectOption('Website');
  await expect(taskTitle(ana.page, 'Book venue')).toHaveCount(0);
  await ana.context.setOffline(false);
  await expectSynced(ana.page);
  await expect(taskTitle(ben.page, 'Book venue')).toBeVisible();

  // Its history says where it went, in names; Ben's feed says who moved it.
  const moved = await openTask(ben.page, 'Book venue');
  await expect(moved.getByLabel('Project').locator('option:checked')).toHaveText('Website');
  await expect(moved.getByRole('region', { name: 'History of this task' })).toContainText(
    'Ana moved it to Website',
  );
  await screenshot(ben.page, 'move-task-detail-1280');
  await ben.page.getByRole('link', { name: 'Activity', exact: true }).click();
  const entry = ben.page
    .locator('li[data-action="update"]')
    .filter({ hasText: 'Ana moved “Book venue” to Website' });
  await expect(entry).toHaveCount(1);

  await ana.context.close();
  await ben.context.close();
});

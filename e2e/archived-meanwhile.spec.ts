import { expect, test } from '@playwright/test';
import {
  addTask,
  DESKTOP,
  expectSynced,
  newPhone,
  openProject,
  orgFor,
  person,
  screenshot,
  seedProject,
  signIn,
  taskTitle,
} from './helpers';

test('a task added offline to a project archived meanwhile is kept, and the person is told once', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const org = orgFor('archived-meanwhile');
  const { device } = await seedProject(baseURL!, person('Ben', org, 'admin'), 'Studio', ['Sweep']);

  // Ana, offline, adds a task to Studio.
  const ana = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ana.page, person('Ana', org, 'member'));
  await openProject(ana.page, 'Studio');
  await expectSynced(ana.page);
  const studio = (await ana.page.evaluate(() => location.hash)).split('/')[2]!;
  await ana.context.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toContainText('Offline');
  await addTask(ana.page, 'Paint walls');

  // Ben archives Studio meanwhile; Ana comes back.
  await device.push([device.change('project.update', studio, { fields: { status: 'archived' } })]);
  await ana.context.setOffline(false);
  await expectSynced(ana.page);

  // The task was added (the server takes it), and Ana is told where it went.
  const notice = ana.page.getByTestId('archived-meanwhile');
  await expect(notice.getByRole('paragraph')).toHaveText(
    '“Paint walls” was added to “Studio”, which Ben archived meanwhile. Open project',
  );
  await expect(notice).toHaveCount(1);
  await expect(taskTitle(ana.page, 'Paint walls')).toBeVisible();
  await screenshot(ana.page, 'archived-meanwhile-1280');
  await ana.page.setViewportSize({ width: 360, height: 740 });
  await screenshot(ana.page, 'archived-meanwhile-360');
  await ana.page.getByRole('link', { name: 'Projects', exact: true }).click();
  await notice.getByRole('link', { name: 'Open project' }).click();
  await expect(ana.page.getByRole('heading', { name: 'Studio', level: 2 })).toBeAttached();
  await notice.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(notice).toHaveCount(0);

  // Once: not told again after a reload.
  await ana.page.reload();
  await expectSynced(ana.page);
  await expect(taskTitle(ana.page, 'Paint walls')).toBeVisible();
  expect(await ana.page.getByTestId('archived-meanwhile').count()).toBe(0);
  await ana.context.close();
});

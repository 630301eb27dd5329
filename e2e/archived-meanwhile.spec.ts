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
  await seedProject(baseURL!, person('Ben', org, 'admin'), 'Studio', ['Sweep']);

  // Ana, offline, adds a task to Studio.
  const ana = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ana.page, person('Ana', org, 'member'));
  await openProject(ana.page, 'Studio');
  await expectSynced(ana.page);
  await ana.context.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toContainText('Offline');
  await addTask(ana.page, 'Paint walls');

  // Ben, in his own browser, archives Studio meanwhile; Ana comes back.
  const ben = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ben.page, person('Ben', org, 'admin'));
  await openProject(ben.page, 'Studio');
  await ben.page.getByRole('button', { name: 'More actions' }).click();
  await ben.page.getByRole('menuitem', { name: 'Archive project' }).click();
  await expect(ben.page.getByText('This project is archived.')).toBeVisible();
  await expectSynced(ben.page);
  await ana.context.setOffline(false);
  await expectSynced(ana.page);

  // The task was added (the server takes it), and Ana is told where it went: she is on
  // Studio's screen, so there is no project to open.
  const notice = ana.page.getByTestId('archived-meanwhile');
  await expect(notice.getByRole('paragraph')).toHaveText(
    '“Paint walls” was added to “Studio”, which Ben archived meanwhile',
  );
  await expect(notice).toHaveCount(1);
  await expect(taskTitle(ana.page, 'Paint walls')).toBeVisible();
  await screenshot(ana.page, 'archived-meanwhile-1280');
  await ana.page.setViewportSize({ width: 360, height: 740 });
  await screenshot(ana.page, 'archived-meanwhile-360');

  // Not answered yet, a reload keeps it.
  await ana.page.reload();
  await expectSynced(ana.page);
  await expect(notice).toHaveCount(1);

  // Elsewhere, Open project answers it, and takes her there.
  await ana.page.getByRole('link', { name: 'Projects', exact: true }).click();
  await expect(notice.getByRole('paragraph')).toHaveText(
    '“Paint walls” was added to “Studio”, which Ben archived meanwhile · Open project',
  );
  await notice.getByRole('link', { name: 'Open project' }).click();
  await expect(ana.page.getByRole('heading', { name: 'Studio', level: 2 })).toBeAttached();
  await expect(notice).toHaveCount(0);

  // Once: not told again after a reload.
  await ana.page.reload();
  await expectSynced(ana.page);
  await expect(taskTitle(ana.page, 'Paint walls')).toBeVisible();
  expect(await notice.count()).toBe(0);
  await ana.context.close();
  await ben.context.close();
});

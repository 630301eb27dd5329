import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  expectSynced,
  openTask,
  taskDetail,
  taskTitle,
  newPhone,
  openProject,
  orgFor,
  person,
  seedProject,
  signIn,
} from './helpers';

test('switching org, here or in another tab, shows the half-typed task title to copy in the org switched to', async ({
  browser,
  baseURL,
}) => {
  const home = orgFor('switch-home');
  const side = orgFor('switch-side');
  const noa = person('Noa', home, 'admin');
  // Noa is in a second org too, and at home with a project (made on another device of hers).
  await seedProject(baseURL!, noa, 'Garden', []);
  const { context, page } = await newPhone(browser);
  await signIn(page, noa, { ...noa, org: side });

  // A title typed in this tab, not added; the other tab switches to the side org.
  const other = await context.newPage();
  await other.goto('/');
  await openProject(page, 'Garden');
  await page.getByLabel('New task title').fill('Order the tulip bulbs');
  await other.getByLabel('Organization').selectOption({ label: side });

  // This tab follows, and says what it could not keep, to copy.
  const notice = page.getByRole('alert', { name: 'Not saved' });
  await expect(notice).toContainText(`Switched to “${side}”`);
  await expect(notice).toContainText(`What you had typed in “${home}” was not saved`);
  await expect(notice.getByLabel('Add a task')).toHaveValue('Order the tulip bulbs');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);

  // Switching in this very tab with text typed says the same.
  await page.getByLabel('Organization').selectOption({ label: home });
  await openProject(page, 'Garden');
  await page.getByLabel('New task title').fill('Rake the leaves');
  await page.getByLabel('Organization').selectOption({ label: side });
  await expect(notice.getByLabel('Add a task')).toHaveValue('Rake the leaves');
  await context.close();
});

test('"Join another organization…" shows the half-typed title to copy, back on the same screen or in the org joined', async ({
  browser,
  baseURL,
}) => {
  const home = orgFor('join-home');
  const side = orgFor('join-side');
  const ines = person('Ines', home, 'admin');
  await seedProject(baseURL!, ines, 'Orchard', []);
  const { context, page } = await newPhone(browser);
  await signIn(page, ines);
  const notice = page.getByRole('alert', { name: 'Not saved' });

  // The form takes the workspace's place and is closed with Escape: back on the same project.
  await openProject(page, 'Orchard');
  await page.getByLabel('New task title').fill('Net the cherries');
  await page.getByLabel('Organization').selectOption({ label: 'Join another organization…' });
  await page.getByLabel('Organization').press('Escape');
  await expect(notice).toContainText(
    'What you had typed before “Join another organization…” was not saved',
  );
  await expect(notice.getByLabel('Add a task')).toHaveValue('Net the cherries');
  await expect(page.getByRole('heading', { name: 'Orchard', level: 2 })).toBeVisible();
  await notice.getByRole('button', { name: 'Dismiss' }).click();

  // Joining another org with text typed: the org joined says where it was typed.
  await page.getByLabel('New task title').fill('Order ladders');
  await page.getByLabel('Organization').selectOption({ label: 'Join another organization…' });
  await page.getByLabel('Organization').fill(side);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('No projects yet.')).toBeVisible();
  await expect(notice).toContainText(`Switched to “${side}”`);
  await expect(notice).toContainText(`What you had typed in “${home}” was not saved`);
  await expect(notice.getByLabel('Add a task')).toHaveValue('Order ladders');
  await context.close();
});

test('notes typed in an open task, then another org: they are saved in the org they were typed in', async ({
  browser,
  baseURL,
}) => {
  const home = orgFor('switch-notes-home');
  const side = orgFor('switch-notes-side');
  const ida = person('Ida', home, 'admin');
  // Ida is in a second org too, and at home with a project (made on another device of hers).
  await seedProject(baseURL!, ida, 'Kitchen', ['Paint the walls']);
  // Wide: the open task is beside the list, and the org switcher within reach.
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, ida, { ...ida, org: side });
  await openProject(page, 'Kitchen');

  // Notes save as they are typed, the field going away included: here, with the workspace.
  const detail = await openTask(page, 'Paint the walls');
  await detail.getByLabel('Notes').fill('Two coats of the pale green');
  await page.getByLabel('Organization').selectOption({ label: side });
  await expect(page.getByText('No projects yet.')).toBeVisible();

  await page.getByLabel('Organization').selectOption({ label: home });
  await openProject(page, 'Kitchen');
  const back = await openTask(page, 'Paint the walls');
  await expect(back.getByLabel('Notes')).toHaveValue('Two coats of the pale green');
  await expectSynced(page);
  await context.close();
});

test('a task deleted just before switching org: its Undo stays with that org, and the delete is kept', async ({
  browser,
  baseURL,
}) => {
  const home = orgFor('switch-undo-home');
  const side = orgFor('switch-undo-side');
  const ivo = person('Ivo', home, 'admin');
  // Ivo is in a second org too, and at home with a project (made on another device of his).
  await seedProject(baseURL!, ivo, 'Shed', ['Oil the hinges', 'Sweep the floor']);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, ivo, { ...ivo, org: side });
  await openProject(page, 'Shed');

  await openTask(page, 'Oil the hinges');
  await taskDetail(page).getByRole('button', { name: 'Delete task' }).click();
  const toasts = page.getByRole('region', { name: 'Recent actions' });
  await expect(toasts).toContainText('Oil the hinges');
  await page.getByLabel('Organization').selectOption({ label: side });
  await expect(page.getByText('No projects yet.')).toBeVisible();
  // Nothing of the org left shows here, nor can be undone from here.
  // (At once: not its undo window running out, 5 s on.)
  await expect(toasts.filter({ hasText: 'Oil the hinges' })).toHaveCount(0, { timeout: 1_000 });
  await page.keyboard.press('Control+z');

  await page.getByLabel('Organization').selectOption({ label: home });
  await openProject(page, 'Shed');
  await expect(taskTitle(page, 'Sweep the floor')).toBeVisible();
  await expect(taskTitle(page, 'Oil the hinges')).toHaveCount(0);
  await expectSynced(page);
  await context.close();
});

import { expect, test, type Page } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openProject,
  orgFor,
  otherDevice,
  person,
  signIn,
  signOutFromMenu,
  taskDetail,
  taskList,
  taskTitle,
  uuidv7,
} from './helpers';

/** Created in this order; due dates far enough out (or back) to be overdue or not on any day. */
const TASKS = [
  { title: 'Buy stamps', dueDate: null },
  { title: 'Call the plumber', dueDate: '2099-03-01' },
  { title: 'Renew passport', dueDate: '2020-01-15' },
  { title: 'Water plants', dueDate: '2099-01-10' },
];
const BY_DUE = ['Renew passport', 'Water plants', 'Call the plumber', 'Buy stamps'];
const CREATED = TASKS.map((t) => t.title);

const titles = (page: Page) => taskList(page).locator('.task-title-text');

test('a project’s list sorted by due date puts the overdue task first, keeps the order through a reload and a task opened, and j follows it', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('sort');
  const ida = person('Ida', org, 'admin');
  const device = await otherDevice(baseURL!, ida);
  const projectId = uuidv7();
  await device.push([
    device.change('project.create', projectId, {
      fields: { name: 'Errands', description: '', status: 'active', ownerId: device.userId },
    }),
    ...TASKS.map(({ title, dueDate }) =>
      device.change('task.create', uuidv7(), {
        fields: { projectId, title, notes: '', status: 'todo', assigneeId: null, dueDate },
      }),
    ),
  ]);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, ida);
  await openProject(page, 'Errands');
  await expect(titles(page)).toHaveText(CREATED);
  const sort = page.getByLabel('Sort', { exact: true });
  await expect(sort).toHaveValue('created');

  await sort.selectOption({ label: 'Sort: Due date' });
  await expect(titles(page)).toHaveText(BY_DUE);
  expect(new URL(page.url()).hash).toBe(`#/projects/${projectId}?sort=due`);

  // The keys follow the order shown: j takes the overdue task, then the one due soonest.
  await sort.evaluate((e) => e.blur());
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Renew passport')).toBeFocused();
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Water plants')).toBeFocused();

  // A reload (or the link shared) shows the same order.
  await page.reload();
  await expect(titles(page)).toHaveText(BY_DUE);
  await expect(page.getByLabel('Sort', { exact: true })).toHaveValue('due');

  // Searched and filtered, the results come in that order too.
  await page.getByLabel('Status', { exact: true }).selectOption('open');
  await expect(titles(page)).toHaveText(BY_DUE);
  await page.getByLabel('Status', { exact: true }).selectOption('all');

  // Sorted again while a task is open: closing it goes back to the list in the new order.
  await taskTitle(page, 'Water plants').click();
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Water plants');
  await page.getByLabel('Sort', { exact: true }).selectOption({ label: 'Sort: Title A–Z' });
  await page.getByRole('button', { name: 'Close task details' }).click();
  await expect(taskDetail(page)).toHaveCount(0);
  await expect(titles(page)).toHaveText([...CREATED].sort());
  expect(new URL(page.url()).hash).toBe(`#/projects/${projectId}?sort=title`);

  // The default order leaves the URL as it was.
  await page.getByLabel('Sort', { exact: true }).selectOption('created');
  await expect(titles(page)).toHaveText(CREATED);
  expect(new URL(page.url()).hash).toBe(`#/projects/${projectId}`);
  await context.close();
});

test('the order chosen is remembered per project: reached from the Projects list again, it opens in it (shown in the link, Back not stepping through it); a link naming an order still wins, Created forgets it, and so does signing out', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('sort-kept');
  const ida = person('Ida', org, 'admin');
  const device = await otherDevice(baseURL!, ida);
  const projectId = uuidv7();
  const otherId = uuidv7();
  await device.push([
    device.change('project.create', projectId, {
      fields: { name: 'Errands', description: '', status: 'active', ownerId: device.userId },
    }),
    device.change('project.create', otherId, {
      fields: { name: 'Garden', description: '', status: 'active', ownerId: device.userId },
    }),
    ...[projectId, otherId].flatMap((id) =>
      TASKS.map(({ title, dueDate }) =>
        device.change('task.create', uuidv7(), {
          fields: { projectId: id, title, notes: '', status: 'todo', assigneeId: null, dueDate },
        }),
      ),
    ),
  ]);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, ida);
  const projects = page.getByRole('heading', { name: 'Projects', exact: true });
  const sort = page.getByLabel('Sort', { exact: true });
  await openProject(page, 'Errands');
  await expect(titles(page)).toHaveText(CREATED);
  await sort.selectOption({ label: 'Sort: Due date' });
  await expect(titles(page)).toHaveText(BY_DUE);

  // From the Projects list again: by due date, and the link says so.
  await openProject(page, 'Errands');
  await expect(titles(page)).toHaveText(BY_DUE);
  await expect(sort).toHaveValue('due');
  await expect.poll(() => new URL(page.url()).hash).toBe(`#/projects/${projectId}?sort=due`);
  // Back leaves the project (the link was completed in place, not added to the history).
  await page.goBack();
  await expect(projects).toBeVisible();

  // Another project keeps its own order.
  await openProject(page, 'Garden');
  await expect(titles(page)).toHaveText(CREATED);
  await expect(sort).toHaveValue('created');
  expect(new URL(page.url()).hash).toBe(`#/projects/${otherId}`);

  // A link naming an order wins, and is not remembered.
  await page.goto(`/#/projects/${projectId}?sort=title`);
  await expect(titles(page)).toHaveText([...CREATED].sort());
  await openProject(page, 'Errands');
  await expect(titles(page)).toHaveText(BY_DUE);

  // Created chosen: the project opens in created order again, with no order in its link.
  await sort.selectOption('created');
  await expect(titles(page)).toHaveText(CREATED);
  await openProject(page, 'Errands');
  await expect(titles(page)).toHaveText(CREATED);
  await expect(sort).toHaveValue('created');
  expect(new URL(page.url()).hash).toBe(`#/projects/${projectId}`);

  // The orders chosen are the person's: signed out and in again, the project opens in created order.
  await sort.selectOption({ label: 'Sort: Due date' });
  await expect(titles(page)).toHaveText(BY_DUE);
  await signOutFromMenu(page);
  await expect(page.getByRole('heading', { name: 'Sign in (development mode)' })).toBeVisible();
  await signIn(page, ida);
  await openProject(page, 'Errands');
  await expect(titles(page)).toHaveText(CREATED);
  await expect(sort).toHaveValue('created');
  await context.close();
});

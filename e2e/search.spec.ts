import { expect, test, type Page } from '@playwright/test';
import {
  addTask,
  closeTask,
  createProject,
  DESKTOP,
  expectAccessible,
  expectNoHorizontalScroll,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  otherDevice,
  person,
  projectLink,
  screenshot,
  seedProject,
  signIn,
  taskDetail,
  taskTitle,
  uuidv7,
  waitForServiceWorker,
  type Person,
} from './helpers';

const box = (page: Page) => page.getByRole('searchbox', { name: 'Search all tasks' });
const heading = (page: Page, n: number) =>
  page.getByRole('heading', { name: `${n} matching task${n === 1 ? '' : 's'}` });
/** A result row (in the Tasks list) holding this title. */
const result = (page: Page, title: string) =>
  page
    .getByRole('list', { name: 'Tasks' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('button', { name: title, exact: true }) });
/** The list's project headings, in order (each with its count of results). */
const groups = (page: Page) =>
  page.getByRole('list', { name: 'Tasks' }).getByRole('heading', { level: 4 });

/**
 * Ana signed in with two projects, each with a task that mentions the projector (one only in its
 * notes, and overdue), made on another device of hers before the app loads: these tests are
 * about search, not about making projects and tasks.
 */
async function signInWithTwoProjects(page: Page, ana: Person): Promise<void> {
  const baseURL = test.info().project.use.baseURL!;
  await Promise.all([
    seedProject(baseURL, ana, 'Conference', [
      { title: 'Book the venue', notes: 'Needs a PROJECTOR and 40 seats', dueDate: '2020-01-15' },
      'Order badges',
    ]),
    seedProject(baseURL, ana, 'Website', ['Projector for the demo', 'Write copy']),
  ]);
  await signIn(page, ana);
  await expect(projectLink(page, 'Conference')).toBeVisible();
  await expect(projectLink(page, 'Website')).toBeVisible();
  await expectSynced(page);
}

test('workspace search: / from anywhere searches every project offline, filters, opens a task', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { context, page } = await newPhone(browser);
  await signInWithTwoProjects(page, person('Ana', orgFor('workspace-search'), 'admin'));
  // An admin's five tabs (with Members) all fit a phone's row: nothing scrolled out of view.
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await expect(nav.getByRole('link')).toHaveCount(5);
  const fit = await nav.evaluate((n) => ({
    scrolls: n.scrollWidth > n.clientWidth,
    right: Math.max(...[...n.querySelectorAll('a')].map((a) => a.getBoundingClientRect().right)),
  }));
  expect(fit.scrolls).toBe(false);
  expect(fit.right).toBeLessThanOrEqual(360);
  await screenshot(page, 'nav-360');
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toContainText('Offline');

  // `/` outside a project opens the workspace search, its field focused (the `/` not typed).
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('/');
  await expect(box(page)).toBeFocused();
  await expect(box(page)).toHaveValue('');
  await expectAccessible(page, 'search 360 (empty)');

  await page.keyboard.type('projector');
  await expect(heading(page, 2)).toBeVisible();
  // Results are under their project's heading; one matched by its notes only.
  await expect(groups(page)).toHaveText(['Conference (1)', 'Website (1)']);
  await expect(taskTitle(page, 'Book the venue')).toBeVisible();
  await expect(taskTitle(page, 'Projector for the demo')).toBeVisible();
  await expect(taskTitle(page, 'Order badges')).toHaveCount(0);
  // The word searched for is marked where a title has it; a hit in the notes marks nothing.
  await expect(taskTitle(page, 'Projector for the demo').locator('mark')).toHaveText('Projector');
  await expect(taskTitle(page, 'Book the venue').locator('mark')).toHaveCount(0);
  await expectAccessible(page, 'search 360 (results)');
  await expectNoHorizontalScroll(page, 'search 360');
  await screenshot(page, 'search-360-results');

  // Filters as in a project: the overdue one only.
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByLabel('Due', { exact: true }).selectOption('overdue');
  await expect(heading(page, 1)).toBeVisible();
  await expect(taskTitle(page, 'Book the venue')).toBeVisible();
  // A project with no result has no heading.
  await expect(groups(page)).toHaveText(['Conference (1)']);
  await page.getByLabel('Due', { exact: true }).selectOption('any');
  await expect(heading(page, 2)).toBeVisible();

  // A click opens the task's detail (the whole screen on a phone)…
  const detail = await openTask(page, 'Projector for the demo');
  expect((await detail.boundingBox())!.width).toBe(360);
  await screenshot(page, 'search-360-detail');
  // …and an edit made there shows in the results at once (the index follows the mirror).
  await detail.getByLabel('Title').fill('Projector cable for the demo');
  await detail.getByLabel('Title').press('Enter');
  await closeTask(page);
  await expect(taskTitle(page, 'Projector cable for the demo')).toBeFocused();
  await expect(box(page)).toHaveValue('projector');

  // A task written elsewhere (another project's screen) is found when search is back.
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name: 'Conference' }).click();
  await addTask(page, 'Test the projector remote');
  await page.getByRole('link', { name: 'Search all tasks' }).click();
  await expect(box(page)).toHaveValue('projector');
  await expect(heading(page, 3)).toBeVisible();
  // Enter on a focused result opens it.
  await taskTitle(page, 'Test the projector remote').focus();
  await page.keyboard.press('Enter');
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Test the projector remote');
  await context.setOffline(false);
  await context.close();
});

test('workspace search at 1280 px: the top bar entry, results beside the detail, axe', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signInWithTwoProjects(page, person('Ana', orgFor('workspace-search-wide'), 'admin'));
  await page.getByRole('link', { name: 'Search all tasks' }).click();
  await expect(box(page)).toBeFocused();
  await box(page).fill('projector');
  await expect(heading(page, 2)).toBeVisible();
  // A project first in the projects list (by name) comes first, though its result is the newest;
  // within a project, results keep their order.
  await createProject(page, 'Archive boxes');
  await addTask(page, 'Projector screen');
  await openProject(page, 'Conference');
  await addTask(page, 'Projector batteries');
  await page.getByRole('link', { name: 'Search all tasks' }).click();
  await expect(heading(page, 4)).toBeVisible();
  await expect(groups(page)).toHaveText(['Archive boxes (1)', 'Conference (2)', 'Website (1)']);
  const titles = page.getByRole('list', { name: 'Tasks' }).locator('.task-title');
  await expect(titles).toHaveText([
    'Projector screen',
    'Book the venue',
    'Projector batteries',
    'Projector for the demo',
  ]);
  // j and k go from one project's results to the next's, past the heading; each row is heard
  // as its place among all the results.
  await taskTitle(page, 'Projector batteries').focus();
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Projector for the demo')).toBeFocused();
  await expect(result(page, 'Projector for the demo')).toHaveAttribute('aria-posinset', '4');
  await expect(result(page, 'Projector for the demo')).toHaveAttribute('aria-setsize', '4');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await expect(taskTitle(page, 'Projector screen')).toBeFocused();
  await expect(result(page, 'Projector screen')).toHaveAttribute('aria-posinset', '1');
  await page.keyboard.press('Enter');
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Projector screen');
  await page.keyboard.press('Escape');
  await expect(taskDetail(page)).toHaveCount(0);
  await expect(taskTitle(page, 'Projector screen')).toBeFocused();
  await expectAccessible(page, 'search 1280');
  await expectNoHorizontalScroll(page, 'search 1280');
  await screenshot(page, 'search-1280-results');
  const detail = await openTask(page, 'Book the venue');
  // A side panel: the results stay in view beside it.
  const list = (await page.getByRole('list', { name: 'Tasks' }).boundingBox())!;
  expect((await detail.boundingBox())!.x).toBeGreaterThanOrEqual(list.x + list.width);
  await expect(taskTitle(page, 'Projector for the demo')).toBeVisible();
  await expectAccessible(page, 'search 1280 with detail');
  await screenshot(page, 'search-1280-detail');
  await context.close();
});

test('quick views: your open tasks, overdue and due this week across every project, one click each, counted', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('quick-views');
  const ana = person('Ana', org, 'admin');
  const ben = person('Ben', org, 'member');
  const { context, page } = await newPhone(browser);
  await signIn(page, ana);
  const mine = await otherDevice(baseURL!, ana);
  const theirs = await otherDevice(baseURL!, ben);
  const day = (offset: number) => {
    const d = new Date();
    d.setDate(d.getDate() + offset);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };
  const task = (projectId: string, title: string, more: Record<string, unknown>) =>
    mine.change('task.create', uuidv7(), {
      fields: {
        projectId,
        title,
        notes: '',
        status: 'todo',
        assigneeId: null,
        dueDate: null,
        ...more,
      },
    });
  const [launch, site] = [uuidv7(), uuidv7()];
  const project = (id: string, name: string) =>
    mine.change('project.create', id, {
      fields: { name, description: '', status: 'active', ownerId: mine.userId },
    });
  await mine.push([
    project(launch, 'Launch'),
    project(site, 'Website'),
    task(launch, 'Mine, late', { assigneeId: mine.userId, dueDate: day(-2) }),
    task(site, 'Mine, soon', { assigneeId: mine.userId, dueDate: day(2) }),
    task(site, 'Mine, done', { assigneeId: mine.userId, status: 'done' }),
    task(launch, 'Ben’s, late', { assigneeId: theirs.userId, dueDate: day(-1) }),
    task(site, 'Nobody’s, today', { dueDate: day(0) }),
    task(site, 'Nobody’s, someday', {}),
  ]);
  await expectSynced(page);
  await page.getByRole('link', { name: 'Search all tasks' }).click();
  const views = page.getByRole('list', { name: 'Open tasks across every project' });
  await expect(views.getByRole('button')).toHaveText([
    'Assigned to you 2',
    'Overdue 2',
    'Due this week 2',
  ]);
  await screenshot(page, 'search-quick-views-360');

  await views.getByRole('button', { name: /Assigned to you/ }).click();
  await expect(heading(page, 2)).toBeVisible();
  await expect(result(page, 'Mine, late')).toBeVisible();
  await expect(result(page, 'Mine, soon')).toBeVisible();
  // The view is the toolbar's filters, shown as set, and typing narrows it.
  await expect(page.getByLabel('Assignee')).toHaveValue(mine.userId);
  await expect(box(page)).toBeFocused();
  await page.keyboard.type('late');
  await expect(heading(page, 1)).toBeVisible();
  await page.getByRole('button', { name: 'Clear', exact: true }).first().click();

  await views.getByRole('button', { name: /Overdue/ }).click();
  await expect(heading(page, 2)).toBeVisible();
  await expect(result(page, 'Ben’s, late')).toBeVisible();
  await expect(result(page, 'Mine, late')).toBeVisible();
  await context.close();
});

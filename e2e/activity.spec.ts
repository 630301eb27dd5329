import { expect, test, type Page } from '@playwright/test';
import {
  addTask,
  createProject,
  cutEnd,
  DESKTOP,
  expectAccessible,
  expectNoHorizontalScroll,
  newPhone,
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
  type Person,
} from './helpers';

/** The e2e server keeps an activity window of the newest 200 entries (playwright.config.ts): seed past it. */
const TASKS = 250;

/**
 * Signs `who` in with their project `name` and its `tasks` (in this order) made on another device
 * of theirs before the app loads, as the feed's entries to look at: for a test about the feed,
 * not about making projects and tasks.
 */
async function signInWithProject(
  page: Page,
  who: Person,
  name: string,
  tasks: readonly string[],
): Promise<void> {
  await seedProject(test.info().project.use.baseURL!, who, name, tasks);
  await signIn(page, who);
  await expect(projectLink(page, name)).toBeVisible();
}

/** Another device of `who` pushes these writes through the sync API (ids and clocks in order). */
async function seed(baseURL: string, who: Person) {
  const device = await otherDevice(baseURL, who);
  const m = device.change;
  const projectId = uuidv7();
  const brief = uuidv7();
  const old = uuidv7();
  const ms: Record<string, unknown>[] = [];
  const task = (entityId: string, title: string) =>
    m('task.create', entityId, {
      fields: { projectId, title, notes: '', status: 'todo', assigneeId: null, dueDate: null },
    });
  ms.push(
    m('project.create', projectId, {
      fields: { name: 'Launch', description: '', status: 'active', ownerId: device.userId },
    }),
  );
  for (let i = 1; i <= TASKS; i++) ms.push(task(uuidv7(), `Bulk ${i}`));
  ms.push(task(brief, 'Write brief'));
  ms.push(task(old, 'Old plan'));
  ms.push(m('task.update', brief, { fields: { status: 'done', dueDate: '2026-12-03' } }));
  ms.push(m('task.delete', old));
  await device.push(ms);
}

test('activity feed: names deleted tasks, values in words, batches in one line, by day, filters by keyboard, older pages online only', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('activity feed');
  const ana = person('Ana', org);
  await seed(baseURL!, ana);
  const { context, page } = await newPhone(browser);
  await signIn(page, ana);
  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('heading', { name: 'Today' })).toBeVisible();

  // The deleted task is named (by its delete), values are words, tasks carry their project.
  const deleted = page.locator('li[data-action="delete"]').first();
  // The first sync can take a while on a busy machine.
  // Ana's own device wrote them: her feed says "You".
  await expect(deleted).toContainText('You deleted “Old plan”', { timeout: 60_000 });
  await expect(deleted).toContainText('in Launch');
  const update = page.locator('li[data-action="update"]').first();
  await expect(update).toContainText('You completed “Write brief”');
  await expect(update).toContainText('due date: empty → Dec 3, 2026');
  await expect(update).not.toContainText('done');

  // The batch of creates reads as one line with a few names; every name on demand.
  const batch = page.locator('li[data-burst]');
  await expect(batch).toHaveCount(1);
  await expect(batch).toContainText(/You added \d+ tasks · in Launch/);
  await expect(batch).toContainText('“Old plan”, “Write brief”, “Bulk 250” and');
  const showAll = batch.getByRole('button', { name: /Show all \d+/ });
  await showAll.focus();
  await page.keyboard.press('Enter');
  await expect(batch.getByRole('listitem').filter({ hasText: '“Bulk 100”' })).toBeVisible();
  await expect(batch.getByRole('button', { name: 'Hide the list' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await page.keyboard.press('Enter');
  await expect(batch.getByRole('listitem')).toHaveCount(0);

  // Filters by keyboard alone: kind "Deleted" leaves the delete; Clear filters is the next Tab.
  const kind = page.getByLabel('Kind');
  await kind.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await expect(kind).toHaveValue('delete');
  await expect(page.locator('li[data-action]')).toHaveCount(1);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Clear filters' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(kind).toHaveValue('all');
  await expect(page.getByRole('button', { name: 'Clear filters' })).toHaveCount(0);
  await page.getByLabel('Person').selectOption({ label: 'Ana (you)' });
  await expect(deleted).toBeVisible();
  await page.getByLabel('Person').selectOption('');

  // Nothing matches: said plainly, with a way back.
  await kind.selectOption('conflict');
  await expect(page.getByText('Nothing loaded so far matches these filters.')).toBeVisible();
  await expectAccessible(page, 'activity filtered empty');
  await screenshot(page, 'activity-filtered-empty-360');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(deleted).toBeVisible();

  await expectNoHorizontalScroll(page, 'activity 360');
  await expectAccessible(page, 'activity');
  await screenshot(page, 'activity-360');

  // Offline, what the device keeps is shown, and past it an honest message (never a spinner).
  const project = page.locator('li[data-action="create"]', { hasText: 'the project “Launch”' });
  const older = page.getByRole('button', { name: 'Show older activity' });
  const needsConnection = page.getByText('Older activity needs a connection');
  await context.setOffline(true);
  for (let i = 0; i < 20 && !(await needsConnection.isVisible()); i++) await older.click();
  await expect(needsConnection).toBeVisible();
  // Nothing to ask for until the connection is back.
  await expect(older).toBeDisabled();
  await expect(project).toHaveCount(0);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expectAccessible(page, 'activity offline');
  await screenshot(page, 'activity-offline-360');

  // Online again, older entries come from the server, down to the first one.
  await context.setOffline(false);
  for (let i = 0; i < 5 && (await project.count()) === 0; i++) {
    await older.click();
    await expect(page.getByRole('button', { name: 'Loading older activity…' })).toHaveCount(0);
  }
  await expect(project).toHaveCount(1);
  await expect(page.getByText('That is everything the server keeps.')).toBeVisible();
  // The older creates joined the batch: one line for all of them.
  await expect(batch).toHaveCount(1);
  await expect(batch).toContainText(`You added ${TASKS + 2} tasks`);

  await page.setViewportSize(DESKTOP);
  await page.getByRole('heading', { name: 'Activity', level: 2 }).scrollIntoViewIfNeeded();
  await expectAccessible(page, 'activity desktop');
  await screenshot(page, 'activity-1280');

  // A task whose history is older than the window this device keeps says where it is (it
  // never arrives by itself), not that it arrives with the next sync.
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name: 'Launch' }).click();
  await taskTitle(page, 'Bulk 1').click();
  const history = page.getByRole('region', { name: 'History of this task' });
  await expect(history).toContainText('Its history is older than what this device keeps');
  // The link opens Activity filtered to this task: its entries from the server, and only
  // them, saying so, with a way back to everything.
  await history.getByRole('link', { name: 'show its history' }).click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 2 })).toBeVisible();
  await expect(page.getByText('The history of Bulk 1 only.')).toBeVisible();
  const entries = page.locator('li[data-action], li[data-burst]');
  await expect(entries).toHaveCount(1);
  await expect(entries).toContainText('You added “Bulk 1”');
  await expect(page.getByText('That is everything the server keeps.')).toBeVisible();
  await expect(page.getByLabel('Kind')).toHaveCount(0);
  await expectAccessible(page, 'activity of one task');
  await page.getByRole('link', { name: 'Show all activity' }).click();
  await expect(page.getByLabel('Kind')).toBeVisible();
  await expect(page.locator('li[data-burst]')).toHaveCount(1);
  await context.close();
});

test('a new org’s feed ends plainly: no “Show older activity” when the server keeps nothing older, nor “so far” when nothing matches', async ({
  browser,
}) => {
  const ana = person('Ana', orgFor('activity new org'));
  const { context, page } = await newPhone(browser);
  await signIn(page, ana);
  await createProject(page, 'First steps');
  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(
    page.locator('li[data-action="create"]', { hasText: 'the project “First steps”' }),
  ).toBeVisible();
  // The server was asked once, quietly: nothing older, so the feed says it is all there.
  await expect(page.getByText('That is everything the server keeps.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show older activity' })).toHaveCount(0);
  await expectAccessible(page, 'activity of a new org');
  await screenshot(page, 'activity-new-org-360');

  // Filters that match nothing, with all of it loaded: said plainly, not "Nothing loaded so
  // far matches" over "That is everything the server keeps." under nothing shown.
  await page.getByLabel('Kind').selectOption('conflict');
  await expect(page.getByText('No activity matches these filters.')).toBeVisible();
  await expect(page.getByText(/so far/)).toHaveCount(0);
  await expect(page.getByText('That is everything the server keeps.')).toHaveCount(0);
  await context.close();
});

test('on a phone the activity filters fill their rows: Project on the first, Person and Kind side by side', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('activity filters row')));
  await createProject(page, 'Launch');
  await page.getByRole('link', { name: 'Activity' }).click();
  const filters = page.getByRole('group', { name: 'Filter activity' });
  const box = async (name: string) => (await filters.getByLabel(name).boundingBox())!;
  await expect(filters.getByLabel('Kind')).toBeVisible();
  const [group, project, who, kind] = [
    (await filters.boundingBox())!,
    await box('Project'),
    await box('Person'),
    await box('Kind'),
  ];
  // Kind sat alone on the second row, the half beside it empty.
  expect(Math.round(kind.y)).toBe(Math.round(who.y));
  expect(kind.x).toBeGreaterThan(who.x + who.width);
  expect(Math.round(project.width)).toBe(Math.round(group.width));
  expect(who.y).toBeGreaterThan(project.y + project.height);
  await expectNoHorizontalScroll(page, 'activity filters');
  await screenshot(page, 'activity-filters-360');
  await page.setViewportSize(DESKTOP);
  await expect
    .poll(async () => Math.round((await box('Kind')).y))
    .toBe(Math.round((await box('Project')).y));
  await screenshot(page, 'activity-filters-1280');
  await context.close();
});

test('on a phone an entry naming a long-named project (a task’s, the project’s creation) reads in two lines at most: the name cut with an ellipsis, whole in its tooltip and text', async ({
  browser,
}) => {
  const long = 'Quarterly planning for the northern distribution centres and their warehouses';
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('activity long project')));
  await createProject(page, long);
  await addTask(page, 'Buy milk');
  await page.getByRole('link', { name: 'Activity' }).click();
  const entry = page.locator('li[data-action="create"]', { hasText: '“Buy milk”' });
  await expect(entry).toContainText(`You added “Buy milk” · in ${long}`);
  // "· in <project>" wrapped the sentence to four lines at 360 px.
  const lines = () =>
    entry.locator('.activity-line > .grow').evaluate((el) => {
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
      return Math.round(el.getBoundingClientRect().height / lineHeight);
    });
  expect(await lines()).toBeLessThanOrEqual(2);
  // The whole name is still in the entry's text (read out); the tooltip has it too.
  await expect(entry.getByTitle(`in ${long}`)).toBeVisible();
  // "You created the project “<name>”" wrapped to three lines at 360 px: the name is cut inside
  // its quotes, the ” right after the “…”; its link and tooltip keep the whole name.
  const created = page.locator('li[data-action="create"]', { hasText: 'created the project' });
  await expect(created).toContainText(`You created the project “${long}”`);
  const createdLines = () =>
    created.locator('.activity-line > .grow').evaluate((el) => {
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
      return Math.round(el.getBoundingClientRect().height / lineHeight);
    });
  expect(await createdLines()).toBeLessThanOrEqual(2);
  const name = created.getByTitle(`“${long}”`);
  await expect(name.getByRole('link', { name: long, exact: true })).toBeVisible();
  const end = await cutEnd(name);
  expect(end).toMatchObject({ cut: true });
  expect(end.before).toMatch(/\S/);
  expect(end.gap).toBeLessThan(1);
  await expectNoHorizontalScroll(page, 'activity long project');
  await expectAccessible(page, 'activity long project');
  await created.scrollIntoViewIfNeeded();
  await screenshot(page, 'activity-long-project-360');
  await page.setViewportSize(DESKTOP);
  await expect.poll(lines).toBeLessThanOrEqual(2);
  await expect.poll(createdLines).toBeLessThanOrEqual(2);
  await screenshot(page, 'activity-long-project-1280');
  await context.close();
});

test('on a phone an entry naming a long task title reads in three lines at most: the title cut inside its quotes, whole in its link, text and tooltip', async ({
  browser,
}) => {
  const long =
    'Collect the signed permits from the council office and scan every page before the inspection with the building surveyor and our architect';
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('activity long task')));
  await createProject(page, 'Garden');
  await addTask(page, long);
  await page.getByRole('link', { name: 'Activity' }).click();
  const entry = page.locator('li[data-action="create"]', { hasText: 'You added' });
  await expect(entry).toContainText(`You added “${long}” · in Garden`);
  // The title wrapped the entry to seven lines at 360 px.
  const lines = () =>
    entry.locator('.activity-line > .grow').evaluate((el) => {
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
      return Math.round(el.getBoundingClientRect().height / lineHeight);
    });
  expect(await lines()).toBeLessThanOrEqual(3);
  const title = entry.getByTitle(`“${long}”`);
  await expect(title.getByRole('link', { name: long, exact: true })).toBeVisible();
  const end = await cutEnd(title);
  expect(end).toMatchObject({ cut: true });
  expect(end.before).toMatch(/\S/);
  expect(end.gap).toBeLessThan(1);
  await expectNoHorizontalScroll(page, 'activity long task');
  await expectAccessible(page, 'activity long task');
  await screenshot(page, 'activity-long-task-360');
  await page.setViewportSize(DESKTOP);
  await expect.poll(lines).toBeLessThanOrEqual(3);
  await screenshot(page, 'activity-long-task-1280');
  // The cut title still opens its task.
  await title.getByRole('link', { name: long, exact: true }).click();
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue(long);
  await context.close();
});

test('a batch’s names sit on the line with the words around them, each comma on its name’s line, at 360 and 1280 px', async ({
  browser,
}) => {
  const long = 'Collect the signed permits from the council office before the inspection';
  const { context, page } = await newPhone(browser);
  // The newest first: the long title fills its line, the comma after it wrapped alone.
  await signInWithProject(page, person('Ana', orgFor('activity batch line')), 'Garden', [
    'Fix fence',
    'Order bulbs',
    'Pick a font',
    'Book the photographer',
    long,
  ]);
  await page.getByRole('link', { name: 'Activity' }).click();
  const names = page.locator('li[data-burst="5"] p', { hasText: 'Show all 5' });
  await expect(names).toBeVisible();
  /**
   * Each "," in the names' line: whether it is on the line of the ” before it; and how far the
   * last name's opening “ sits below the words after it ("and 2 more"): a name aligned to the
   * bottom of a line the "Show all" button made taller sank 4–5 px below them.
   */
  const layout = () =>
    names.evaluate((p) => {
      const rectOf = (node: Text, i: number) => {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        return range.getBoundingClientRect();
      };
      const chars: { ch: string; rect: DOMRect }[] = [];
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n as Text;
        for (let i = 0; i < text.data.length; i++)
          if (text.data[i] !== ' ') chars.push({ ch: text.data[i]!, rect: rectOf(text, i) });
      }
      const commasOnTheirLine = chars
        .filter((c, i) => c.ch === ',' && i > 0)
        .map((c) => {
          const before = chars[chars.indexOf(c) - 1]!;
          return Math.abs(before.rect.bottom - c.rect.bottom) < 2;
        });
      const lastOpen = chars.findLast((c) => c.ch === '“')!;
      const and = chars.find(
        (c, i) => c.ch === 'a' && chars[i + 1]?.ch === 'n' && chars[i + 2]?.ch === 'd',
      )!;
      return { commasOnTheirLine, sink: lastOpen.rect.bottom - and.rect.bottom };
    });
  for (const width of [360, 1280]) {
    if (width === 1280) await page.setViewportSize(DESKTOP);
    const seen = await layout();
    expect(seen.commasOnTheirLine, `${width} px`).toEqual([true, true]);
    expect(Math.abs(seen.sink), `${width} px`).toBeLessThan(1);
    await screenshot(page, `activity-batch-line-${width}`);
  }
  await context.close();
});

import { expect, test, type Page } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  orgFor,
  person,
  screenshot,
  signIn,
  signInToProject,
  taskDetail,
  taskList,
  taskTitle,
} from './helpers';

const matching = (page: Page, n: number) =>
  page.getByRole('heading', { name: `${n} matching task${n === 1 ? '' : 's'}` });

test('from the search field, ↓ or Enter goes on to the first task found, and Escape in the empty field goes back to the list, never to the page', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signInToProject(page, person('Ana', orgFor('search-keys'), 'admin'), 'Launch');
  const field = page.getByLabel('New task title');
  await field.click();
  for (const title of ['Alpha report', 'Beta report', 'Gamma']) {
    await page.keyboard.type(title);
    await page.keyboard.press('Enter');
  }
  await expect(taskTitle(page, 'Gamma')).toBeVisible();
  await field.press('Escape');

  // A project's search: typed, then ↓ is on the first task found, and the list's keys act.
  const search = page.getByRole('searchbox', { name: 'Search tasks' });
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await page.keyboard.type('report');
  await expect(matching(page, 2)).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(taskTitle(page, 'Alpha report')).toBeFocused();
  await screenshot(page, 'search-keys-down-1280');
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Beta report')).toBeFocused();
  await expect(search).toHaveValue('report');
  await page.keyboard.press('Enter');
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Beta report');
  await page.keyboard.press('Escape');
  await expect(taskTitle(page, 'Beta report')).toBeFocused();

  // Enter does the same.
  await search.fill('gam');
  await expect(matching(page, 1)).toBeVisible();
  await search.press('Enter');
  await expect(taskTitle(page, 'Gamma')).toBeFocused();

  // Escape clears the search (focus stays), then leaves the field for the row the keyboard was
  // on: k goes on from there instead of being typed into the search.
  await search.click();
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(search).toBeFocused();
  await search.press('Escape');
  await expect(taskTitle(page, 'Gamma')).toBeFocused();
  await page.keyboard.press('k');
  await expect(taskTitle(page, 'Beta report')).toBeFocused();
  await expect(search).toHaveValue('');

  // A reload keeps the row the keyboard was on (the tab's place): Escape goes back to it.
  await page.reload();
  await expect(taskTitle(page, 'Gamma')).toBeVisible();
  await search.click();
  await search.press('Escape');
  await expect(taskTitle(page, 'Beta report')).toBeFocused();

  // With no row designated (a fresh visit: a new tab), the list itself; j takes the first row.
  const fresh = await page.context().newPage();
  await fresh.goto(page.url());
  await expect(taskTitle(fresh, 'Gamma')).toBeVisible();
  const freshSearch = fresh.getByRole('searchbox', { name: 'Search tasks' });
  await freshSearch.click();
  await freshSearch.press('Escape');
  await expect(taskList(fresh)).toBeFocused();
  await fresh.keyboard.press('j');
  await expect(taskTitle(fresh, 'Alpha report')).toBeFocused();
  await fresh.close();

  // The workspace search: ↓ on to the first result; Escape in the empty field, to the heading.
  await page.getByRole('link', { name: 'Search all tasks' }).click();
  const all = page.getByRole('searchbox', { name: 'Search all tasks' });
  await expect(all).toBeFocused();
  await page.keyboard.type('report');
  await expect(matching(page, 2)).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(taskTitle(page, 'Alpha report')).toBeFocused();
  await screenshot(page, 'search-keys-workspace-1280');
  await all.fill('');
  await all.press('Escape');
  await expect(page.getByRole('heading', { name: 'Search', exact: true })).toBeFocused();
  await context.close();
});

test('? on the search lists the keys that work there: no new task, no selecting several, and s, a, d, p, Delete for the open task', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, person('Ana', orgFor('search-help'), 'admin'));
  await page.getByRole('link', { name: 'Search all tasks' }).click();
  const field = page.getByRole('searchbox', { name: 'Search all tasks' });
  await expect(field).toBeFocused();
  // Escape in the empty field leaves it; ? then opens the search's own list.
  await field.press('Escape');
  await expect(field).not.toBeFocused();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const what of [
    'Next task',
    'Open the current task',
    'Set the status of the open task',
    'Move the open task to another project',
    'Delete the open task (asked first, with Undo)',
    'Only tasks assigned to me',
    'Go to Projects',
  ])
    await expect(help).toContainText(what);
  // Keys the search does not take (they did nothing there, yet were listed).
  for (const what of [
    'New task',
    'Select the task',
    'Select down or up',
    'Select every task shown',
    'the selected tasks',
    'In a new task’s title',
  ])
    await expect(help).not.toContainText(what);
  await screenshot(page, 'search-help-1280');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await context.close();
});

import { expect, test, type Browser } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openProject,
  openTask,
  closeTask,
  orgFor,
  person,
  screenshot,
  seedProject,
  signIn,
  taskTitle,
  taskList,
} from './helpers';

const TITLES = Array.from({ length: 300 }, (_, i) => `Step ${i + 1} of the move`);

/** Kai's project of 300 tasks, open, and its search field. */
async function openMove(browser: Browser, baseURL: string, viewport?: typeof DESKTOP) {
  const org = orgFor('search-place');
  const kai = person('Kai', org, 'admin');
  await seedProject(baseURL, kai, 'Move', TITLES);
  const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
  await signIn(page, kai);
  await openProject(page, 'Move');
  return { context, page, org, search: page.getByRole('searchbox', { name: 'Search tasks' }) };
}

test('a search cleared in a long list keeps the task you were on in view (focused if it was), not the top of the list', async ({
  browser,
  baseURL,
}) => {
  const { context, page, search } = await openMove(browser, baseURL!, DESKTOP);

  // A result opened and closed, then the search cleared from its field: the list shows that
  // task where it stands among the 300, and focus stays in the field.
  await search.fill('step 250');
  await expect(page.getByText('1 matching task')).toBeVisible();
  await openTask(page, 'Step 250 of the move');
  await closeTask(page);
  await search.click();
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(taskTitle(page, 'Step 250 of the move')).toBeInViewport();
  await expect(search).toBeFocused();
  await screenshot(page, 'search-place-1280');

  // With focus on a result, Clear (gone once clicked): that task's row in view takes focus.
  await search.fill('step 120');
  await taskTitle(page, 'Step 120 of the move').focus();
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(taskTitle(page, 'Step 120 of the move')).toBeFocused();
  await expect(taskTitle(page, 'Step 120 of the move')).toBeInViewport();
  await context.close();
});

test('on a phone, a result ticked done and the search cleared: the list shows where it stood', async ({
  browser,
  baseURL,
}) => {
  const { context, page, search } = await openMove(browser, baseURL!);
  await search.fill('step 200');
  await page.getByRole('checkbox', { name: 'Complete “Step 200 of the move”' }).click();
  await expect(
    page.getByRole('checkbox', { name: 'Complete “Step 200 of the move”' }),
  ).toBeChecked();
  await search.fill('');
  // Completed is folded: the task that took its place is in view.
  await expect(taskTitle(page, 'Step 201 of the move')).toBeInViewport();
  await screenshot(page, 'search-place-360');
  await context.close();
});

test('a teammate completing tasks above the rows you are reading does not move them', async ({
  browser,
  baseURL,
}) => {
  const { context, page, org } = await openMove(browser, baseURL!, DESKTOP);
  const ben = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ben.page, person('Ben', org, 'member'));
  await openProject(ben.page, 'Move');

  // Kai reads somewhere down the list.
  await page.evaluate(() => window.scrollTo(0, 9000));
  const reading = (await (
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.task-title')]
          .map((el) => ({ top: el.getBoundingClientRect().top, title: el.textContent }))
          .find((r) => r.top > 200 && r.top < 600)?.title,
    )
  ).jsonValue())!;
  const row = taskTitle(page, reading);
  const before = (await row.boundingBox())!.y;
  const list = taskList(page);
  const height = () => list.evaluate((el) => el.getBoundingClientRect().height);
  const full = await height();

  // Ben completes three tasks at the top of the list: they leave Kai's list above his rows…
  for (const n of [3, 5, 7])
    await ben.page.getByRole('checkbox', { name: `Complete “Step ${n} of the move”` }).click();
  // (three rows of 48 px go, the Completed heading of 44 comes)
  await expect.poll(height).toBeLessThanOrEqual(full - 100);
  // …and what Kai reads stays where it was on his screen.
  expect(Math.round((await row.boundingBox())!.y)).toBe(Math.round(before));
  await ben.context.close();
  await context.close();
});

import { expect, test, type Page } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openProject,
  orgFor,
  person,
  screenshot,
  seedProject,
  signIn,
  signInToProject,
  signOutFromMenu,
  taskList,
  taskTitle,
} from './helpers';

const TITLES = Array.from({ length: 200 }, (_, i) => `Step ${i + 1} of the move`);

test('a project’s search and filters are still on (and say so) after Activity and back; another project has its own; signing out forgets them', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const kai = person('Kai', orgFor('list-view'), 'admin');
  await Promise.all([
    seedProject(baseURL!, kai, 'Move', TITLES),
    seedProject(baseURL!, kai, 'Errands', ['Buy boxes']),
  ]);
  const { context, page } = await newPhone(browser);
  await signIn(page, kai);
  await openProject(page, 'Move');
  const search = page.getByRole('searchbox', { name: 'Search tasks' });
  await search.fill('step 15');
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByLabel('Status', { exact: true }).selectOption('todo');
  await expect(page.getByText('12 matching tasks')).toBeVisible();

  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 2 })).toBeVisible();
  await openProject(page, 'Move');
  // Still searched and filtered, the filters open with their Clear one tap away.
  await expect(search).toHaveValue('step 15');
  await expect(page.getByLabel('Status', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('todo');
  await expect(page.getByText('12 matching tasks')).toBeVisible();
  await screenshot(page, 'list-view-back-360');

  // Another project starts from its own (empty) search.
  await openProject(page, 'Errands');
  await expect(taskTitle(page, 'Buy boxes')).toBeVisible();
  await expect(search).toHaveValue('');
  await openProject(page, 'Move');
  await expect(search).toHaveValue('step 15');

  // Clear clears it for good: back again, the whole list.
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(search).toHaveValue('');
  await expect(page.getByRole('heading', { name: 'To do (200)' })).toBeVisible();
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 2 })).toBeVisible();
  await openProject(page, 'Move');
  await expect(page.getByRole('heading', { name: 'To do (200)' })).toBeVisible();

  // A search alone is kept too; on a phone, with the filters folded, its Clear is beside it.
  await search.fill('step 15');
  await expect(page.getByText('12 matching tasks')).toBeVisible();
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 2 })).toBeVisible();
  await openProject(page, 'Move');
  await expect(search).toHaveValue('step 15');
  await expect(page.getByRole('button', { name: 'Clear the search' })).toBeVisible();
  // Focused, as it would be to edit it: one way to clear it (no browser × beside the field's own ×).
  await search.focus();
  await screenshot(page, 'list-view-search-360');

  // What was typed is the signed-in person's: signing out forgets it.
  await signOutFromMenu(page);
  // Signed in again in the same page (a reload would forget it anyway).
  await page.getByLabel('Name').fill(kai.name);
  await page.getByLabel('Email').fill(kai.email);
  await page.getByLabel('Organization').fill(kai.org);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await openProject(page, 'Move');
  await expect(page.getByRole('heading', { name: 'To do (200)' })).toBeVisible();
  await expect(search).toHaveValue('');

  // Completed, opened, is still open when you come back.
  await openProject(page, 'Errands');
  await page.getByRole('checkbox', { name: 'Complete “Buy boxes”' }).click();
  await page.getByRole('button', { name: 'Completed (1)' }).click();
  await expect(taskTitle(page, 'Buy boxes')).toBeVisible();
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 2 })).toBeVisible();
  await openProject(page, 'Errands');
  await expect(page.getByRole('button', { name: 'Completed (1)' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await expect(taskTitle(page, 'Buy boxes')).toBeVisible();
  await context.close();
});

test('back in a long project from Activity, the task you were on is in view and j goes on from it', async ({
  browser,
  baseURL,
}) => {
  const kai = person('Kai', orgFor('list-view-place'), 'admin');
  await seedProject(baseURL!, kai, 'Move', TITLES);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, kai);
  await openProject(page, 'Move');
  await taskTitle(page, 'Step 1 of the move').focus();
  for (let i = 0; i < 120; i++) await page.keyboard.press('j');
  await expect(taskTitle(page, 'Step 121 of the move')).toBeFocused();
  await expect(taskTitle(page, 'Step 1 of the move')).toHaveCount(0);

  // Reaching the tabs scrolls the page to its top (they are above the list).
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 2 })).toBeVisible();
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name: 'Move' }).click();
  await expect(taskTitle(page, 'Step 121 of the move')).toBeInViewport();
  await expect(taskTitle(page, 'Step 1 of the move')).toHaveCount(0);
  await screenshot(page, 'list-view-place-1280');
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Step 122 of the move')).toBeFocused();
  await context.close();
});

/** The rows from the top of the window down (under the header), each with its top's y. */
function windowRows(page: Page) {
  return page.evaluate(() => {
    const header = parseFloat(
      getComputedStyle(document.documentElement).getPropertyValue('--inset-top'),
    );
    return [...document.querySelectorAll('.task-title')]
      .map((el) => ({
        title: el.textContent!,
        y: el.closest('[data-index]')!.getBoundingClientRect().top,
        bottom: el.closest('[data-index]')!.getBoundingClientRect().bottom,
      }))
      .filter((r) => r.bottom > header)
      .sort((a, b) => a.y - b.y)
      .map(({ title, y }) => ({ title, y }));
  });
}

/**
 * `windowRows` once the window is drawn: a fast wheel can leave it showing placeholder rows (or
 * none yet) until the rows there are read, though the place (row ids) is already kept.
 */
async function drawnWindowRows(page: Page) {
  await expect
    .poll(() =>
      page.evaluate(() => {
        const header = parseFloat(
          getComputedStyle(document.documentElement).getPropertyValue('--inset-top'),
        );
        const inWindow = (el: Element) => {
          const box = el.getBoundingClientRect();
          return box.bottom > header && box.top < window.innerHeight;
        };
        const drawn = [...document.querySelectorAll('.task-title')].filter(inWindow).length;
        const waiting = [...document.querySelectorAll('.task-row.placeholder')].filter(inWindow);
        return drawn >= 2 && waiting.length === 0;
      }),
    )
    .toBe(true);
  return windowRows(page);
}

/** A row's top on screen, or null when it is not rendered. */
function rowY(page: Page, title: string) {
  return page.evaluate((title) => {
    const el = [...document.querySelectorAll('.task-title')].find((t) => t.textContent === title);
    return el ? el.closest('[data-index]')!.getBoundingClientRect().top : null;
  }, title);
}

for (const viewport of [DESKTOP, undefined]) {
  const wide = viewport ? 1280 : 360;
  test(`at ${wide} px a reload, or Back from Activity, starts a long project where you were: the same row at the top of the window, at the same height (its neighbour when it is gone); a link to a task still wins`, async ({
    browser,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const kai = person('Kai', orgFor(`list-view-reload-${wide}`), 'admin');
    const { device, taskIds } = await seedProject(baseURL!, kai, 'Move', TITLES);
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signIn(page, kai);
    await openProject(page, 'Move');
    await expect(taskTitle(page, 'Step 1 of the move')).toBeVisible();
    const projectUrl = page.url();

    // Kai reads far down the list, a row half under the header.
    await page.mouse.move(wide / 2, 400);
    await page.mouse.wheel(0, 4020);
    await expect(taskTitle(page, 'Step 1 of the move')).toHaveCount(0);
    // (the place is kept once the scroll has settled)
    await expect
      .poll(() => page.evaluate(() => sessionStorage.getItem('outpost:list-places') ?? ''))
      .toContain('"rows":[{');
    const [top, next] = await drawnWindowRows(page);
    expect(top!.title).not.toBe('Step 1 of the move');

    await page.reload();
    await expect(taskList(page)).toBeVisible();
    // (within a pixel: the list's own offset on the page is kept to the pixel)
    const near = (title: string, y: number) =>
      expect
        .poll(async () => Math.abs(((await rowY(page, title)) ?? NaN) - y))
        .toBeLessThanOrEqual(1);
    await near(top!.title, top!.y);
    expect((await windowRows(page))[0]!.title).toBe(top!.title);
    await screenshot(page, `list-view-reload-${wide}`);

    // Away to Activity and Back: the same place; the top row completed by a teammate
    // meanwhile, the row below it stands where it stood.
    // (by its keys: a click on its tab scrolls the page up to the tabs first)
    await page.keyboard.press('g');
    await page.keyboard.press('a');
    await expect(page.getByRole('heading', { name: 'Activity', level: 2 })).toBeVisible();
    const gone = taskIds[TITLES.indexOf(top!.title)]!;
    await device.push([device.change('task.update', gone, { fields: { status: 'done' } })]);
    await expect(page.getByText(`completed “${top!.title}”`).first()).toBeVisible();
    await page.goBack();
    await expect(taskList(page)).toBeVisible();
    await near(next!.title, next!.y);
    await expect(taskTitle(page, top!.title)).toHaveCount(0);

    // A link to a task opens it, and the list is not taken back to where it was.
    await page.goto(`${projectUrl}/tasks/${taskIds[0]}`);
    await page.reload();
    await expect(page.getByRole('complementary', { name: 'Task' })).toBeVisible();
    if (viewport) await expect(taskTitle(page, 'Step 1 of the move')).toBeInViewport();
    await context.close();
  });
}

for (const viewport of [DESKTOP, undefined]) {
  const wide = viewport ? 1280 : 360;
  test(`at ${wide} px a link to a task far down a long project opens the list at that task's row`, async ({
    browser,
    baseURL,
  }) => {
    const kai = person('Kai', orgFor(`list-view-link-${wide}`), 'admin');
    const { taskIds } = await seedProject(baseURL!, kai, 'Move', TITLES);
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signIn(page, kai);
    await openProject(page, 'Move');
    await expect(taskTitle(page, 'Step 1 of the move')).toBeVisible();
    const projectUrl = page.url();

    // Opened from a link (a new tab: no place kept), as a teammate's message would.
    const linked = await context.newPage();
    await linked.goto(`${projectUrl}/tasks/${taskIds[170]}`);
    await expect(linked.getByRole('complementary', { name: 'Task' })).toBeVisible();
    const row = taskTitle(linked, 'Step 171 of the move');
    await expect(row).toBeInViewport();
    await expect(taskTitle(linked, 'Step 1 of the move')).toHaveCount(0);
    await screenshot(linked, `list-view-link-${wide}`);
    // On a phone the task covers the list: backing out shows its row where the list stands.
    if (!viewport) {
      await linked.keyboard.press('Escape');
      await expect(linked.getByRole('complementary', { name: 'Task' })).toHaveCount(0);
      await expect(row).toBeInViewport();
    }
    await context.close();
  });
}

for (const viewport of [undefined, DESKTOP]) {
  const wide = viewport ? 1280 : 360;
  test(`at ${wide} px the header and the section heading stay in reach down a long list, and the row j or k reaches is never under them or the status bar`, async ({
    browser,
    baseURL,
  }) => {
    const kai = person('Kai', orgFor(`list-view-header-${wide}`), 'admin');
    await seedProject(baseURL!, kai, 'Move', TITLES);
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signIn(page, kai);
    await openProject(page, 'Move');
    const header = page.locator('.app-header');
    const footer = page.getByRole('contentinfo', { name: 'Sync status' });
    const heading = page.getByRole('heading', { name: 'To do (200)' });
    /** The focused row lies wholly between the section heading under the header and the status bar. */
    const clear = async (title: string) => {
      const row = taskTitle(page, title);
      await expect(row).toBeFocused();
      await expect
        .poll(async () => {
          const [r, h, s, f] = await Promise.all([
            row.boundingBox(),
            header.boundingBox(),
            heading.boundingBox(),
            footer.boundingBox(),
          ]);
          if (!r || !h || !s || !f) return 'not all shown';
          if (s.y < h.y + h.height) return 'the heading is under the header';
          if (r.y < s.y + s.height) return 'the row is under the heading';
          if (r.y + r.height > f.y) return 'the row is under the status bar';
          return 'clear';
        })
        .toBe('clear');
    };
    await taskTitle(page, 'Step 1 of the move').focus();
    for (let i = 0; i < 60; i++) await page.keyboard.press('j');
    await clear('Step 61 of the move');
    // Far down the list, the header is still at the window's top (its tabs work from here),
    // and the section's heading under it says whose rows these are.
    await expect(header).toBeInViewport();
    await expect(page.getByRole('link', { name: 'Activity', exact: true })).toBeInViewport();
    await expect(heading).toBeInViewport();
    // Going back up scrolls rows in under the header: the cursor's row stops below it.
    for (let i = 0; i < 40; i++) await page.keyboard.press('k');
    await clear('Step 21 of the move');
    await screenshot(page, `list-view-header-${wide}`);
    await page.keyboard.press('j');
    await clear('Step 22 of the move');
    await context.close();
  });
}

for (const wide of [360, 1280]) {
  test(`at ${wide} px the list's border goes around its rows: the last row, open, does not cover it`, async ({
    browser,
  }) => {
    const mo = person('Mo', orgFor('list-edge'), 'admin');
    const { context, page } = await newPhone(browser, { viewport: { width: wide, height: 800 } });
    await signInToProject(page, mo, 'Edges', ['First', 'Last']);
    await taskTitle(page, 'Last').click();
    const list = page.getByRole('grid', { name: 'Tasks' });
    const last = list.locator('.task-row').filter({ hasText: 'Last' });
    await expect(last).toHaveClass(/active/);
    const box = (await list.boundingBox())!;
    const row = (await last.boundingBox())!;
    // Inside the list's 1 px border on every side (it covered the bottom border by 2 px).
    expect(row.y + row.height).toBeLessThanOrEqual(box.y + box.height - 1);
    expect(row.x).toBeGreaterThanOrEqual(box.x + 1);
    expect(row.x + row.width).toBeLessThanOrEqual(box.x + box.width - 1);
    await screenshot(page, `list-edge-open-${wide}`);
    await context.close();
  });
}

for (const wide of [360, 1280]) {
  test(`at ${wide} px the row j reaches is never under the toasts: they count as the status bar does`, async ({
    browser,
    baseURL,
  }) => {
    const kai = person('Kai', orgFor(`list-view-toasts-${wide}`), 'admin');
    await seedProject(baseURL!, kai, 'Move', TITLES);
    const { context, page } = await newPhone(browser, wide === 1280 ? { viewport: DESKTOP } : {});
    await signIn(page, kai);
    await openProject(page, 'Move');
    await taskTitle(page, 'Step 1 of the move').focus();
    // Three completions: one toast above the status bar, "Completed 3 tasks" (a burst shares
    // one; it was three toasts stacked over a third of a phone's list).
    const toasts = page.getByRole('region', { name: 'Recent actions' });
    await page.keyboard.press('x');
    // The pointer over them holds them (as for anyone reading them): what follows takes longer
    // than their 5 s on a loaded machine (seen: 5.4 s from the first x to the last check).
    await toasts.getByRole('status').hover();
    for (let i = 0; i < 2; i++) await page.keyboard.press('x');
    await expect(toasts.getByRole('status')).toHaveText(/^Completed 3 tasks/);
    for (let i = 0; i < 16; i++) await page.keyboard.press('j');
    const row = taskTitle(page, 'Step 20 of the move');
    await expect(row).toBeFocused();
    await expect
      .poll(async () => {
        const [r, t] = await Promise.all([row.boundingBox(), toasts.boundingBox()]);
        if (!r || !t) return 'not shown';
        return r.y + r.height <= t.y ? 'clear' : 'the row is under the toasts';
      })
      .toBe('clear');
    // Still under its undo window: what was measured was the toast, not the page without it.
    await expect(toasts.getByRole('status')).toHaveText(/^Completed 3 tasks/);
    await screenshot(page, `list-view-toasts-${wide}`);
    await context.close();
  });
}

test('a teammate completing the row at the top of your window leaves the rows under it where they stand', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('list-view-top-ticked');
  const kai = person('Kai', org, 'admin');
  await seedProject(baseURL!, kai, 'Move', TITLES);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, kai);
  await openProject(page, 'Move');
  await expect(taskTitle(page, 'Step 1 of the move')).toBeVisible();
  const ben = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ben.page, person('Ben', org, 'member'));
  await openProject(ben.page, 'Move');

  // Kai reads far down the list, a row half under the header, and stops there.
  await page.mouse.move(640, 400);
  await page.mouse.wheel(0, 4020);
  await expect(taskTitle(page, 'Step 1 of the move')).toHaveCount(0);
  await expect
    .poll(() => page.evaluate(() => sessionStorage.getItem('outpost:list-places') ?? ''))
    .toContain('"rows":[{');
  const [top, next] = await drawnWindowRows(page);

  await ben.page.getByRole('searchbox', { name: 'Search tasks' }).fill(top!.title);
  await ben.page.getByRole('checkbox', { name: `Complete “${top!.title}”` }).click();
  await expect(page.getByText('To do (199)', { exact: true })).toBeVisible();
  await expect(taskTitle(page, top!.title)).toHaveCount(0);
  expect(Math.abs((await rowY(page, next!.title))! - next!.y)).toBeLessThanOrEqual(1);
  await ben.context.close();
  await context.close();
});

test('with Completed open, a teammate completing the row at the top of your window leaves the rows under it where they stand, not following it into Completed', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('list-view-top-ticked-open');
  const kai = person('Kai', org, 'admin');
  await seedProject(baseURL!, kai, 'Move', TITLES);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, kai);
  await openProject(page, 'Move');
  await page.getByRole('checkbox', { name: 'Complete “Step 1 of the move”' }).click();
  // The tick has reached the list, and focus has gone to the row in its place (which scrolls
  // it into view): scrolled to the end before that, the page was taken back to the top and
  // "Completed (1)" never rendered (the click waited out the test's time).
  await expect(page.getByText('To do (199)', { exact: true })).toBeVisible();
  await expect(taskTitle(page, 'Step 2 of the move')).toBeFocused();
  // Completed is at the list's end.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.getByRole('button', { name: 'Completed (1)' }).click();
  await expect(page.getByRole('button', { name: 'Completed (1)' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  const ben = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ben.page, person('Ben', org, 'member'));
  await openProject(ben.page, 'Move');

  // Kai reads far down the list, a row half under the header, and stops there.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(taskTitle(page, 'Step 2 of the move')).toBeInViewport();
  await page.mouse.move(640, 400);
  await page.mouse.wheel(0, 4020);
  await expect(taskTitle(page, 'Step 2 of the move')).toHaveCount(0);
  await expect
    .poll(() => page.evaluate(() => sessionStorage.getItem('outpost:list-places') ?? ''))
    .toContain('"rows":[{');
  const [top, next] = await drawnWindowRows(page);

  await ben.page.getByRole('searchbox', { name: 'Search tasks' }).fill(top!.title);
  await ben.page.getByRole('checkbox', { name: `Complete “${top!.title}”` }).click();
  await expect(page.getByText('To do (198)', { exact: true })).toBeVisible();
  await expect(taskTitle(page, top!.title)).toHaveCount(0);
  expect(Math.abs((await rowY(page, next!.title))! - next!.y)).toBeLessThanOrEqual(1);
  await ben.context.close();
  await context.close();
});

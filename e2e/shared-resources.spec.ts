import { expect, test, type Locator } from '@playwright/test';
import fs from 'node:fs';
import { newPhone, orgFor, person, screenshot, signIn, waitForServiceWorker } from './helpers';

// The dataset the server ships (no EXTERNAL_MONGODB_URI / EXTERNAL_DATA_FILE in the E2E run),
// served in id order: the test knows which resource is the 5,000th.
const SAMPLE = new URL('../server/src/external/sample/shared-resources.json', import.meta.url);
const resources = (
  JSON.parse(fs.readFileSync(SAMPLE, 'utf8')) as { id: string; name: string }[]
).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const TOTAL = 5000;

/** The highest `aria-posinset` among the rows in the DOM: how far down the list the user is. */
function deepestRow(list: Locator): Promise<number> {
  return list
    .getByRole('listitem')
    .evaluateAll((rows) =>
      Math.max(0, ...rows.map((r) => Number(r.getAttribute('aria-posinset')))),
    );
}

test('a manager scrolls all 5,000 shared resources, opens one, and opens one again offline', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  expect(resources).toHaveLength(TOTAL);
  const first = resources[0]!;
  const last = resources[TOTAL - 1]!;

  const { context, page } = await newPhone(browser);
  await signIn(page, person('Mia', orgFor('shared-resources'), 'manager'));
  // The service worker must control the page before the API answers it should keep offline.
  await waitForServiceWorker(page);

  await page.getByRole('link', { name: 'Resources' }).click();
  await expect(page.getByRole('heading', { name: 'Shared resources' })).toBeVisible();
  const list = page.getByRole('list', { name: 'Shared resources' });
  await expect(page.getByText(/^5,000 resources/)).toBeVisible();

  // Open the first resource, as someone browsing would, then go back to the list.
  const firstRow = list.locator('[aria-posinset="1"]');
  await expect(firstRow).toContainText(first.name);
  await firstRow.getByRole('button').click();
  const detailHeading = page.getByRole('heading', { level: 3 });
  await expect(detailHeading).toHaveText(first.name);
  await expect(page.getByText(first.id, { exact: true })).toBeVisible();
  await screenshot(page, 'resources-360-detail');
  await page.getByRole('button', { name: 'Back to list' }).click();

  // Scroll with the mouse wheel until the 5,000th row; pages load as the end comes near.
  await list.hover();
  let reached = await deepestRow(list);
  while (reached < TOTAL) {
    await page.mouse.wheel(0, 20_000);
    const before = reached;
    await expect
      .poll(() => deepestRow(list), { message: `scrolling past row ${before}` })
      .toBeGreaterThan(before);
    reached = await deepestRow(list);
  }
  const lastRow = list.locator(`[aria-posinset="${TOTAL}"]`);
  await expect(lastRow).toBeVisible();
  await expect(lastRow).toHaveAttribute('aria-setsize', String(TOTAL));
  await expect(lastRow).toContainText(last.name);
  await expect(page.getByText(/^5,000 resources$/)).toBeVisible(); // all loaded: no "· n loaded"
  // Virtualized: only the rows in view (plus overscan) are in the DOM.
  expect(await list.getByRole('listitem').count()).toBeLessThan(100);

  // Open the last one.
  await lastRow.getByRole('button').click();
  await expect(detailHeading).toHaveText(last.name);
  await expect(page.getByText(last.id, { exact: true })).toBeVisible();

  // The network goes: the screen says at once that what it shows is the offline copy.
  const offlineLabel = page.getByRole('note');
  await context.setOffline(true);
  await expect(offlineLabel).toHaveText('Offline copy — showing resources you viewed before');

  // Away and back to Resources with no network: the pages seen are still there, labelled,
  // and a resource opened before opens again.
  await page.getByRole('button', { name: 'Back to list' }).click();
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await page.getByRole('link', { name: 'Resources' }).click();
  await expect(offlineLabel).toHaveText('Offline copy — showing resources you viewed before');
  await expect(page.getByText(/^5,000 resources/)).toBeVisible();
  await expect(list.locator('[aria-posinset="1"]')).toContainText(first.name);
  await list.locator('[aria-posinset="1"]').getByRole('button').click();
  await expect(detailHeading).toHaveText(first.name);
  await expect(page.getByText(first.id, { exact: true })).toBeVisible();
  await expect(offlineLabel).toHaveText('Offline copy — showing resources you viewed before');

  // Even a reload with no network (shell from the service worker, pages from the persisted
  // query cache) still shows the list and opens the resource. (No label is asserted here:
  // after a reload Chromium's offline emulation reports navigator.onLine === true, and
  // TanStack's onlineManager starts "online" until an `offline` event.)
  await page.reload();
  await expect(list.locator('[aria-posinset="1"]')).toContainText(first.name);
  await list.locator('[aria-posinset="1"]').getByRole('button').click();
  await expect(detailHeading).toHaveText(first.name);
  await expect(page.getByText(first.id, { exact: true })).toBeVisible();

  // Under that cache, the service worker keeps its own copy of every page seen, and answers
  // with it offline even though the page has no session token to send (the screen's fetch
  // goes out without one when the token cannot be refreshed).
  const fromWorker = await page.evaluate(async () => {
    const res = await fetch('/api/v1/external-data/shared-resources?limit=100');
    const ids = ((await res.json()) as { data: { id: string }[] }).data.map((r) => r.id);
    // Marked as a copy, so the screen labels it even when navigator.onLine claims "online".
    return { ids, offlineCopy: res.headers.get('x-outpost-offline-copy') };
  });
  expect(fromWorker.ids).toEqual(resources.slice(0, 100).map((r) => r.id));
  expect(fromWorker.offlineCopy).toBe('1');

  await context.close();
});

test('the search keeps text past its limit, says how much is too much and searches again once it fits', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ines', orgFor('resource-search-limit'), 'manager'));
  await page.getByRole('link', { name: 'Resources' }).click();
  await expect(page.getByText(/^5,000 resources/)).toBeVisible();
  const search = page.getByRole('searchbox', { name: 'Search shared resources by name' });
  const typed = `zz${'q'.repeat(199)}`;
  await search.fill(typed);
  await expect(search).toHaveValue(typed);
  await expect(search).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('1 character too many (at most 200)')).toBeVisible();
  // Not searched: the list still shows the last search that fit, with no error.
  await expect(page.getByText(/^5,000 resources/)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await search.press('End');
  await search.press('Backspace');
  await expect(search).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/^No resources match “zzq+”\.$/)).toBeVisible();
  // The message says it: no empty list box under it (a bordered box reads as a field).
  const list = page.getByRole('list', { name: 'Shared resources' });
  await expect(list).toHaveCount(0);
  await screenshot(page, 'resources-360-no-match');
  await search.fill('');
  await expect(list).toBeVisible();
  await context.close();
});

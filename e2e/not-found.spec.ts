import { expect, test, type Route } from '@playwright/test';
import { newPhone, orgFor, person, screenshot, signIn, uuidv7 } from './helpers';

test('an address the app does not know says "Page not found", titles the page so, and links back to Projects', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('not-found'), 'admin'));
  await expect(page).toHaveTitle('Projects · Outpost');

  // It showed Projects, as if that were the page asked for.
  await page.evaluate(() => (window.location.hash = '#/nope'));
  await expect(page.getByRole('heading', { name: 'Page not found', level: 2 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Projects', level: 2 })).toHaveCount(0);
  await expect(page).toHaveTitle('Page not found · Outpost');
  // No section is the current one.
  await expect(
    page.getByRole('navigation', { name: 'Sections' }).locator('[aria-current]'),
  ).toHaveCount(0);
  await screenshot(page, 'not-found-360');
  await page.getByRole('link', { name: 'Back to projects' }).click();
  await expect(page.getByRole('heading', { name: 'Projects', level: 2 })).toBeVisible();
  await expect(page).toHaveTitle('Projects · Outpost');

  // A project this device does not have (and the set-up is done): said so, titled so.
  await page.evaluate((id) => (window.location.hash = `#/projects/${id}`), uuidv7());
  await expect(page.getByRole('heading', { name: 'Project not found', level: 2 })).toBeVisible();
  await expect(page.getByText('you no longer have access to it')).toBeVisible();
  await expect(page).toHaveTitle('Project not found · Outpost');
  await page.getByRole('link', { name: 'Back to projects' }).click();
  await expect(page).toHaveTitle('Projects · Outpost');
  await context.close();
});

test('a link to a project opened while the device is still being set up waits for it: "arriving", never "not found"', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  // The first download held until the test lets it through.
  const held: Route[] = [];
  await context.route('**/api/v1/sync/pull', (route) => void held.push(route));
  await signIn(page, person('Ana', orgFor('not-found-setup'), 'admin'));
  await page.evaluate((id) => (window.location.hash = `#/projects/${id}`), uuidv7());
  await expect(page.getByRole('status', { name: 'Project arriving' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Project not found' })).toHaveCount(0);
  await expect(page).toHaveTitle('Outpost');
  // Set up, it is not here: now it is "not found".
  await context.unroute('**/api/v1/sync/pull');
  held.splice(0).forEach((r) => void r.continue().catch(() => undefined));
  await expect(page.getByRole('heading', { name: 'Project not found', level: 2 })).toBeVisible();
  await context.close();
});

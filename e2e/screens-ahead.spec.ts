import { expect, test } from '@playwright/test';
import { expectSynced, orgFor, person, PHONE, signIn } from './helpers';

// The screens that are chunks of their own, by their nav link and heading.
const SCREENS = [
  ['Members', 'Members'],
  ['Resources', 'Shared resources'],
  ['Sync', 'Sync inspector'],
] as const;

test('a screen first opened offline right after signing in shows, before any service worker serves the app', async ({
  browser,
}) => {
  // No service worker: what a first visit has until its worker, still precaching, controls the
  // page. Only what the page itself loaded is there offline.
  const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
  const page = await context.newPage();
  await signIn(page, person('Ana', orgFor('screens-ahead'), 'admin'));
  await expectSynced(page);
  // The on-demand screens' code is loaded once the page is idle after the workspace shows.
  const loaded = () =>
    page.evaluate(
      () =>
        performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .filter((name) => /\/(Members|Resources|Inspector)Screen-[^/]*\.js$/.test(name)).length,
    );
  await expect.poll(loaded, { intervals: [100] }).toBe(3);
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toContainText('Offline');
  for (const [link, heading] of SCREENS) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { name: heading, level: 2 })).toBeVisible();
    await expect(page.getByText(/Something went wrong/)).toHaveCount(0);
  }
  await context.close();
});

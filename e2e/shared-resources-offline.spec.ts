import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { DESKTOP, newPhone, orgFor, person, signIn, waitForServiceWorker } from './helpers';

// The dataset the server ships in the E2E run, in the server's order (by id).
const SAMPLE = new URL('../server/src/external/sample/shared-resources.json', import.meta.url);
const resources = (
  JSON.parse(fs.readFileSync(SAMPLE, 'utf8')) as { id: string; name: string }[]
).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
/** The first page the list loads (PAGE_SIZE): all this device will hold. */
const HELD = resources.slice(0, 100);
const TERM = 'checklist';
const matching = (rows: typeof resources) =>
  rows.filter((r) => r.name.toLowerCase().includes(TERM));

test('a search never run before answers offline from what the device holds, says so, and never spins', async ({
  browser,
}) => {
  const heldMatches = matching(HELD);
  const allMatches = matching(resources);
  // The term must tell a stored answer from the server's.
  expect(heldMatches.length).toBeGreaterThan(0);
  expect(allMatches.length).toBeGreaterThan(heldMatches.length);

  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, person('Mia', orgFor('resources-offline'), 'manager'));
  await waitForServiceWorker(page);
  await page.getByRole('link', { name: 'Resources' }).click();
  await expect(page.getByText(/^5,000 resources/)).toBeVisible();
  const list = page.getByRole('list', { name: 'Shared resources' });
  const status = page.locator('.sr-status');
  const note = page.getByRole('note');

  // Offline, a search this device never ran.
  await context.setOffline(true);
  await page.getByRole('searchbox', { name: 'Search shared resources by name' }).fill(TERM);
  await expect(note).toHaveText(
    'Offline — this search needs a connection. Showing matches among the 100 resources viewed before on this device.',
  );
  await expect(status).toHaveText(
    `${heldMatches.length} stored ${heldMatches.length === 1 ? 'resource matches' : 'resources match'}`,
  );
  await expect(list.getByRole('listitem')).toHaveCount(heldMatches.length);
  for (const r of heldMatches) await expect(list).toContainText(r.name);
  await expect(page.getByText(/Loading/)).toHaveCount(0);

  // A stored match opens.
  await list.getByRole('button', { name: heldMatches[0]!.name }).click();
  await expect(page.getByRole('heading', { level: 3 })).toHaveText(heldMatches[0]!.name);
  await page.getByRole('button', { name: 'Close', exact: true }).click();

  // Nothing stored matches: it says so, still offline, still labelled.
  await page.getByRole('searchbox', { name: 'Search shared resources by name' }).fill('zzqx');
  await expect(status).toHaveText('No stored resources match “zzqx”.');
  await expect(note).toContainText('Offline — this search needs a connection.');
  await expect(page.getByText(/Loading/)).toHaveCount(0);

  // Back online: the library answers the search itself, and the label goes.
  await page.getByRole('searchbox', { name: 'Search shared resources by name' }).fill(TERM);
  await expect(status).toHaveText(
    `${heldMatches.length} stored ${heldMatches.length === 1 ? 'resource matches' : 'resources match'}`,
  );
  await context.setOffline(false);
  await expect(status).toHaveText(
    new RegExp(`^${allMatches.length.toLocaleString('en-US')} resources match`),
  );
  await expect(note).toHaveCount(0);
  await context.close();
});

test('offline, with nothing of the library stored yet, it says so once', async ({ browser }) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Mia', orgFor('resources-none-held'), 'manager'));
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Resources' }).click();
  await expect(page.getByRole('note')).toHaveText(
    'Offline — this search needs a connection. Nothing from the library is stored on this device yet.',
  );
  // Not followed by "No stored resources match." as well: there is nothing stored to match.
  await expect(page.locator('.sr-status')).toHaveText('');
  await expect(page.getByText(/No stored resources/)).toHaveCount(0);
  await context.close();
});

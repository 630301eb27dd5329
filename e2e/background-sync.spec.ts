import { expect, test, type Page } from '@playwright/test';
import {
  addTask,
  createProject,
  deviceCredentialStored,
  devToken,
  expectSynced,
  newPhone,
  orgFor,
  person,
  signIn,
  waitForServiceWorker,
} from './helpers';

async function syncTags(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const reg = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
      sync?: { getTags(): Promise<string[]> };
    };
    return reg.sync ? reg.sync.getTags() : [];
  });
}

test('a write made offline in a tab that is then closed reaches the server through Background Sync', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('background-sync');
  const ana = person('Ana', org, 'admin');
  const { context, page } = await newPhone(browser);
  await signIn(page, ana);
  await createProject(page, 'Field notes');
  await expectSynced(page);
  await waitForServiceWorker(page);
  expect(await page.evaluate(() => 'sync' in ServiceWorkerRegistration.prototype)).toBe(true);
  await expect.poll(() => deviceCredentialStored(page)).toBe(true);

  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toContainText('Offline');
  await addTask(page, 'Sent from the background');
  await expect(page.getByTestId('connection')).toContainText('1 unsent change');
  // The page asked the service worker to replay the outbox when the network returns.
  await expect
    .poll(() => syncTags(page))
    .toEqual(expect.arrayContaining([expect.stringMatching(/^outpost-push:/)]));

  // Close the app's tab, then bring the network back: only the service worker is left to push.
  // (A blank tab keeps the browser context's network emulation alive: Playwright lifts
  // `setOffline` through its pages, and with none left the worker would stay "offline".)
  await page.close();
  const blank = await context.newPage();
  await context.setOffline(false);

  const token = await devToken(baseURL!, ana);
  await expect
    .poll(
      async () => {
        const res = await fetch(`${baseURL}/api/v1/primary-data/tasks?limit=200`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await res.json()) as { data: { title: string }[] };
        return body.data.map((t) => t.title);
      },
      { timeout: 30_000 },
    )
    .toContain('Sent from the background');

  await blank.close();
  await context.close();
});

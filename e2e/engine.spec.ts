import {
  expect,
  test,
  type APIRequestContext,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import {
  addTask,
  createProject,
  expectSynced,
  newPhone,
  openProject,
  orgFor,
  person,
  PHONE,
  signIn,
  taskTitle,
} from './helpers';

/** `outpost_ws_sockets{state="joined"}` from the server's metrics: sockets in org rooms. */
async function joinedSockets(request: APIRequestContext): Promise<number> {
  // The token playwright.config.ts gives the server.
  const res = await request.get('/metrics', {
    headers: { authorization: 'Bearer e2e-metrics-token-not-secret' },
  });
  expect(res.status()).toBe(200);
  const text = await res.text();
  const line = /^outpost_ws_sockets\{state="joined"[^}]*\} (\d+)/m.exec(text);
  return line ? Number(line[1]) : 0;
}

/** Poke sockets this browser context has opened and not closed, by page. */
function watchSockets(context: BrowserContext) {
  const open = new Map<Page, number>();
  const watch = (page: Page) => {
    page.on('websocket', (ws) => {
      if (!ws.url().endsWith('/api/v1/sync/ws')) return;
      open.set(page, (open.get(page) ?? 0) + 1);
      ws.on('close', () => open.set(page, (open.get(page) ?? 1) - 1));
    });
    // A closed page's sockets go with it (no close event is reported for them).
    page.on('close', () => open.delete(page));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    total: () => [...open.values()].reduce((a, b) => a + b, 0),
    on: (page: Page) => open.get(page) ?? 0,
  };
}

test('three tabs of one user hold one poke socket (the leader’s); every tab sees a teammate’s change live, also after the leader closes', async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000); // Two devices, four tabs, on a shared machine.
  const org = orgFor('one-socket');
  // Earlier specs' sockets may still be closing server-side; count from a quiet server.
  await expect
    .poll(() => joinedSockets(request), {
      message: 'sockets left open by earlier specs never closed',
      timeout: 60_000,
    })
    .toBe(0);

  const ana = await newPhone(browser);
  const sockets = watchSockets(ana.context);
  await signIn(ana.page, person('Ana', org, 'admin'));
  await createProject(ana.page, 'Launch');
  await expectSynced(ana.page);
  const tabs = [ana.page, await ana.context.newPage(), await ana.context.newPage()];
  for (const tab of tabs.slice(1)) {
    await tab.goto('/');
    await openProject(tab, 'Launch');
  }

  const ben = await newPhone(browser);
  await signIn(ben.page, person('Ben', org, 'member'));
  await openProject(ben.page, 'Launch');

  // Ben's change reaches all three of Ana's tabs without a reload…
  await addTask(ben.page, 'Live from Ben');
  for (const tab of tabs) await expect(taskTitle(tab, 'Live from Ben')).toBeVisible();
  // …through one socket on Ana's device (and one on Ben's), opened by the leader tab.
  expect(sockets.total()).toBe(1);
  await expect.poll(async () => joinedSockets(request)).toBe(2);

  // The leader closes: another tab takes over the lead and the socket, and changes still arrive.
  const leader = tabs.find((t) => sockets.on(t) === 1)!;
  await leader.close();
  const rest = tabs.filter((t) => t !== leader);
  await expect.poll(() => rest.filter((t) => sockets.on(t) === 1).length).toBe(1);
  await addTask(ben.page, 'Still live');
  for (const tab of rest) await expect(taskTitle(tab, 'Still live')).toBeVisible();
  expect(sockets.total()).toBe(1);
  await expect.poll(async () => joinedSockets(request)).toBe(2);

  await ana.context.close();
  await ben.context.close();
});

test('a cold start with the network blocked shows the last data from the persisted query cache', async ({
  browser,
}) => {
  // No service worker: its own API copy must not stand in for the persisted query cache.
  const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
  const page = await context.newPage();
  const mia = person('Mia', orgFor('cold-start'), 'manager');
  await signIn(page, mia);
  await page.getByRole('link', { name: 'Resources' }).click();
  const list = page.getByRole('list', { name: 'Shared resources' });
  const firstRow = list.locator('[aria-posinset="1"]');
  await expect(firstRow).not.toBeEmpty();
  const firstName = (await firstRow.innerText()).split('\n')[0]!.trim();
  // The persister writes on a throttle: wait until the cache in localStorage has the rows.
  await expect
    .poll(() =>
      page.evaluate(
        (name) =>
          Object.keys(localStorage).some(
            (k) => k.startsWith('outpost-query-cache:') && localStorage.getItem(k)!.includes(name),
          ),
        firstName,
      ),
    )
    .toBe(true);

  // Every API request fails from now on (the page itself still loads from the server).
  await context.route('**/api/**', (route) => route.abort('internetdisconnected'));
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Shared resources' })).toBeVisible();
  await expect(firstRow).toContainText(firstName);

  await context.close();
});

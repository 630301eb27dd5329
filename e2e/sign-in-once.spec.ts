import { expect, test, type Route } from '@playwright/test';
import { DESKTOP, expectSynced, newPhone, orgFor, person, signInWithForm } from './helpers';

/**
 * A first visit's service worker installs while the person signs in, and takes control of the
 * page with `clientsClaim()` (a `controllerchange`). Under load that can land while "Opening
 * your workspace" shows. The page must not load itself again then: a reload there starts the
 * workspace over, and on a busy machine the skeleton outlasts the wait for it.
 */
test('a second person signing in while the service worker takes over loads the app once', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const org = orgFor('sign-in-once');

  // The first person's tab stays open in its own browser.
  const ana = await newPhone(browser, { viewport: DESKTOP });
  await signInWithForm(ana.page, person('Ana', org, 'member'));
  await expectSynced(ana.page);

  // The second person's browser: the service worker's install (its precache) and the
  // workspace's code are held until the test lets them through.
  const ben = await newPhone(browser, { viewport: DESKTOP });
  const held = { worker: [] as Route[], workspace: [] as Route[] };
  let holding = true;
  await ben.context.route('**/assets/**', async (route) => {
    const fromWorker = route.request().serviceWorker() !== null;
    if (!holding) return route.continue();
    if (fromWorker) return void held.worker.push(route);
    if (/\/Workspace-[^/]+\.js$/.test(route.request().url()))
      return void held.workspace.push(route);
    return route.continue();
  });
  let documents = 0;
  ben.page.on('domcontentloaded', () => (documents += 1));

  const who = person('Ben', org, 'admin');
  await ben.page.goto('/');
  await ben.page.getByLabel('Name').fill(who.name);
  await ben.page.getByLabel('Email').fill(who.email);
  await ben.page.getByLabel('Organization').fill(who.org);
  await ben.page.getByLabel('Role').selectOption(who.role);
  // Nothing controls the page yet: the worker is still fetching what it precaches.
  await expect.poll(() => held.worker.length).toBeGreaterThan(0);
  expect(await ben.page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
  // A mark only this document carries: a reload would lose it.
  await ben.page.evaluate(() => ((window as { documentMark?: string }).documentMark = 'first'));
  await ben.page.getByRole('button', { name: 'Sign in' }).click();
  const opening = ben.page.getByRole('status', { name: 'Opening your workspace' });
  await expect(opening).toBeVisible();
  await expect.poll(() => held.workspace.length).toBe(1);

  // The worker installs and takes control while the workspace is opening.
  const controlled = ben.page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        if (navigator.serviceWorker.controller) return resolve();
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), {
          once: true,
        });
      }),
  );
  holding = false;
  await Promise.all(held.worker.splice(0).map((route) => route.continue()));
  await controlled;
  await Promise.all(held.workspace.splice(0).map((route) => route.continue()));

  await expect(ben.page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(opening).toHaveCount(0);
  await expectSynced(ben.page);
  expect(await ben.page.evaluate(() => (window as { documentMark?: string }).documentMark)).toBe(
    'first',
  );
  expect(documents).toBe(1);
  // The first person's tab is undisturbed.
  await expectSynced(ana.page);
  await ana.context.close();
  await ben.context.close();
});

import { expect, test } from '@playwright/test';
import {
  addTask,
  cuttableSocket,
  DESKTOP,
  expectSynced,
  newPhone,
  orgFor,
  person,
  screenshot,
  signInToProject,
} from './helpers';

test('a server outage shows one status, counts down to the retry, and recovers', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('outage');
  for (const viewport of [undefined, DESKTOP]) {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    const socket = await cuttableSocket(context);
    await signInToProject(
      page,
      person(viewport ? 'Dee' : 'Cal', org, 'admin'),
      viewport ? 'Desk' : 'Phone',
    );
    await expectSynced(page);
    const status = page.getByTestId('connection');

    // The server goes away (every sync request answers 503, the socket drops and cannot
    // reconnect); the browser still thinks it is online.
    await context.route('**/api/v1/sync/**', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{}' }),
    );
    await socket.cut();
    await addTask(page, 'Written during the outage');
    await expect(status).toHaveAttribute('data-state', 'unreachable');
    // The task written meanwhile is counted: it waits on this device, it is not lost.
    await expect(status).toContainText(
      /Can.t reach server — 1 unsent change, retrying (in \d+ s|now|soon)/,
    );
    // A screen reader hears the state once, not a countdown read out every second.
    const heard = () =>
      status.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
        return copy.textContent;
      });
    expect(await heard()).toBe('Can\u2019t reach server — 1 unsent change, retrying soon');
    // One status at a time: nothing else in the bar claims to be synced or online.
    const bar = page.getByRole('contentinfo', { name: 'Sync status' });
    await expect(bar).not.toContainText('Synced');
    await expect(bar).not.toContainText('Online');
    await expect(bar).not.toContainText('Storage not persistent');
    await expect(bar.getByRole('button', { name: 'Retry' })).toBeVisible();
    await screenshot(page, `notices-outage-${viewport ? 1280 : 360}`);

    // Retry while still down: it answers, and the state stays one.
    await bar.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByTestId('sync-now-feedback')).toHaveText('Retrying now…');

    // The server is back: Retry brings it to Synced without a reload. The socket comes back
    // after that: its reconnect runs a sync of its own, which could otherwise answer first.
    await context.unroute('**/api/v1/sync/**');
    await bar
      .getByRole('button', { name: 'Retry' })
      .click({ timeout: 10_000 })
      .catch(async (err: unknown) => {
        // The loop's own retry (its backoff ran out meanwhile) reached the server first: the
        // button left with the outage. Anything else is a failure.
        if ((await status.getAttribute('data-state')) !== 'synced') throw err;
      });
    await expect(status).toHaveAttribute('data-state', 'synced');
    await expect(status).toHaveText('Synced just now');
    socket.restore();

    // "Sync now" answers offline too.
    await context.setOffline(true);
    await expect(status).toHaveText('Offline');
    await bar.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('sync-now-feedback')).toContainText('You\u2019re offline');
    await context.setOffline(false);
    await expectSynced(page);
    await context.close();
  }
});

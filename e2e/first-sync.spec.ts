import { expect, test, type BrowserContext, type Page, type Route } from '@playwright/test';
import {
  DESKTOP,
  expectAccessible,
  newPhone,
  orgFor,
  otherDevice,
  person,
  screenshot,
  taskTitle,
  uuidv7,
  type Person,
} from './helpers';

/** What a person would read as "this workspace is empty" (it is not: it is still arriving). */
const EMPTY_STATE =
  /No projects yet|No tasks yet|Nothing open in this project|Nothing has happened yet/;
const ALPHA_TASKS = 2_000;
const BETA_TASKS = 1_000;

/**
 * A large org, written through the sync API as another device would: projects Alpha and Beta
 * first, then Alpha's tasks, then Beta's — so Beta's tasks arrive in the last pages.
 */
async function seedLargeOrg(baseURL: string, who: Person): Promise<number> {
  const device = await otherDevice(baseURL, who);
  const alpha = uuidv7();
  const beta = uuidv7();
  const mutations = [alpha, beta].map((entityId, i) =>
    device.change('project.create', entityId, {
      fields: {
        name: i ? 'Beta' : 'Alpha',
        description: '',
        status: 'active',
        ownerId: device.userId,
      },
    }),
  );
  for (const [projectId, n, name] of [
    [alpha, ALPHA_TASKS, 'Alpha'],
    [beta, BETA_TASKS, 'Beta'],
  ] as const)
    for (let i = 1; i <= n; i++)
      mutations.push(
        device.change('task.create', uuidv7(), {
          fields: {
            projectId,
            title: `${name} task ${i}`,
            notes: '',
            status: 'todo',
            assigneeId: null,
            dueDate: null,
          },
        }),
      );
  // Each batch of 500 is applied whole, in order.
  const answers = await device.push(mutations);
  expect(answers.map((a) => a.lastMutationId)).toEqual(
    answers.map((_, i) => Math.min((i + 1) * 500, mutations.length)),
  );
  return mutations.length;
}

/**
 * Holds every pull until the test lets one through: the download runs as slowly as the test
 * needs to read each step, with no timing involved.
 */
async function gatePulls(context: BrowserContext) {
  const held: Route[] = [];
  let arrived: (() => void) | undefined;
  await context.route('**/api/v1/sync/pull', (route) => {
    held.push(route);
    arrived?.();
  });
  /** The oldest pull held, once there is one (the app sends the next when it is ready). */
  const next = async (): Promise<Route> => {
    const deadline = Date.now() + 15_000;
    while (!held.length) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no pull request reached the gate within 15 s');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        arrived = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return held.shift()!;
  };
  return {
    /** Lets the next pull request through (waits for the app to send it). */
    async release(): Promise<void> {
      await (await next()).continue();
    },
    /**
     * Lets pulls through one at a time until `check` passes: after a reload a request of the
     * page that is gone can still reach the gate after `forget`, ahead of the new page's own.
     * Each try waits for a request to let through: with none held yet (the new page's first
     * pull not sent), a try used to let nothing through and wait out `check`'s timeout (3 s).
     */
    async releaseUntil(check: () => Promise<void>): Promise<void> {
      await expect(async () => {
        await (await next()).continue();
        await check();
      }).toPass({ timeout: 60_000 });
    },
    /** After a reload: requests of the page that is gone are dropped. */
    forget(): void {
      held.splice(0).forEach((r) => void r.abort().catch(() => undefined));
    },
    async open(): Promise<void> {
      await context.unroute('**/api/v1/sync/pull');
      held.splice(0).forEach((r) => void r.continue().catch(() => undefined));
    },
  };
}

/** Records, in the page, whether empty-state text was ever on screen (between our checks too). */
async function watchForEmptyState(context: BrowserContext): Promise<void> {
  await context.addInitScript((pattern: string) => {
    const re = new RegExp(pattern);
    const w = window as unknown as { emptySeen?: string };
    const check = () => {
      const text = document.body?.innerText ?? '';
      const m = re.exec(text);
      if (m && !w.emptySeen) w.emptySeen = m[0];
    };
    new MutationObserver(check).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  }, EMPTY_STATE.source);
}

const emptySeen = (page: Page) =>
  page.evaluate(() => (window as unknown as { emptySeen?: string }).emptySeen ?? null);

async function signInAs(page: Page, who: Person): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Organization').fill(who.org);
  await page.getByLabel('Role').selectOption(who.role);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
}

test('a first sync of a large org shows how far it is, never an empty workspace, and resumes after a reload', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const org = orgFor('first-sync');
  const ada = person('Ada', org, 'admin');
  const ben = person('Ben', org, 'manager');
  const seeded = await seedLargeOrg(baseURL!, ada);

  for (const viewport of [undefined, DESKTOP]) {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    const width = viewport ? 1280 : 360;
    await watchForEmptyState(context);
    const pulls = await gatePulls(context);
    const who = viewport ? person('Cy', org, 'manager') : ben;
    await signInAs(page, who);
    // Every row this device receives: the seeded ones and each person signed in so far.
    const total = (seeded + (viewport ? 3 : 2)).toLocaleString('en-US');
    const status = page.getByTestId('connection');
    const setup = page.getByTestId('setup-progress');

    // Nothing has arrived: the device says it is being set up, the list is a skeleton.
    await expect(status).toHaveText('Setting up this device…');
    await expect(setup).toContainText('Setting up this device — downloading your workspace…');
    await expect(page.getByRole('status', { name: 'Projects arriving' })).toBeVisible();

    // The first page: how many of how many, a percentage and an estimate, in both places.
    await pulls.release();
    const progress = new RegExp(
      `^Setting up this device — [\\d,]+ of ${total} \\(\\d+%\\)( · (a few seconds|about \\d+ (s|min)) left)?$`,
    );
    await expect(status).toHaveText(progress);
    await expect(setup.locator('p').first()).toHaveText(progress);
    await expect(setup.getByRole('progressbar', { name: 'Setting up this device' })).toBeVisible();
    // What has arrived is usable: both projects came first, their counts say they are partial.
    await expect(page.getByRole('link', { name: 'Alpha' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Projects' })).toContainText('so far');
    // Beta's tasks come last: none has arrived, and it says so rather than "0/0 completed so far".
    const betaItem = page.getByRole('listitem').filter({ hasText: 'Beta' });
    await expect(betaItem).toContainText('Tasks arriving…');
    await expect(betaItem).not.toContainText('0/0');
    await screenshot(page, `first-sync-progress-${width}`);

    // Beta's tasks come last: its list is "arriving", not "No tasks yet".
    await page.getByRole('link', { name: 'Beta' }).click();
    await expect(page.getByRole('heading', { name: 'Beta', level: 2 })).toBeAttached();
    await expect(page.getByRole('status', { name: 'Tasks arriving' })).toBeVisible();
    await expect(setup).toContainText('Tasks appear here as they arrive');
    // The feed, too, is arriving rather than empty.
    await page.getByRole('link', { name: 'Activity' }).click();
    await expect(setup).toContainText('Entries appear here as they arrive');
    // Alpha's first tasks are here and open.
    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    await page.getByRole('link', { name: 'Alpha' }).click();
    // Which rows the first page held varies with the seeding's seqs: let pages through until
    // Alpha's first task, the list's first row, has arrived.
    await pulls.releaseUntil(() =>
      expect(taskTitle(page, 'Alpha task 1')).toBeVisible({ timeout: 3_000 }),
    );

    // Two more pages, then a reload in the middle of the download.
    await pulls.release();
    await pulls.release();
    await expect(status).toHaveText(progress);
    const before = Number(
      (await status.textContent())!.match(/— ([\d,]+) of/)![1]!.replace(/,/g, ''),
    );
    expect(await emptySeen(page)).toBeNull();
    pulls.forget();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Alpha', level: 2 })).toBeAttached();
    // Still a first sync after the reload, and it counts on from what it had.
    await expect(status).toHaveText('Setting up this device…');
    await pulls.releaseUntil(() => expect(status).toHaveText(progress, { timeout: 3_000 }));
    const after = Number(
      (await status.textContent())!.match(/— ([\d,]+) of/)![1]!.replace(/,/g, ''),
    );
    expect(after).toBeGreaterThan(before);
    expect(await emptySeen(page)).toBeNull();

    // The rest arrives: synced, every task is here. Where the progress was, it says so, at
    // the same height, so the list under it does not move (a tap meant for a row hits that
    // row); on the next screen it is gone.
    const row = taskTitle(page, 'Alpha task 1');
    const y = (await row.boundingBox())!.y;
    await pulls.open();
    await expect(status).toHaveText(/^Synced/, { timeout: 60_000 });
    await expect(setup.locator('p').first()).toHaveText(
      'This device is set up — everything has arrived, and it all works offline.',
    );
    expect((await row.boundingBox())!.y).toBe(y);
    // The height it holds is filled as the progress filled it (its bar, full, and a line): it
    // was an empty block some 50 px tall under the one line at 360 px.
    await expect(setup.getByRole('progressbar', { name: 'This device is set up' })).toBeVisible();
    expect(
      await setup.evaluate((el) => {
        const s = getComputedStyle(el);
        const inner =
          el.getBoundingClientRect().bottom -
          parseFloat(s.paddingBottom) -
          parseFloat(s.borderBottomWidth);
        return Math.round(inner - el.lastElementChild!.getBoundingClientRect().bottom);
      }),
    ).toBeLessThan(12);
    await screenshot(page, `first-sync-done-${width}`);
    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    await expect(setup).toHaveCount(0);
    const list = page.getByRole('list', { name: 'Projects' });
    await expect(list).toContainText(`0/${ALPHA_TASKS.toLocaleString('en-US')}`);
    await expect(list).toContainText(`0/${BETA_TASKS.toLocaleString('en-US')}`);
    await expect(list).not.toContainText('so far');
    await page.getByRole('link', { name: 'Alpha' }).click();
    await expect(
      page.getByRole('heading', { name: `To do (${ALPHA_TASKS.toLocaleString('en-US')})` }),
    ).toBeVisible();
    expect(await emptySeen(page)).toBeNull();
    await context.close();
  }
});

test('a new workspace’s first screen says once that it works offline: the set-up card says it, the empty list does not again', async ({
  browser,
}) => {
  for (const width of [360, DESKTOP.width]) {
    const { context, page } = await newPhone(browser, width === 360 ? {} : { viewport: DESKTOP });
    const pulls = await gatePulls(context);
    await page.goto('/');
    const who = person('Ana', orgFor(`first screen offline once ${width}`), 'admin');
    await page.getByLabel('Name').fill(who.name);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Organization').fill(who.org);
    await page.getByLabel('Role').selectOption(who.role);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const setup = page.getByTestId('setup-progress');
    await expect(setup).toContainText('Setting up this device');
    await pulls.open();
    await expect(setup).toHaveText(
      'This device is set up — everything has arrived, and it all works offline.',
    );
    await expect(page.getByText('No projects yet.')).toBeVisible();
    // With nothing listed under it, it fits its one line: it kept the height of the progress
    // it replaced, an empty block under the words.
    await expect
      .poll(() =>
        setup.evaluate((el) => {
          const s = getComputedStyle(el);
          const frame = ['paddingTop', 'paddingBottom', 'borderTopWidth', 'borderBottomWidth']
            .map((k) =>
              parseFloat(s.getPropertyValue(k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))),
            )
            .reduce((a, b) => a + b, 0);
          return Math.round(
            el.getBoundingClientRect().height -
              frame -
              el.querySelector('p')!.getBoundingClientRect().height,
          );
        }),
      )
      .toBe(0);
    // The card and the empty state under it both said "works offline".
    const main = (await page.getByRole('main').innerText()).toLowerCase();
    expect(main.split('offline').length - 1).toBe(1);
    await expectAccessible(page, `first screen ${width}`);
    await screenshot(page, `first-screen-offline-once-${width}`);
    await context.close();
  }
});

import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { DESKTOP, newPhone, openProject, orgFor, person, seedProject, signIn } from './helpers';

const TITLES = Array.from({ length: 200 }, (_, i) => `Step ${i + 1} of the move`);

/**
 * Holds back, in every page of `context`, the completion of IndexedDB read-write transactions
 * begun while `holdWrites` is set: their `oncomplete` handlers (Dexie's) run only once the test
 * calls `releaseWrites`. A tick's write is then still landing while the user goes on.
 */
async function holdWrites(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { holdWrites: boolean; releaseWrites: () => void };
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    w.holdWrites = false;
    w.releaseWrites = () => {
      w.holdWrites = false;
      release();
    };
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: unknown[]) {
      const tx = (transaction as (...a: unknown[]) => IDBTransaction).apply(this, args);
      if (!w.holdWrites || tx.mode !== 'readwrite') return tx;
      let handler: ((e: Event) => void) | null = null;
      Object.defineProperty(tx, 'oncomplete', {
        configurable: true,
        get: () => handler,
        set: (h: ((e: Event) => void) | null) => (handler = h),
      });
      tx.addEventListener('complete', (e) => void gate.then(() => handler?.call(tx, e)));
      return tx;
    } as typeof transaction;
  });
}

/** Resolves after the page has drawn three more frames (a scroll into view settles in them). */
const frames = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
        ),
      ),
  );

test('a task ticked with focus in its row, then a scroll before its write lands: the window stays where the user took it', async ({
  browser,
  baseURL,
}) => {
  const kai = person('Kai', orgFor('tick-scrolled'), 'admin');
  await seedProject(baseURL!, kai, 'Move', TITLES);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await holdWrites(context);
  await signIn(page, kai);
  await openProject(page, 'Move');
  await expect(page.getByText('To do (200)', { exact: true })).toBeVisible();

  await page.evaluate(() => ((window as unknown as { holdWrites: boolean }).holdWrites = true));
  // Focus in the row: once the task leaves To do, the row taking its place is to get it.
  await page.getByRole('checkbox', { name: 'Complete “Step 1 of the move”' }).click();
  await page.mouse.move(640, 400);
  await page.mouse.wheel(0, 3000);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(2000);
  await frames(page);
  const before = await page.evaluate(() => window.scrollY);

  await page.evaluate(() => (window as unknown as { releaseWrites: () => void }).releaseWrites());
  await expect(page.getByText('To do (199)', { exact: true })).toBeVisible();
  await frames(page);
  // Step 1's row left from above the window, so the rows move up by at most that one row; the
  // row after it (where the cursor goes) was scrolled back to the top before.
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(before - 200);
  await context.close();
});

test('a teammate takes the task under the cursor, twice, while the user has scrolled away: the window stays where the user took it', async ({
  browser,
  baseURL,
}) => {
  const kai = person('Kai', orgFor('teammate-scrolled'), 'admin');
  const { device, taskIds } = await seedProject(baseURL!, kai, 'Move', TITLES);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, kai);
  await openProject(page, 'Move');
  await expect(page.getByText('To do (200)', { exact: true })).toBeVisible();

  // The cursor on Step 1, then the user scrolls far down the list with the wheel.
  await page.getByRole('checkbox', { name: 'Complete “Step 1 of the move”' }).focus();
  await page.mouse.move(640, 400);
  await page.mouse.wheel(0, 3000);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(2000);
  await frames(page);
  const before = await page.evaluate(() => window.scrollY);

  // A teammate completes Step 1: the cursor goes to Step 2, out of sight, and the window stays.
  await device.push([device.change('task.update', taskIds[0]!, { fields: { status: 'done' } })]);
  await expect(page.getByText('To do (199)', { exact: true })).toBeVisible();
  await frames(page);
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(before - 200);

  // Then deletes Step 2, where the cursor went: the user never went back to it, so the window
  // still stays (it was pulled back to the list's top).
  await device.push([device.change('task.delete', taskIds[1]!)]);
  await expect(page.getByText('To do (198)', { exact: true })).toBeVisible();
  await frames(page);
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(before - 200);
  await context.close();
});

import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openProject,
  orgFor,
  person,
  seedProject,
  signIn,
  taskList,
  taskTitle,
} from './helpers';

const TITLES = Array.from({ length: 200 }, (_, i) => `Step ${i + 1} of the move`);

/**
 * Holds back, in every page of `context` loaded from now on, the reads of a project's task id
 * lists (Dexie's `primaryKeys()` on the `[projectId+status]` index, an `IDBIndex.getAllKeys`):
 * their results reach the app only once the test calls `releaseIds(page)`. The list meanwhile
 * shows its first rows and placeholders up to the count, as it does while a big project loads.
 */
async function holdIdLists(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { idsHeld: number; releaseIds: () => void };
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    w.idsHeld = 0;
    w.releaseIds = () => release();
    const getAllKeys = IDBIndex.prototype.getAllKeys;
    IDBIndex.prototype.getAllKeys = function (this: IDBIndex, ...args: unknown[]) {
      const req = (getAllKeys as (...a: unknown[]) => IDBRequest<IDBValidKey[]>).apply(this, args);
      if (this.name !== '[projectId+status]') return req;
      w.idsHeld++;
      // The app's handler is kept here and called with the event once the gate opens (the
      // request's result stays readable after its read-only transaction ends).
      let handler: ((e: Event) => void) | null = null;
      Object.defineProperty(req, 'onsuccess', {
        configurable: true,
        get: () => handler,
        set: (h: ((e: Event) => void) | null) => (handler = h),
      });
      req.addEventListener('success', (e) => void gate.then(() => handler?.call(req, e)));
      return req;
    } as typeof getAllKeys;
  });
}

const releaseIds = (page: Page) =>
  page.evaluate(() => (window as unknown as { releaseIds: () => void }).releaseIds());

/** Resolves after the page has drawn two more frames (a restore waits for the next one). */
const twoFrames = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );

for (const way of ['wheel', 'keys'] as const) {
  test(`a long project reopened where it was left (${way === 'wheel' ? 'its rows' : 'its cursor'}) does not pull you back when you scroll before its rows are read`, async ({
    browser,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const kai = person('Kai', orgFor(`list-place-scrolled-${way}`), 'admin');
    const { taskIds } = await seedProject(baseURL!, kai, 'Move', TITLES);
    const { context, page } = await newPhone(browser, { viewport: DESKTOP });
    await signIn(page, kai);
    await openProject(page, 'Move');
    await expect(taskTitle(page, 'Step 1 of the move')).toBeVisible();

    // Kai leaves the list far down: by the wheel (the rows at the window's top are kept), or by
    // the keys (the cursor's task is kept too).
    if (way === 'wheel') {
      await page.mouse.move(640, 400);
      await page.mouse.wheel(0, 4020);
    } else {
      await taskTitle(page, 'Step 1 of the move').focus();
      for (let i = 0; i < 120; i++) await page.keyboard.press('j');
      await expect(taskTitle(page, 'Step 121 of the move')).toBeFocused();
    }
    await expect(taskTitle(page, 'Step 1 of the move')).toHaveCount(0);
    // (kept once the scroll has settled: far down, its rows and, by the keys, Step 121)
    const kept = () => page.evaluate(() => sessionStorage.getItem('outpost:list-places') ?? '');
    await expect.poll(kept).toContain('"rows":[{');
    if (way === 'keys') await expect.poll(kept).toContain(`"cursor":"${taskIds[120]}"`);

    // Reopened cold (a reload), its id lists slow to come: Kai scrolls before they do.
    await holdIdLists(context);
    await page.reload();
    await expect(taskList(page)).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { idsHeld: number }).idsHeld))
      .toBeGreaterThan(0);
    const before = await page.evaluate(() => window.scrollY);
    await page.mouse.move(640, 400);
    await page.mouse.wheel(0, 1000);
    // (a pixel or so either way: rows measured as they are drawn move the page that much)
    const scrollY = () => page.evaluate(() => window.scrollY);
    await expect.poll(async () => Math.abs((await scrollY()) - before - 1000)).toBeLessThan(4);
    const scrolled = await scrollY();

    // The lists come: the rows where Kai is are read, and the page stays there (within a row;
    // taken back, it would be thousands of pixels further down). (Released within the 2 s a
    // list waits for its place's rows: later, the place is given up anyway and this passes.)
    await releaseIds(page);
    await expect(page.getByLabel('Loading task')).toHaveCount(0);
    await twoFrames(page);
    expect(Math.abs((await scrollY()) - scrolled)).toBeLessThan(48);
    await context.close();
  });
}

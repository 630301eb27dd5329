import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  DESKTOP,
  expectSynced,
  newPhone,
  openProject,
  orgFor,
  seedProject,
  person,
  renameTask,
  screenshot,
  signIn,
  taskTitle,
} from './helpers';

type Box = { x: number; y: number; width: number; height: number };

/** The vertical overlap, in pixels, of two boxes that share some width (0: none). */
function overlap(a: Box, b: Box): number {
  const across = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  if (across <= 0) return 0;
  return Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
}

async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  expect(b, 'shown').not.toBeNull();
  return b!;
}

const bar = (page: Page) => page.getByRole('contentinfo', { name: 'Sync status' });
const notices = (page: Page) => page.getByRole('region', { name: 'Notices' });
const toast = (page: Page) =>
  page.getByRole('region', { name: 'Recent actions' }).getByRole('status').last();

test('an undo toast never covers a conflict notice or the sync status, even when the status bar wraps', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('overlays');
  const me = person('Ana', org, 'admin');
  for (const viewport of [undefined, DESKTOP]) {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signIn(page, me);
    // Ana's other device makes the project, so its task ids are known here.
    const name = viewport ? 'Desk garden' : 'Phone garden';
    const {
      device,
      taskIds: [fenceId],
    } = await seedProject(baseURL!, me, name, ['Fix the fence', 'Buy nails']);
    await openProject(page, name);
    await expect(taskTitle(page, 'Buy nails')).toBeVisible();

    // This device renames the task offline; the other renames it later and wins: a notice.
    await context.setOffline(true);
    await expect(page.getByTestId('connection')).toContainText('Offline');
    await renameTask(page, 'Fix the fence', 'Fix the gate');
    await device.push([
      device.change('task.update', fenceId!, { fields: { title: 'Mend the fence' } }),
    ]);
    await context.setOffline(false);
    await expectSynced(page);
    const notice = page.getByTestId('conflict-notice').first();
    await expect(notice).toContainText('your title “Fix the gate” was replaced');

    // Offline again, "Sync now" answers in the bar (on a phone it wraps to three lines), and a
    // completed task offers Undo: the toast, the notice and the bar each stay readable.
    await context.setOffline(true);
    await expect(page.getByTestId('connection')).toContainText('Offline');
    await page.getByRole('checkbox', { name: 'Complete “Buy nails”' }).click();
    await expect(toast(page)).toContainText('Completed “Buy nails”');
    await bar(page).getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('sync-now-feedback')).toBeVisible();
    const [t, n, b] = [await box(toast(page)), await box(notices(page)), await box(bar(page))];
    await screenshot(page, `overlays-toast-notice-bar-${viewport ? 1280 : 360}`);
    expect(overlap(t, n), 'the toast covers the notice').toBe(0);
    expect(overlap(t, b), 'the toast covers the status bar').toBe(0);
    expect(overlap(n, b), 'the notice covers the status bar').toBe(0);
    // Nothing leaves the screen at the top either.
    expect(t.y).toBeGreaterThan(0);
    await context.setOffline(false);
    await expectSynced(page);
    await context.close();
  }
});

import { expect, test, type Page } from '@playwright/test';
import {
  newPhone,
  openProject,
  orgFor,
  otherDevice,
  person,
  signIn,
  taskTitle,
  uuidv7,
} from './helpers';

// A project whose first half carries a due date (on a phone, a second line under the title:
// about 65 px) and whose second half does not (one line, 48 px).
const DATED = Array.from({ length: 300 }, (_, i) => `Invoice ${i + 1}`);
const PLAIN = Array.from({ length: 300 }, (_, i) => `Receipt ${i + 1}`);
/** As far as the list's end may move for one row added or gone (a row is 48–65 px here). */
const ROWS_2 = 2 * 65;

/** Scrolls the window to `y` and waits for the rows drawn there to be measured and still. */
async function scrollTo(page: Page, y: number): Promise<void> {
  await page.evaluate(async (to) => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    window.scrollTo(0, to);
    let last = '';
    for (;;) {
      for (let f = 0; f < 3; f++) await frame();
      const now = `${document.documentElement.scrollHeight} ${window.scrollY}`;
      if (now === last) return;
      last = now;
    }
  }, y);
}

const pageHeight = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight);

test("on a phone, the list's length stays put as a task is added or ticked mid-list, whatever mix of rows was drawn last", async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('list-height-stays');
  const ada = person('Ada', org, 'admin');
  const device = await otherDevice(baseURL!, ada);
  const projectId = uuidv7();
  const task = (title: string, dueDate: string | null) =>
    device.change('task.create', uuidv7(), {
      fields: { projectId, title, notes: '', status: 'todo', assigneeId: null, dueDate },
    });
  await device.push([
    device.change('project.create', projectId, {
      fields: { name: 'Ledger', description: '', status: 'active', ownerId: device.userId },
    }),
    ...DATED.map((title) => task(title, '2027-06-01')),
    ...PLAIN.map((title) => task(title, null)),
  ]);
  const { context, page } = await newPhone(browser);
  await signIn(page, ada);
  await openProject(page, 'Ledger');
  await expect(taskTitle(page, 'Invoice 1')).toBeVisible();

  // Into the middle of the one-line rows, then a few screens further: only they were drawn
  // lately.
  const height = await pageHeight(page);
  await scrollTo(page, Math.round(height * 0.7));
  for (let i = 0; i < 3; i++)
    await scrollTo(page, (await page.evaluate(() => window.scrollY)) + 600);
  // The titles wholly in the window, top to bottom.
  const inView = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('.task-title')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= window.innerHeight;
        })
        .map((el) => el.textContent!.trim()),
    );
  const shown = await inView();
  expect(shown.length).toBeGreaterThan(6);
  expect(shown.every((t) => t.startsWith('Receipt'))).toBe(true);
  const before = await pageHeight(page);

  // A teammate's task lays the list out again: the rows not drawn keep their estimate (before,
  // the two-line ones above were laid out again at the one-line height: some 7,000 px shorter).
  await device.push([task('Reconcile the month', null)]);
  await expect(page.getByRole('heading', { name: 'To do (601)' })).toBeAttached();
  const added = await pageHeight(page);
  expect(Math.abs(added - before)).toBeLessThanOrEqual(ROWS_2);

  // A row ticked here leaves the list (Completed is folded): one row shorter, no more.
  const ticked = (await inView())[5]!;
  await page.getByRole('checkbox', { name: `Complete “${ticked}”` }).click();
  await expect(taskTitle(page, ticked)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'To do (600)' })).toBeAttached();
  const after = await pageHeight(page);
  expect(Math.abs(after - added)).toBeLessThanOrEqual(ROWS_2);
  await context.close();
});

test('on a phone, a project of two-line rows opened after one of one-line rows is as long as its rows', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('list-height-own');
  const ada = person('Ada', org, 'admin');
  const device = await otherDevice(baseURL!, ada);
  const plainId = uuidv7();
  const datedId = uuidv7();
  const task = (projectId: string, title: string, dueDate: string | null) =>
    device.change('task.create', uuidv7(), {
      fields: { projectId, title, notes: '', status: 'todo', assigneeId: null, dueDate },
    });
  const project = (id: string, name: string) =>
    device.change('project.create', id, {
      fields: { name, description: '', status: 'active', ownerId: device.userId },
    });
  await device.push([
    project(plainId, 'Receipts'),
    ...PLAIN.map((title) => task(plainId, title, null)),
    project(datedId, 'Invoices'),
    ...DATED.map((title) => task(datedId, title, '2027-06-01')),
  ]);
  const { context, page } = await newPhone(browser);
  await signIn(page, ada);
  // One-line rows measured first, at this width.
  await openProject(page, 'Receipts');
  await expect(taskTitle(page, 'Receipt 1')).toBeVisible();
  await scrollTo(page, 1000);
  await expect(taskTitle(page, 'Receipt 25')).toBeVisible();
  await openProject(page, 'Invoices');
  await expect(taskTitle(page, 'Invoice 1')).toBeVisible();
  await scrollTo(page, 0);

  // The rows not drawn yet are estimated at this project's height (two lines), not the one
  // measured in the other project: the list is as long as its 300 rows (before, some 5,000 px
  // short, its scrollbar too).
  const { rowHeight, listHeight } = await page.evaluate(() => ({
    rowHeight: document.querySelector<HTMLElement>('.task-item')!.offsetHeight,
    listHeight: document.querySelector<HTMLElement>('.task-list')!.offsetHeight,
  }));
  expect(rowHeight).toBeGreaterThan(56);
  expect(listHeight).toBeGreaterThanOrEqual(DATED.length * rowHeight);
  expect(listHeight).toBeLessThanOrEqual(DATED.length * rowHeight + ROWS_2);
  await context.close();
});

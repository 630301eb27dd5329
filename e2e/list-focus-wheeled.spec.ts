import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openProject,
  orgFor,
  person,
  seedProject,
  signIn,
  taskDetail,
  taskList,
  taskTitle,
} from './helpers';

const TITLES = Array.from({ length: 200 }, (_, i) => `Crate ${i + 1}`);

test('a focused row wheeled out of the drawn rows leaves focus on the list, not the page, and the keys go on from it; back in the drawn rows (a teammate completing many above it), the row has focus again', async ({
  browser,
  baseURL,
}) => {
  const ida = person('Ida', orgFor('list-focus-wheeled'), 'admin');
  const { device, taskIds } = await seedProject(baseURL!, ida, 'Depot', TITLES);
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, ida);
  await openProject(page, 'Depot');
  await expect(taskTitle(page, 'Crate 1')).toBeVisible();

  // The keyboard on Crate 2, then the wheel takes the window far down: Crate 2's row is no
  // longer drawn. Focus stays on the list (not <body>), its cursor on Crate 2.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Crate 2')).toBeFocused();
  await page.mouse.move(640, 400);
  await page.mouse.wheel(0, 4000);
  await expect(taskTitle(page, 'Crate 2')).toHaveCount(0);
  await expect(taskList(page)).toBeFocused();

  // j goes on from the cursor: Crate 3, brought back into view; Enter opens it.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Crate 3')).toBeFocused();
  await expect(taskTitle(page, 'Crate 3')).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Crate 3');

  // Some 50 rows from the list's end, a teammate completes 100 tasks above the window at once
  // (the page shrinks by more than lies below it). The window keeps its rows (it was taken to
  // the list's end: the browser cut the virtualizer's own scroll short, and it wrote it again
  // over the list's), and the cursor's row, out of the drawn rows for a moment, has focus and
  // its ring again, not the whole list. Wheeled away from and back to, the same.
  await page.keyboard.press('Escape');
  await expect(taskTitle(page, 'Crate 3')).toBeFocused();
  await page.keyboard.press('End');
  await expect(taskTitle(page, 'Crate 200')).toBeFocused();
  for (let i = 0; i < 4; i++) await page.keyboard.press('PageUp');
  const focused = page.locator('.task-title:focus');
  await expect(focused).toHaveCount(1);
  const title = (await focused.textContent())!;
  const at = TITLES.indexOf(title);
  expect(at).toBeGreaterThan(110);
  expect(at).toBeLessThan(170);
  const y = async () => (await taskTitle(page, title).boundingBox())!.y;
  const before = await y();
  await device.push(
    taskIds
      .slice(3, 103)
      .map((id) => device.change('task.update', id, { fields: { status: 'done' } })),
  );
  await expect(page.getByText('To do (100)', { exact: true })).toBeVisible();
  await expect(taskTitle(page, title)).toBeFocused();
  expect(Math.abs((await y()) - before)).toBeLessThanOrEqual(1);
  await page.mouse.wheel(0, -2000);
  await expect(taskTitle(page, title)).toHaveCount(0);
  await expect(taskList(page)).toBeFocused();
  await page.mouse.wheel(0, 2000);
  await expect(taskTitle(page, title)).toBeFocused();
  await context.close();
});

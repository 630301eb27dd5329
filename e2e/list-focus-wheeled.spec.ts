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

test('a focused row wheeled out of the drawn rows leaves focus on the list, not the page, and the keys go on from it', async ({
  browser,
  baseURL,
}) => {
  const ida = person('Ida', orgFor('list-focus-wheeled'), 'admin');
  await seedProject(baseURL!, ida, 'Depot', TITLES);
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
  await context.close();
});

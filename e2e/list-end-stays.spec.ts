import { expect, test } from '@playwright/test';
import { newPhone, openProject, orgFor, person, seedProject, signIn, taskTitle } from './helpers';

const SHELVES = Array.from({ length: 300 }, (_, i) => `Shelf ${i + 1}`);
const BOXES = Array.from({ length: 60 }, (_, i) => `Box ${i + 1}`);
/** Shelves a teammate completes at once (a bulk action): some 10,000 px of rows above. */
const GONE = 200;

// The case 749a184 fixed: a change that lays the rows above the window out shorter, with the
// page at the list's end. The browser pulls such a page up as far as the list lost; the list
// then kept its top row in place by scrolling up as far again (from the end of 10,000 rows, a
// quick add left the page some 2,000 rows up). Once the estimate of rows not measured stayed
// put (7f01779), a change no longer re-estimates those rows, so many rows leaving above at
// once is how it happens now.
test('at the end of a long list on a phone, a teammate completing many tasks above leaves the list where it was instead of jumping hundreds of rows up', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('list-end-stays');
  const ada = person('Ada', org, 'admin');
  const { device, taskIds } = await seedProject(baseURL!, ada, 'Storeroom', [...SHELVES, ...BOXES]);
  const { context, page } = await newPhone(browser);
  await signIn(page, ada);
  await openProject(page, 'Storeroom');
  await expect(taskTitle(page, SHELVES[0]!)).toBeVisible();

  // To the end of the list.
  await page.evaluate(async () => {
    let last = -1;
    while (document.documentElement.scrollHeight !== last) {
      last = document.documentElement.scrollHeight;
      window.scrollTo(0, last);
      for (let f = 0; f < 3; f++) await new Promise((r) => requestAnimationFrame(r));
    }
  });
  await expect(taskTitle(page, 'Box 55')).toBeInViewport();

  // A teammate completes 200 shelves in one go (Completed is folded: they leave the list).
  await device.push(
    taskIds
      .slice(0, GONE)
      .map((id) => device.change('task.update', id, { fields: { status: 'done' } })),
  );
  await expect(page.getByRole('heading', { name: `To do (${360 - GONE})` })).toBeAttached();
  await expect(taskTitle(page, SHELVES[0]!)).toHaveCount(0);
  await expect(taskTitle(page, 'Box 55')).toBeInViewport();
  await expect(taskTitle(page, 'Box 60')).toBeInViewport();
  await context.close();
});

import { expect, test } from '@playwright/test';
import {
  newPhone,
  openProject,
  orgFor,
  person,
  seedProject,
  signIn,
  taskTitle,
  uuidv7,
} from './helpers';

// Rows not measured yet are estimated at the height measured most often lately: long titles
// (two or three lines on a phone) at the top of the list, one-line ones at its end.
const LONG = Array.from(
  { length: 300 },
  (_, i) => `Shelf ${i + 1} — a long title that wraps onto more lines on a phone screen`,
);
const SHORT = Array.from({ length: 60 }, (_, i) => `Box ${i + 1}`);

test("at the end of a long list on a phone, a teammate's new task leaves the list where it was instead of jumping hundreds of rows up", async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('list-end-stays');
  const ada = person('Ada', org, 'admin');
  const { device } = await seedProject(baseURL!, ada, 'Storeroom', [...LONG, ...SHORT]);
  const { context, page } = await newPhone(browser);
  await signIn(page, ada);
  await openProject(page, 'Storeroom');
  await expect(taskTitle(page, LONG[0]!)).toBeVisible();
  // A quick add with only long rows measured: the list is laid out again at a long row's
  // height. Its row lands at the end, out of sight, as its toast says.
  await page.getByLabel('New task title').fill('Label the shelves');
  await page.getByRole('button', { name: 'Add task' }).click();
  await expect(page.getByText('Added “Label the shelves”')).toBeVisible();

  // To the end of the list: the one-line rows measured there become the estimate.
  await page.evaluate(async () => {
    let last = -1;
    while (document.documentElement.scrollHeight !== last) {
      last = document.documentElement.scrollHeight;
      window.scrollTo(0, last);
      for (let f = 0; f < 3; f++) await new Promise((r) => requestAnimationFrame(r));
    }
  });
  await expect(taskTitle(page, 'Box 55')).toBeInViewport();

  // A teammate's task lays the rows above out again, some 13,000 px shorter. The browser pulls
  // the page up as far as it lost; the list then moved it up as far again (to ~200 rows up).
  const projectId = await page.evaluate(() => location.hash.split('/').pop()!);
  await device.push([
    device.change('task.create', uuidv7(), {
      fields: {
        projectId,
        title: 'Count the boxes',
        notes: '',
        status: 'todo',
        assigneeId: null,
        dueDate: null,
      },
    }),
  ]);
  await expect(taskTitle(page, 'Count the boxes')).toBeAttached();
  await expect(taskTitle(page, 'Box 55')).toBeInViewport();
  await expect(taskTitle(page, 'Label the shelves')).toBeInViewport();
  await context.close();
});

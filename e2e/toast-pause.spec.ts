import { expect, test, type Page } from '@playwright/test';
import {
  addTask,
  DESKTOP,
  devToken,
  expectSynced,
  newPhone,
  openTask,
  orgFor,
  person,
  PHONE,
  signInToProject,
  taskTitle,
} from './helpers';

const toast = (page: Page) =>
  page.getByRole('region', { name: 'Recent actions' }).getByRole('status');

for (const [label, viewport] of [
  ['phone', PHONE],
  ['laptop', DESKTOP],
] as const) {
  test(`on a ${label}, a delete's toast waits while the pointer is over it or focus is in it: Undo still restores past its 5 s; left, it closes and the delete is sent`, async ({
    browser,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const ana = person('Ana', orgFor(`toast-pause-${label}`), 'admin');
    const { context, page } = await newPhone(browser, { viewport });
    // A fake clock that keeps flowing: the test jumps it past the undo window.
    await page.clock.install();
    await signInToProject(page, ana, 'Move house');
    for (const t of ['Pack books', 'Book a van']) await addTask(page, t);
    await expectSynced(page);
    const onServer = async () => {
      const res = await fetch(`${baseURL}/api/v1/primary-data/tasks?limit=200`, {
        headers: { authorization: `Bearer ${await devToken(baseURL!, ana)}` },
      });
      return ((await res.json()) as { data: { title: string }[] }).data.map((t) => t.title).sort();
    };

    // Hovered past its window: still there, Undo brings the task back, nothing was sent.
    await (await openTask(page, 'Pack books')).getByRole('button', { name: 'Delete task' }).click();
    await expect(taskTitle(page, 'Pack books')).toHaveCount(0);
    await expect(toast(page)).toContainText('Deleted “Pack books”');
    await toast(page).hover();
    await page.clock.fastForward(10_000);
    await expect(toast(page)).toContainText('Deleted “Pack books”');
    await toast(page).getByRole('button', { name: 'Undo' }).click();
    await expect(taskTitle(page, 'Pack books')).toBeVisible();
    await expect(toast(page)).toHaveCount(0);
    await expectSynced(page);
    expect(await onServer()).toEqual(['Book a van', 'Pack books']);

    // Focus in it (Tab to its Undo) holds it too, past the window.
    await (await openTask(page, 'Book a van')).getByRole('button', { name: 'Delete task' }).click();
    await expect(toast(page)).toContainText('Deleted “Book a van”');
    await page.mouse.move(0, 0);
    await toast(page).getByRole('button', { name: 'Undo' }).focus();
    await page.clock.fastForward(10_000);
    await expect(toast(page)).toContainText('Deleted “Book a van”');
    await expect(taskTitle(page, 'Book a van')).toHaveCount(0);

    // Hovered too, then left (pointer and focus): it runs out the time it had left, and goes
    // with the delete.
    await toast(page).hover();
    await page.getByLabel('New task title').focus();
    await page.mouse.move(0, 0);
    await page.clock.fastForward(6_000);
    await expect(toast(page)).toHaveCount(0);
    await expectSynced(page);
    await expect.poll(onServer).toEqual(['Pack books']);
    await context.close();
  });
}

test('a toast shown under a pointer that has not moved counts down; a pointer moved onto it holds it', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { context, page } = await newPhone(browser, { viewport: PHONE });
  await page.clock.install();
  await signInToProject(
    page,
    person('Ana', orgFor('toast-resting-pointer'), 'admin'),
    'Move house',
  );
  for (const t of ['Pack books', 'Book a van', 'Call the bank']) await addTask(page, t);
  await expectSynced(page);
  const tick = (title: string) =>
    page.getByRole('checkbox', { name: `Complete “${title}”` }).press('Space');

  // The pointer is left resting where toasts show: on the ✕ of the first one, which it closes.
  await page.getByRole('checkbox', { name: 'Complete “Pack books”' }).click();
  await expect(toast(page)).toContainText('Completed “Pack books”');
  await toast(page).getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast(page)).toHaveCount(0);

  // Ticked from the keyboard, the next toast shows under that pointer (Chromium then sends it
  // a pointerenter, with no move): nobody moved onto it to read it, so its 5 s run as usual.
  await tick('Book a van');
  await expect(toast(page)).toContainText('Completed “Book a van”');
  await expect.poll(() => toast(page).evaluate((t) => t.matches(':hover'))).toBe(true);
  await page.clock.fastForward(6_000);
  await expect(toast(page)).toHaveCount(0);

  // The pointer moved over it, even a pixel: now it is being read, and it waits.
  await tick('Call the bank');
  await expect(toast(page)).toContainText('Completed “Call the bank”');
  const box = (await toast(page).boundingBox())!;
  await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
  await page.clock.fastForward(10_000);
  await expect(toast(page)).toContainText('Completed “Call the bank”');
  // Left, it runs out what it had left.
  await page.mouse.move(0, 0);
  await page.clock.fastForward(6_000);
  await expect(toast(page)).toHaveCount(0);
  await context.close();
});

test('on a touch phone, a toast tapped on its words still goes in its time: the hover a tap leaves on it does not hold it', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.clock.install();
  await signInToProject(page, person('Ana', orgFor('toast-tapped'), 'admin'), 'Move house');
  await addTask(page, 'Pack books');
  await expectSynced(page);
  await page.getByRole('checkbox', { name: 'Complete “Pack books”' }).tap();
  await expect(toast(page)).toContainText('Completed “Pack books”');
  await toast(page).getByText('Completed').tap();
  await expect.poll(() => toast(page).evaluate((t) => t.matches(':hover'))).toBe(true);
  await page.clock.fastForward(6_000);
  await expect(toast(page)).toHaveCount(0);
  await context.close();
});

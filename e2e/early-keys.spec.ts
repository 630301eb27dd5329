import { expect, test, type Page } from '@playwright/test';
import { DESKTOP, expectSynced, orgFor, person, seedProject, signIn, taskTitle } from './helpers';

type Meanwhile = 'nothing' | 'click the heading' | 'focus the new task field';

/**
 * Opens project `name` from the Projects list and presses j the moment its heading takes focus
 * (as opening a project gives it), before its rows are drawn — then, at once, does `meanwhile`.
 * A key typed by a person at that moment cannot be timed from here: it is dispatched in the page.
 */
async function openPressingJ(page: Page, name: string, meanwhile: Meanwhile): Promise<void> {
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.evaluate((meanwhile) => {
    const w = window as unknown as { early?: { handled: boolean; rows: number } };
    delete w.early;
    const onFocus = (e: FocusEvent) => {
      const heading = e.target;
      if (!(heading instanceof HTMLElement) || heading.id !== 'project-heading') return;
      document.removeEventListener('focusin', onFocus);
      const rows = document.querySelectorAll('[data-task-id]').length;
      const key = new KeyboardEvent('keydown', { key: 'j', bubbles: true, cancelable: true });
      heading.dispatchEvent(key);
      if (meanwhile === 'click the heading')
        heading.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
      if (meanwhile === 'focus the new task field')
        document.querySelector<HTMLElement>('[aria-label="New task title"]')?.focus();
      // Taken as the list's j (it prevents the default), with no row drawn yet.
      w.early = { handled: key.defaultPrevented, rows };
    };
    document.addEventListener('focusin', onFocus);
  }, meanwhile);
  await page.getByRole('link', { name }).click();
  await expect
    .poll(() =>
      page.evaluate(
        () => (window as unknown as { early?: { handled: boolean; rows: number } }).early,
      ),
    )
    .toEqual({ handled: true, rows: 0 });
}

test('j pressed as a project opens, before its rows are drawn, takes the first row once they are — unless the user did something else meanwhile', async ({
  browser,
  baseURL,
}) => {
  const ana = person('Ana', orgFor('early-j'), 'admin');
  await seedProject(baseURL!, ana, 'Launch', ['Book venue', 'Write copy']);
  await seedProject(baseURL!, ana, 'Garden', ['Plant bulbs', 'Rake leaves']);
  await seedProject(baseURL!, ana, 'Errands', ['Post a letter', 'Buy stamps']);
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await signIn(page, ana);
  await expectSynced(page);

  // Nothing else done: the first row has focus once it is drawn.
  await openPressingJ(page, 'Launch', 'nothing');
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  // j goes on from there.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Write copy')).toBeFocused();

  // A click since (focus stays on the heading clicked): the key is dropped.
  await openPressingJ(page, 'Garden', 'click the heading');
  await expect(taskTitle(page, 'Plant bulbs')).toBeVisible();
  await expect(page.locator('#project-heading')).toBeFocused();
  // j now starts at the first row, as from anywhere.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Plant bulbs')).toBeFocused();

  // Gone on to a field: it keeps focus, and what is typed there stays there.
  await openPressingJ(page, 'Errands', 'focus the new task field');
  await expect(taskTitle(page, 'Post a letter')).toBeVisible();
  const field = page.getByLabel('New task title');
  await expect(field).toBeFocused();
  await page.keyboard.type('Call');
  await expect(field).toHaveValue('Call');
  await context.close();
});

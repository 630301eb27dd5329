import { expect, test, type Page } from '@playwright/test';
import {
  createProject,
  DESKTOP,
  expectAccessible,
  expectSynced,
  newPhone,
  openTask,
  orgFor,
  person,
  PHONE,
  screenshot,
  signIn,
  taskList,
  taskTitle,
} from './helpers';

/** `YYYY-MM-DD` in the page's time zone, `days` from today. */
const dayFromToday = (page: Page, days: number) =>
  page.evaluate((n) => {
    const d = new Date();
    d.setDate(d.getDate() + n);
    const pad = (x: number) => String(x).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }, days);

/** The row of a task in the list (its title, chips and assignee mark). */
const row = (page: Page, title: string) =>
  taskList(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: title, exact: true }) });

for (const [width, viewport] of [
  ['360', undefined],
  ['1280', DESKTOP],
] as const) {
  test(`quick add reads a due date and an @name from the title, previews them, and adds the task with both (${width} px)`, async ({
    browser,
  }) => {
    const org = orgFor(`quick-add-${width}`);
    const ana = await newPhone(browser, viewport ? { viewport } : {});
    const ben = await newPhone(browser);
    await signIn(ana.page, person('Ana', org, 'admin'));
    await signIn(ben.page, person('Ben', org, 'member'));
    await ben.context.close();
    const page = ana.page;
    await createProject(page, 'Errands');
    const field = page.getByLabel('New task title');

    await field.click();
    await page.keyboard.type('Call the bank tomorrow @b');
    // Typing @ opens the people it could be; Escape closes only that list.
    const list = page.getByRole('listbox', { name: 'Assign to' });
    await expect(list.getByRole('option', { name: /^Ben/ })).toBeVisible();
    await expect(field).toHaveAttribute('aria-expanded', 'true');
    await screenshot(page, `quick-add-${width}-suggestions`);
    await expectAccessible(page, 'quick add, suggestions open');
    await field.press('Escape');
    await expect(list).toHaveCount(0);
    await expect(field).toHaveValue('Call the bank tomorrow @b');
    await expect(field).toBeFocused();
    // Typing on opens it again; Enter picks the highlighted person, and does not add yet.
    await page.keyboard.type('e');
    await expect(list.getByRole('option', { name: /^Ben/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await field.press('Enter');
    await expect(list).toHaveCount(0);
    await expect(field).toHaveValue('Call the bank tomorrow @Ben ');

    // The preview: the title as it will be, when it is due, who it is for.
    const preview = page.locator('.quick-add-preview');
    await expect(preview).toContainText('Call the bank');
    await expect(preview).toContainText('Due tomorrow');
    await expect(preview).toContainText('Assigned to Ben');
    // The field's description says it in words (not the names of the preview's buttons).
    await expect(field).toHaveAccessibleDescription('Due tomorrow. Assigned to Ben.');
    await screenshot(page, `quick-add-${width}-preview`);
    await expectAccessible(page, 'quick add, preview');

    await field.press('Enter');
    await expect(field).toHaveValue('');
    await expect(field).toBeFocused();
    await expect(preview).toHaveCount(0);
    const added = row(page, 'Call the bank');
    await expect(added.getByText('Tomorrow')).toBeVisible();
    await expect(added.getByRole('img', { name: 'Assigned to Ben' })).toBeVisible();
    await screenshot(page, `quick-add-${width}-added`);

    const detail = await openTask(page, 'Call the bank');
    await expect(detail.getByLabel('Due date')).toHaveValue(await dayFromToday(page, 1));
    await expect(detail.getByLabel('Assignee').locator('option:checked')).toHaveText('Ben');
    await expectSynced(page);
    await ana.context.close();
  });
}

test('quick add: a recognised word kept as text with its × or Backspace, an unknown @name left as text, offline', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('quick-add-keep'), 'admin'));
  await createProject(page, 'Drills');
  const field = page.getByLabel('New task title');
  const preview = page.locator('.quick-add-preview');
  // The field hints at it, whole on a phone.
  await expect(field).toHaveAttribute('placeholder', 'Add a task (fri, @name)');
  await context.setOffline(true);

  // The chip's ×: the word goes back into the title.
  await field.fill('Plan the Monday meeting');
  await expect(preview).toContainText('Plan the meeting');
  await expect(preview).toContainText('Due Mon');
  await page.getByRole('button', { name: 'Keep “Monday” as text, not a due date' }).click();
  await expect(preview).toHaveCount(0);
  await expect(field).toBeFocused();
  await field.press('Enter');
  await expect(taskTitle(page, 'Plan the Monday meeting')).toBeVisible();
  await expect(row(page, 'Plan the Monday meeting').locator('.chip.due')).toHaveCount(0);

  // Backspace right after the words keeps them; the next one deletes as usual.
  await page.keyboard.type('Water the plants today');
  await expect(preview).toContainText('Due today');
  await page.keyboard.press('Backspace');
  await expect(preview).toHaveCount(0);
  await expect(field).toHaveValue('Water the plants today');
  await page.keyboard.press('Enter');
  await expect(taskTitle(page, 'Water the plants today')).toBeVisible();
  await expect(row(page, 'Water the plants today').locator('.chip.due')).toHaveCount(0);

  // Nobody by that name: not guessed, it stays in the title, and the preview says so.
  await page.keyboard.type('Ask @zed about drills ');
  await expect(preview).toContainText('No one here is called “@zed”: it stays text.');
  await screenshot(page, 'quick-add-360-unknown-name');
  await page.keyboard.press('Enter');
  await expect(taskTitle(page, 'Ask @zed about drills')).toBeVisible();
  await expect(row(page, 'Ask @zed about drills').locator('.avatar')).toHaveCount(0);

  // @me is you, said as the pickers say it. Typed in full, it leaves nothing to pick from the
  // people open under it: Enter adds the task (Tab still picks).
  const people = page.getByRole('listbox', { name: 'Assign to' });
  await page.keyboard.type('Stretch @me');
  await expect(people.getByRole('option', { name: /^Ana \(you\)/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(preview).toContainText('Assigned to Ana (you)');
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue('');
  await expect(row(page, 'Stretch').getByRole('img', { name: 'Assigned to Ana' })).toBeVisible();
  await page.keyboard.type('Walk @me');
  await expect(people).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(field).toHaveValue('Walk @Ana ');
  await expect(field).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row(page, 'Walk').getByRole('img', { name: 'Assigned to Ana' })).toBeVisible();

  // Escape backs out of the title, with nothing added; focus stays for the next one.
  await page.keyboard.type('Half a thought fri');
  await page.keyboard.press('Escape');
  await expect(field).toHaveValue('');
  await expect(field).toBeFocused();
  await expect(preview).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'To do (5)' })).toBeVisible();
  await context.setOffline(false);
  await expectSynced(page);
  await context.close();
});

test('Escape in the empty “Add a task…” field goes back to the row the keyboard was on, else to the list, where j takes the first row; in an empty project, to its empty line', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, person('Ana', orgFor('quick-add-escape'), 'admin'));
  await createProject(page, 'Errands');
  const field = page.getByLabel('New task title');
  await field.click();
  for (const title of ['Bank', 'Post', 'Shop']) {
    await page.keyboard.type(title);
    await page.keyboard.press('Enter');
  }
  await expect(taskTitle(page, 'Shop')).toBeVisible();

  // No row was focused: the list takes focus, with no row designated; j takes the first.
  await expect(field).toHaveValue('');
  await field.press('Escape');
  await expect(taskList(page)).toBeFocused();
  await screenshot(page, 'quick-add-escape-list-1280');
  await page.setViewportSize(PHONE);
  await expect(taskList(page)).toBeFocused();
  await screenshot(page, 'quick-add-escape-list-360');
  await page.setViewportSize(DESKTOP);
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Bank')).toBeFocused();

  // From a row, c opens the field; Escape goes back to that row, and j goes on from it.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Post')).toBeFocused();
  await page.keyboard.press('c');
  await expect(field).toBeFocused();
  await field.press('Escape');
  await expect(taskTitle(page, 'Post')).toBeFocused();
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Shop')).toBeFocused();

  // A project without tasks has no list: its empty line takes focus.
  await createProject(page, 'Garden');
  await field.click();
  await field.press('Escape');
  await expect(page.getByText('No tasks yet.')).toBeFocused();
  await context.close();
});

import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import {
  DESKTOP,
  devToken,
  expectAccessible,
  expectNoHorizontalScroll,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  screenshot,
  seedProject,
  signIn,
  signInEach,
  taskList,
  taskTitle,
  countPickers,
} from './helpers';

const TITLES = [
  'Book venue',
  'Write copy',
  'Print flyers',
  'Order badges',
  'Hire band',
  'Send invites',
];

/** A task's row (the grid's row, which says whether it is selected). */
const row = (page: Page, title: string) =>
  taskList(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: title, exact: true }) });
const bar = (page: Page) => page.getByRole('toolbar', { name: 'Selected tasks' });
/** What makes a select look as it does (its width aside). */
const selectLook = (select: Locator) =>
  select.evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      background: s.backgroundColor,
      color: s.color,
      border: `${s.borderWidth} ${s.borderStyle} ${s.borderColor}`,
      radius: s.borderRadius,
      padding: s.padding,
      minHeight: s.minHeight,
      font: `${s.fontSize} ${s.fontWeight}`,
      colorScheme: s.colorScheme,
    };
  });

/** Ana (admin, at 1280 px) and Ben (member, on a phone) in one org, both on the seeded Launch. */
async function launchForTwo(browser: Browser, baseURL: string, name: string) {
  const org = orgFor(name);
  const ana = person('Ana', org, 'admin');
  await seedProject(baseURL, ana, 'Launch', TITLES);
  const [a, b] = await Promise.all([newPhone(browser, { viewport: DESKTOP }), newPhone(browser)]);
  await signInEach([a.page, ana], [b.page, person('Ben', org, 'member')]);
  await Promise.all([openProject(a.page, 'Launch'), openProject(b.page, 'Launch')]);
  return { a, b };
}

test('rows are selected with Shift+click and with the keyboard, moved to another project as one action with one Undo, and completed at once; a teammate sees each', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('bulk');
  const ana = person('Ana', org, 'admin');
  await Promise.all([
    seedProject(baseURL!, ana, 'Launch', TITLES),
    seedProject(baseURL!, ana, 'Website', []),
  ]);
  const [a, b] = await Promise.all([newPhone(browser, { viewport: DESKTOP }), newPhone(browser)]);
  await signInEach([a.page, ana], [b.page, person('Ben', org, 'member')]);
  await Promise.all([openProject(b.page, 'Website'), openProject(a.page, 'Launch')]);
  const page = a.page;

  // Ctrl+click picks one row (the detail stays shut), Shift+click the range up to another.
  await taskTitle(page, 'Write copy').click({ modifiers: ['ControlOrMeta'] });
  await taskTitle(page, 'Order badges').click({ modifiers: ['Shift'] });
  await expect(page.getByRole('complementary', { name: 'Task' })).toHaveCount(0);
  for (const t of ['Write copy', 'Print flyers', 'Order badges'])
    await expect(row(page, t)).toHaveAttribute('aria-selected', 'true');
  for (const t of ['Book venue', 'Hire band'])
    await expect(row(page, t)).toHaveAttribute('aria-selected', 'false');
  await expect(bar(page)).toContainText('3 selected');
  await expect(page.getByRole('status').filter({ hasText: '3 selected' })).toBeAttached();
  await expectAccessible(page, 'bulk bar 1280');
  await screenshot(page, 'bulk-selected-1280');

  // Moved as one action: one toast, the rows gone here and arrived at Ben's, live.
  await bar(page).getByLabel('Move the selected tasks to another project').selectOption('Website');
  await expect(page.getByText('Moved 3 tasks to “Website”')).toBeVisible();
  for (const t of ['Write copy', 'Print flyers', 'Order badges']) {
    await expect(taskTitle(page, t)).toHaveCount(0);
    await expect(taskTitle(b.page, t)).toBeVisible();
  }
  await expect(bar(page)).toHaveCount(0);
  await expect(taskTitle(page, 'Hire band')).toBeFocused();

  // One Undo brings all three back (and leaves Ben's Website), not selected: they left the list.
  await page.getByRole('button', { name: 'Undo' }).click();
  for (const t of ['Write copy', 'Print flyers', 'Order badges']) {
    await expect(taskTitle(page, t)).toBeVisible();
    await expect(taskTitle(b.page, t)).toHaveCount(0);
    await expect(row(page, t)).toHaveAttribute('aria-selected', 'false');
  }
  await expect(bar(page)).toHaveCount(0);
  // Escape clears the selection first.
  await taskTitle(page, 'Write copy').click({ modifiers: ['ControlOrMeta'] });
  await taskTitle(page, 'Print flyers').click({ modifiers: ['ControlOrMeta'] });
  await expect(bar(page)).toContainText('2 selected');
  await page.keyboard.press('Escape');
  await expect(bar(page)).toHaveCount(0);
  await expect(taskList(page).locator('[aria-selected="true"]')).toHaveCount(0);

  // The keyboard: j to the first row, Shift+j twice, Shift+k back once, Space adds another.
  await taskTitle(page, 'Book venue').focus();
  await page.keyboard.press('Shift+J');
  await page.keyboard.press('Shift+J');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+K');
  await expect(bar(page)).toContainText('3 selected');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('Space');
  await expect(bar(page)).toContainText('4 selected');
  for (const t of ['Book venue', 'Write copy', 'Print flyers', 'Hire band'])
    await expect(row(page, t)).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, 'Order badges')).toHaveAttribute('aria-selected', 'false');

  // Completed at once: they leave for the folded Completed section, one toast says so.
  await bar(page).getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(page.getByText('Completed 4 tasks')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Completed (4)' })).toBeVisible();
  await expect(taskTitle(page, 'Order badges')).toBeVisible();
  await expect(taskTitle(page, 'Hire band')).toHaveCount(0);
  await expect(bar(page)).toHaveCount(0);
  await expectSynced(page);
  // Ben's device has them done too.
  await openProject(b.page, 'Launch');
  await expect(b.page.getByRole('button', { name: 'Completed (4)' })).toBeVisible();
  await expect(taskTitle(b.page, 'Order badges')).toBeVisible();
  await expect(taskTitle(b.page, 'Send invites')).toBeVisible();
  await expect(taskTitle(b.page, 'Book venue')).toHaveCount(0);

  // Ctrl+A selects the rows shown: with a search, only its results.
  await page.getByRole('searchbox', { name: 'Search tasks' }).fill('send');
  await expect(page.getByText('1 matching task')).toBeVisible();
  await taskTitle(page, 'Send invites').focus();
  await page.keyboard.press('ControlOrMeta+A');
  await expect(bar(page)).toContainText('1 selected');
  await page.getByRole('searchbox', { name: 'Search tasks' }).fill('');
  await expect(taskTitle(page, 'Order badges')).toBeVisible();
  await expect(bar(page)).toContainText('1 selected');
  // Escape in the search field is the field's (it leaves it); on the list, it clears.
  await page.keyboard.press('Escape');
  await expect(bar(page)).toContainText('1 selected');
  await page.keyboard.press('Escape');
  await expect(bar(page)).toHaveCount(0);

  // The shortcuts' help lists the selecting keys.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Select every task shown');
  await expect(help).toContainText('Select down or up from the task');

  await a.context.close();
  await b.context.close();
});

test('on a phone, Select shows a box per row: picked rows are assigned, given a due date and deleted (after asking, with Undo) as one action each', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const org = orgFor('bulk-phone');
  const ana = person('Ana', org, 'admin');
  await seedProject(baseURL!, ana, 'Launch', TITLES);
  // Ben is a member (someone to assign to) without opening the app.
  await devToken(baseURL!, person('Ben', org, 'member'));
  const { context, page } = await newPhone(browser);
  await signIn(page, ana);
  await openProject(page, 'Launch');

  await page.getByRole('button', { name: 'Select', exact: true }).click();
  await expect(bar(page)).toContainText('Select tasks');
  // A tap on a title (or its box) selects instead of opening.
  await taskTitle(page, 'Print flyers').click();
  await page.getByRole('checkbox', { name: 'Select “Hire band”' }).check();
  await expect(bar(page)).toContainText('2 selected');
  await expect(page.getByRole('complementary', { name: 'Task' })).toHaveCount(0);
  await expectNoHorizontalScroll(page, 'bulk bar 360');
  await expectAccessible(page, 'bulk bar 360');
  await screenshot(page, 'bulk-selected-360');
  // The bar's selects look as the filters' do (colours, border, size, a phone's tap target),
  // in dark mode as in light.
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    const filter = await selectLook(page.getByLabel('Status', { exact: true }));
    for (const label of ['Set the status of the selected tasks', 'Assign the selected tasks'])
      expect({ label, ...(await selectLook(bar(page).getByLabel(label))) }).toEqual({
        label,
        ...filter,
      });
    if (colorScheme === 'dark') await screenshot(page, 'bulk-selected-360-dark');
  }

  await bar(page).getByLabel('Assign the selected tasks').selectOption({ label: 'Ben' });
  await expect(page.getByText('Assigned 2 tasks to Ben')).toBeVisible();
  for (const t of ['Print flyers', 'Hire band'])
    await expect(row(page, t).getByRole('img', { name: 'Assigned to Ben' })).toBeVisible();
  await expect(row(page, 'Book venue').getByRole('img', { name: 'Assigned to Ben' })).toHaveCount(
    0,
  );

  await bar(page).getByRole('button', { name: 'Due date…' }).click();
  await bar(page).getByLabel('Due').fill('2031-03-14');
  await expect(page.getByText('Set 2 tasks due Mar 14, 2031')).toBeVisible();
  await expect(row(page, 'Hire band')).toContainText('Mar 14, 2031');

  await bar(page).getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete 2 tasks?' });
  await expect(dialog).toBeVisible();
  await screenshot(page, 'bulk-delete-360');
  await dialog.getByRole('button', { name: 'Delete 2 tasks' }).click();
  await expect(page.getByText('Deleted 2 tasks')).toBeVisible();
  await expect(taskTitle(page, 'Print flyers')).toHaveCount(0);
  await expect(taskTitle(page, 'Hire band')).toHaveCount(0);
  // Its own toast's Undo (the assignment's and the date's are still up).
  await page
    .locator('.toast')
    .filter({ hasText: 'Deleted 2 tasks' })
    .getByRole('button', { name: 'Undo' })
    .click();
  await expect(taskTitle(page, 'Print flyers')).toBeVisible();
  await expect(taskTitle(page, 'Hire band')).toBeVisible();

  // Completing is one tap on a phone too: Complete shares the count's line, above the rest.
  await taskTitle(page, 'Print flyers').click();
  await taskTitle(page, 'Order badges').click();
  await expect(bar(page)).toContainText('2 selected');
  const markDone = bar(page).getByRole('button', { name: 'Complete', exact: true });
  const [count, quick] = await Promise.all([
    bar(page).getByText('2 selected').boundingBox(),
    markDone.boundingBox(),
  ]);
  expect(Math.abs(count!.y + count!.height / 2 - (quick!.y + quick!.height / 2))).toBeLessThan(4);
  expect(quick!.height).toBeGreaterThanOrEqual(40);
  await expectNoHorizontalScroll(page, 'bulk bar 360, Complete');
  await screenshot(page, 'bulk-mark-done-360');
  await markDone.click();
  await expect(page.getByText('Completed 2 tasks')).toBeVisible();
  await expect(taskTitle(page, 'Order badges')).toHaveCount(0);

  // Done leaves picking: a tap opens a task again.
  await page.getByRole('button', { name: 'Done', exact: true }).click();
  await expect(bar(page)).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: 'Complete “Hire band”' })).toBeVisible();
  await context.close();
});

test('the status choice sets To do, In progress or Completed on every selected task as one action, and one Undo puts back each one’s own; a teammate sees both live', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const { a, b } = await launchForTwo(browser, baseURL!, 'bulk-status');
  const page = a.page;
  const status = bar(page).getByLabel('Set the status of the selected tasks');
  // Each section's heading, then its rows, in the list's order.
  const listed = (p: Page, texts: readonly (string | RegExp)[]) =>
    expect(taskList(p).getByRole('row')).toHaveText(texts.map((t) => new RegExp(t)));

  // Two to do, set In progress: one toast; they are under In progress here and at Ben's, live,
  // and still selected (they are still shown).
  await taskTitle(page, 'Book venue').click({ modifiers: ['ControlOrMeta'] });
  await taskTitle(page, 'Write copy').click({ modifiers: ['ControlOrMeta'] });
  await status.selectOption('In progress');
  await expect(page.getByText('Set 2 tasks to In progress')).toBeVisible();
  const after = [
    /In progress \(2\)/,
    'Book venue',
    'Write copy',
    /To do \(4\)/,
    'Print flyers',
    'Order badges',
    'Hire band',
    'Send invites',
  ];
  await listed(page, after);
  await listed(b.page, after);
  await expect(bar(page)).toContainText('2 selected');

  // One more, to do: the three set Completed (one toast) leave for the folded Completed section.
  await taskTitle(page, 'Print flyers').click({ modifiers: ['ControlOrMeta'] });
  await expect(bar(page)).toContainText('3 selected');
  await status.selectOption('Completed');
  await expect(page.getByText('Completed 3 tasks')).toBeVisible();
  const done = [/To do \(3\)/, 'Order badges', 'Hire band', 'Send invites', /Completed \(3\)/];
  await listed(page, done);
  await listed(b.page, done);

  // Its one Undo puts each back to its own status: two in progress, one to do, at Ben's too.
  await page
    .locator('.toast')
    .filter({ hasText: 'Completed 3 tasks' })
    .getByRole('button', { name: 'Undo' })
    .click();
  await listed(page, after);
  await listed(b.page, after);
  await expectSynced(page);

  await a.context.close();
  await b.context.close();
});

test('a selected row that leaves the list (a teammate completes it, a search filters it out) leaves the selection, and comes back unselected', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const { a, b } = await launchForTwo(browser, baseURL!, 'bulk-leave');
  const page = a.page;
  await taskTitle(page, 'Book venue').click({ modifiers: ['ControlOrMeta'] });
  await taskTitle(page, 'Write copy').click({ modifiers: ['ControlOrMeta'] });
  await expect(bar(page)).toContainText('2 selected');

  // Ben completes one (it goes into Ana's folded Completed section) and takes it back with Undo.
  await b.page.getByRole('checkbox', { name: 'Complete “Write copy”' }).click();
  await expect(taskTitle(page, 'Write copy')).toHaveCount(0);
  await expect(bar(page)).toContainText('1 selected');
  await b.page.getByRole('button', { name: 'Undo' }).click();
  await expect(taskTitle(page, 'Write copy')).toBeVisible();
  await expect(row(page, 'Write copy')).toHaveAttribute('aria-selected', 'false');
  await expect(row(page, 'Book venue')).toHaveAttribute('aria-selected', 'true');
  await expect(bar(page)).toContainText('1 selected');

  // A search that filters the other one out: the selection is empty, and stays so once it shows.
  const search = page.getByRole('searchbox', { name: 'Search tasks' });
  await search.fill('copy');
  await expect(page.getByText('1 matching task')).toBeVisible();
  await expect(bar(page)).toHaveCount(0);
  await search.fill('');
  await expect(taskTitle(page, 'Book venue')).toBeVisible();
  await expect(row(page, 'Book venue')).toHaveAttribute('aria-selected', 'false');
  await expect(taskList(page).locator('[aria-selected="true"]')).toHaveCount(0);
  await expect(bar(page)).toHaveCount(0);

  await a.context.close();
  await b.context.close();
});

/** Ana at 1280 px on the seeded Launch, with Ben (a member) to assign to; pickers counted. */
async function launchWithKeys(browser: Browser, baseURL: string, name: string) {
  const org = orgFor(name);
  const ana = person('Ana', org, 'admin');
  await seedProject(baseURL, ana, 'Launch', TITLES);
  await devToken(baseURL, person('Ben', org, 'member'));
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, ana);
  await openProject(page, 'Launch');
  await expect(taskTitle(page, 'Send invites')).toBeVisible();
  return { context, page, pickers: await countPickers(page), org };
}

test('with no task open, s sets the status of the task the cursor is on through the bar (one toast, one Undo), after the j keys typed before it', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const { context, page, pickers } = await launchWithKeys(browser, baseURL!, 'bulk-key-s');
  const status = bar(page).getByLabel('Set the status of the selected tasks');

  // Typed at once: s waits for the two j's, so it acts on the second row.
  await page.keyboard.type('jjs');
  await expect(status).toBeFocused();
  await expect(bar(page)).toContainText('1 selected');
  await expect(row(page, 'Write copy')).toHaveAttribute('aria-selected', 'true');
  await expect.poll(pickers).toBe(1);
  await screenshot(page, 'bulk-key-s-1280');
  // Chosen by keyboard (the select's own type-ahead): one write, its toast offers Undo.
  await page.keyboard.press('i');
  await expect(page.getByText('Set “Write copy” to In progress')).toBeVisible();
  const listed = (texts: readonly (string | RegExp)[]) =>
    expect(taskList(page).getByRole('row')).toHaveText(texts.map((t) => new RegExp(t)));
  await listed([
    /In progress \(1\)/,
    'Write copy',
    /To do \(5\)/,
    ...TITLES.filter((t) => t !== 'Write copy'),
  ]);
  // The keys are back on the list, on the row (now In progress), its key-made selection gone.
  await expect(taskTitle(page, 'Write copy')).toBeFocused();
  await expect(bar(page)).toHaveCount(0);
  await page.keyboard.press('j');
  await expect(taskTitle(page, TITLES[0]!)).toBeFocused();
  await page
    .locator('.toast')
    .filter({ hasText: 'Set “Write copy” to In progress' })
    .getByRole('button', { name: 'Undo' })
    .click();
  await listed([/To do \(6\)/, ...TITLES]);

  // The help says the keys act on the task you are on too.
  await taskTitle(page, 'Book venue').focus();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText(
    'Set the status of the open task, the selected tasks or the task you are on',
  );
  await context.close();
});

test('with no task open, a assigns every selected task through the bar, and s then Escape changes nothing', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const { context, page, pickers } = await launchWithKeys(browser, baseURL!, 'bulk-key-a');

  // Three rows selected with Shift+j, then a: Ben chosen by keyboard, all three are his.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  await page.keyboard.press('Shift+J');
  await page.keyboard.press('Shift+J');
  await expect(bar(page)).toContainText('3 selected');
  await page.keyboard.press('a');
  const assign = bar(page).getByLabel('Assign the selected tasks');
  await expect(assign).toBeFocused();
  await expect.poll(pickers).toBe(1);
  await page.keyboard.press('b');
  await expect(page.getByText('Assigned 3 tasks to Ben')).toBeVisible();
  for (const t of ['Book venue', 'Write copy', 'Print flyers'])
    await expect(row(page, t).getByRole('img', { name: 'Assigned to Ben' })).toBeVisible();
  await expect(row(page, 'Order badges').getByRole('img', { name: 'Assigned to Ben' })).toHaveCount(
    0,
  );
  // The keys are back on the list, on the cursor's row; the selection the user made stays.
  await expect(taskTitle(page, 'Print flyers')).toBeFocused();
  await expect(bar(page)).toContainText('3 selected');
  // Escape on the list clears the selection, as before.
  await page.keyboard.press('Escape');
  await expect(bar(page)).toHaveCount(0);

  // s then Escape: the picker backs out, the row the key selected is let go, focus is back on
  // it, and nothing was written.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Order badges')).toBeFocused();
  await page.keyboard.press('s');
  await expect(bar(page).getByLabel('Set the status of the selected tasks')).toBeFocused();
  await expect(bar(page)).toContainText('1 selected');
  await page.keyboard.press('Escape');
  await expect(bar(page)).toHaveCount(0);
  await expect(taskTitle(page, 'Order badges')).toBeFocused();
  await expect(taskList(page).getByRole('row')).toHaveText(
    [/To do \(6\)/, ...TITLES].map((t) => new RegExp(t)),
  );
  await expect(page.locator('.toast').filter({ hasText: /Order badges/ })).toHaveCount(0);
  // d opens the bar's due date field for it the same way, and Escape backs out of it too.
  await page.keyboard.press('d');
  await expect(bar(page).getByLabel('Due')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(bar(page)).toHaveCount(0);
  await expect(taskTitle(page, 'Order badges')).toBeFocused();
  await expect(row(page, 'Order badges')).not.toContainText('Due');
  // p with no other active project to move to: nothing opens, nothing stays selected, and a
  // toast says why the key did nothing.
  await page.keyboard.press('p');
  await expect(taskTitle(page, 'Order badges')).toBeFocused();
  await expect(bar(page)).toHaveCount(0);
  await expect(
    page.locator('.toast').filter({ hasText: 'There is no other active project to move to.' }),
  ).toBeVisible();
  await context.close();
});

test('Delete or Backspace deletes the task you are on, the selected tasks or the open task, asked first, with one Undo; Escape keeps them', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const { context, page, org } = await launchWithKeys(browser, baseURL!, 'bulk-key-delete');
  const ask = page.getByRole('alertdialog');

  // A member may not delete tasks: the key deletes nothing and says why, and ? does not list it
  // to them.
  const ben = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ben.page, person('Ben', org, 'member'));
  await openProject(ben.page, 'Launch');
  await expect(taskTitle(ben.page, 'Send invites')).toBeVisible();
  await ben.page.keyboard.press('j');
  await expect(taskTitle(ben.page, 'Book venue')).toBeFocused();
  await ben.page.keyboard.press('Delete');
  await expect(bar(ben.page)).toHaveCount(0);
  await expect(ben.page.getByRole('alertdialog')).toHaveCount(0);
  await expect(taskTitle(ben.page, 'Book venue')).toBeFocused();
  const why = ben.page
    .locator('.toast')
    .filter({ hasText: 'Only admins and managers delete tasks.' });
  await expect(why).toBeVisible();
  await expect(taskTitle(ben.page, 'Book venue')).toBeVisible();
  // The open task's Backspace says the same.
  await why.getByRole('button', { name: 'Dismiss' }).click();
  await expect(why).toHaveCount(0);
  await openTask(ben.page, 'Book venue');
  await ben.page.keyboard.press('Backspace');
  await expect(ben.page.getByRole('alertdialog')).toHaveCount(0);
  await expect(why).toBeVisible();
  await ben.page.keyboard.press('Escape');
  await ben.page.keyboard.press('?');
  const help = ben.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Move the open task');
  await expect(help).not.toContainText('Delete the open task');
  await ben.context.close();

  // The task the cursor is on: asked first; Escape keeps it and the keys go back to its row.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  await page.keyboard.press('Delete');
  await expect(ask).toContainText('Delete “Book venue”?');
  await page.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await expect(bar(page)).toHaveCount(0);
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  // Asked again and confirmed: gone, focus on the row in its place.
  await page.keyboard.press('Delete');
  await ask.getByRole('button', { name: 'Delete task' }).click();
  await expect(taskTitle(page, 'Book venue')).toHaveCount(0);
  await expect(page.getByText('Deleted “Book venue”')).toBeVisible();
  await expect(taskTitle(page, 'Write copy')).toBeFocused();

  // Three selected with Shift+j, then Backspace (a Mac's delete key): one question, one Undo.
  await page.keyboard.press('Shift+J');
  await page.keyboard.press('Shift+J');
  await expect(bar(page)).toContainText('3 selected');
  await page.keyboard.press('Backspace');
  await ask.getByRole('button', { name: 'Delete 3 tasks' }).click();
  for (const t of ['Write copy', 'Print flyers', 'Order badges'])
    await expect(taskTitle(page, t)).toHaveCount(0);
  await expect(taskTitle(page, 'Hire band')).toBeFocused();
  await page.keyboard.press('Control+z');
  await expect(taskTitle(page, 'Order badges')).toBeVisible();
  await expect(taskTitle(page, 'Write copy')).toBeVisible();

  // The open task (focus outside its fields): asked, then deleted and its panel closed.
  await taskTitle(page, 'Hire band').focus();
  await page.keyboard.press('Enter');
  const detail = page.getByRole('complementary', { name: 'Task' });
  await expect(detail.getByLabel('Title')).toHaveValue('Hire band');
  await page.keyboard.press('Backspace');
  await expect(ask).toContainText('Delete “Hire band”?');
  await ask.getByRole('button', { name: 'Delete task' }).click();
  await expect(detail).toHaveCount(0);
  await expect(taskTitle(page, 'Hire band')).toHaveCount(0);
  await expect(taskTitle(page, 'Send invites')).toBeFocused();
  // In a field, Backspace only types.
  await detailTitleKeepsBackspace(page);
  await context.close();
});

test('s, Escape, a on the list: the Escape that closes the status list puts the keys back on the row, and the first a opens the assignee list', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('bulk-escape-then-a');
  await seedProject(baseURL!, person('Ana', org, 'admin'), 'Launch', TITLES);
  // The real lists open here: Escape in an open list closes the list, the page sees its keyup.
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, person('Ana', org, 'admin'));
  await openProject(page, 'Launch');
  await expect(taskTitle(page, 'Send invites')).toBeVisible();
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  await page.keyboard.press('s');
  await expect(bar(page).getByLabel('Set the status of the selected tasks')).toBeFocused();
  await page.keyboard.press('Escape');
  // One Escape: the bar gone, the row has the keys (before, focus stayed on the select).
  await expect(bar(page)).toHaveCount(0);
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  // The first a opens the assignee list (before, it only backed out, and a second a was needed).
  await page.keyboard.press('a');
  await expect(bar(page).getByLabel('Assign the selected tasks')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(bar(page)).toHaveCount(0);
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  // j goes on from the row at once.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Write copy')).toBeFocused();
  await expect(page.locator('.toast')).toHaveCount(0);
  await context.close();
});

/** Backspace in the open task's title edits it: no question, nothing deleted. */
async function detailTitleKeepsBackspace(page: Page) {
  await page.keyboard.press('Enter');
  const title = page.getByRole('complementary', { name: 'Task' }).getByLabel('Title');
  await expect(title).toHaveValue('Send invites');
  await title.click();
  await title.press('End');
  await title.press('Backspace');
  await expect(title).toHaveValue('Send invite');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
}

test('after s and Escape a letter picks no status: c does not complete the task — on the list it is the list’s c again (New task); in the open task the keys are the panel’s again (a opens the assignee)', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('bulk-key-after-escape');
  await seedProject(baseURL!, person('Ana', org, 'admin'), 'Launch', TITLES);
  // The real lists open here (no countPickers): Escape in an open list closes only the list.
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signIn(page, person('Ana', org, 'admin'));
  await openProject(page, 'Launch');
  await expect(taskTitle(page, 'Send invites')).toBeVisible();
  const completed = page.getByRole('button', { name: /^Completed/ });

  // The list: s on Book venue, Escape, then c (the select's type-ahead would pick Completed).
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  await page.keyboard.press('s');
  await expect(bar(page).getByLabel('Set the status of the selected tasks')).toBeFocused();
  await page.keyboard.press('Escape');
  // Backed out at the Escape: the bar gone, the keys back on the row, nothing written.
  await expect(bar(page)).toHaveCount(0);
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  // So c is the list's own: New task, no status picked.
  await page.keyboard.press('c');
  await expect(page.getByLabel('New task title')).toBeFocused();
  await taskTitle(page, 'Book venue').focus();
  // The next key acts on the list again.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Write copy')).toBeFocused();
  await page.keyboard.press('k');

  // The open task: s, Escape puts the keys back on the panel at once, so the first a opens the
  // assignee list (it landed on the closed status list, and only backed out); its status is
  // still To do.
  await page.keyboard.press('Enter');
  const detail = page.getByRole('complementary', { name: 'Task' });
  await expect(detail.getByLabel('Title')).toHaveValue('Book venue');
  await page.keyboard.press('s');
  await expect(detail.getByLabel('Status')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(detail.getByRole('heading', { name: 'Task' })).toBeFocused();
  await page.keyboard.press('a');
  await expect(detail.getByLabel('Assignee')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(detail.getByRole('heading', { name: 'Task' })).toBeFocused();
  await expect(detail.getByLabel('Status')).toHaveValue('todo');
  await expect(page.locator('.toast')).toHaveCount(0);
  await expect(completed).toHaveCount(0);
  await expect(taskList(page).getByRole('row')).toHaveText(
    [/To do \(6\)/, ...TITLES].map((t) => new RegExp(t)),
  );
  await context.close();
});

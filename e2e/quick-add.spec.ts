import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import {
  addTask,
  DESKTOP,
  expectAccessible,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  PHONE,
  screenshot,
  seedProject,
  signIn,
  signInEach,
  signInToProject,
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
    baseURL,
  }) => {
    const org = orgFor(`quick-add-${width}`);
    const anaWho = person('Ana', org, 'admin');
    const [ana, ben] = await Promise.all([
      newPhone(browser, viewport ? { viewport } : {}),
      newPhone(browser),
      seedProject(baseURL!, anaWho, 'Errands', []),
    ]);
    await signInEach([ana.page, anaWho], [ben.page, person('Ben', org, 'member')]);
    await ben.context.close();
    const page = ana.page;
    await openProject(page, 'Errands');
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

/**
 * Ana on a phone, in a new project "Errands" of an org whose `teammates` have each signed in
 * once (so quick add knows them as members).
 */
async function anaWithTeammates(browser: Browser, title: string, teammates: readonly string[]) {
  const org = orgFor(title);
  for (const name of teammates) {
    const other = await newPhone(browser);
    await signIn(other.page, person(name, org, 'member'));
    await other.context.close();
  }
  const phone = await newPhone(browser);
  await signInToProject(phone.page, person('Ana', org, 'admin'), 'Errands');
  return phone;
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The boxes of the suggestions, the field and each part of the preview, as drawn now. */
async function drawn(page: Page) {
  const box = async (l: Locator) => {
    const b = await l.boundingBox();
    if (!b) throw new Error(`not drawn: ${String(l)}`);
    return b;
  };
  const parts = page.locator('.quick-add-parts > *');
  return {
    list: await box(page.getByRole('listbox', { name: 'Assign to' })),
    field: await box(page.getByLabel('New task title')),
    parts: await Promise.all((await parts.all()).map(box)),
  };
}

test('quick add at 360 px: the @name suggestions cover neither the field nor the preview, also above a phone keyboard, and the keyboard still picks', async ({
  browser,
}) => {
  const { context, page } = await anaWithTeammates(browser, 'quick-add-suggestions-place', [
    'Ben',
    'Bea',
    'Bob',
  ]);
  const field = page.getByLabel('New task title');
  const list = page.getByRole('listbox', { name: 'Assign to' });
  const preview = page.locator('.quick-add-preview');
  const expectClear = async () => {
    const { list: l, field: f, parts } = await drawn(page);
    expect(parts.length).toBeGreaterThan(1);
    expect(overlaps(l, f), 'the list covers the field').toBe(false);
    for (const part of parts) expect(overlaps(l, part), 'the list covers the preview').toBe(false);
    return l;
  };

  await field.click();
  await page.keyboard.type('Call the bank about the mortgage tomorrow @b');
  await expect(list.getByRole('option')).toHaveCount(3);
  await expect(preview).toContainText('Due tomorrow');
  await expectClear();
  await screenshot(page, 'quick-add-360-suggestions-place');
  // The keyboard picks as before: ↓ to the second, Enter; the field keeps focus.
  await expect(field).toHaveAttribute('aria-activedescendant', /-0$/);
  await page.keyboard.press('ArrowDown');
  await expect(field).toHaveAttribute('aria-activedescendant', /-1$/);
  const second = (await list.getByRole('option').nth(1).locator('.mention-name').textContent())!;
  await page.keyboard.press('Enter');
  await expect(list).toHaveCount(0);
  await expect(field).toBeFocused();
  await expect(preview).toContainText(`Assigned to ${second}`);
  await page.keyboard.press('Escape');
  await expect(field).toHaveValue('');

  // An on-screen keyboard takes the window's bottom: the list opens above the field, in sight.
  await page.setViewportSize({ width: 360, height: 420 });
  await page.keyboard.type('Pay the rent fri @b');
  await expect(list.getByRole('option')).toHaveCount(3);
  const above = await expectClear();
  expect(above.y).toBeGreaterThanOrEqual(0);
  expect(above.y + above.height).toBeLessThanOrEqual(420);
  await screenshot(page, 'quick-add-360-suggestions-above-keyboard');
  await page.keyboard.press('ArrowUp');
  const last = (await list.getByRole('option').nth(2).locator('.mention-name').textContent())!;
  await page.keyboard.press('Tab');
  await expect(field).toHaveValue(`Pay the rent fri @${last} `);
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue('');
  await expect(
    row(page, 'Pay the rent').getByRole('img', { name: `Assigned to ${last}` }),
  ).toBeVisible();
  await context.close();
});

test('quick add at 360 px: while the @name suggestions are open the preview leaves the half-typed @word out of the title; closed, it shows the title Enter adds', async ({
  browser,
}) => {
  const { context, page } = await anaWithTeammates(browser, 'quick-add-open-word', ['Ben', 'Bea']);
  const field = page.getByLabel('New task title');
  const list = page.getByRole('listbox', { name: 'Assign to' });
  const title = page.locator('.quick-add-title');
  const note = page.locator('.quick-add-note');

  await field.click();
  await page.keyboard.type('Call the bank fri @b');
  await expect(list.getByRole('option')).toHaveCount(2);
  // Enter picks a person now: the title reads as it will once one is picked.
  await expect(title).toHaveText('Call the bank');
  await expect(page.locator('.quick-add-part', { hasText: 'Due' })).toBeVisible();
  await expect(note).toHaveCount(0);
  await screenshot(page, 'quick-add-360-open-word');
  // Escape closes the list: the @b stays text, in the title Enter adds, and the note says why.
  await page.keyboard.press('Escape');
  await expect(list).toHaveCount(0);
  await expect(title).toHaveText('Call the bank @b');
  await expect(note).toContainText('“@b” could be');
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue('');
  await expect(taskTitle(page, 'Call the bank @b')).toBeVisible();

  // The caret moved away from the @word closes the list too.
  await page.keyboard.type('Pay the rent fri @b');
  await expect(list.getByRole('option')).toHaveCount(2);
  await expect(title).toHaveText('Pay the rent');
  await page.keyboard.press('Home');
  await expect(list).toHaveCount(0);
  await expect(title).toHaveText('Pay the rent @b');
  await context.close();
});

test('quick add at 360 px: with the suggestions open on an @name before another, the preview shows the task Enter will add', async ({
  browser,
}) => {
  const { context, page } = await anaWithTeammates(browser, 'quick-add-two-names', ['Ben']);
  const field = page.getByLabel('New task title');
  const list = page.getByRole('listbox', { name: 'Assign to' });
  const title = page.locator('.quick-add-title');
  const preview = page.locator('.quick-add-preview');

  // The caret back on a whole "@me": Enter adds the task, and the last @name is its assignee.
  await field.click();
  await page.keyboard.type('Call @me @ben');
  for (let i = 0; i < ' @ben'.length; i++) await page.keyboard.press('ArrowLeft');
  await expect(list.getByRole('option', { name: /^Ana \(you\)/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(title).toHaveText('Call @me');
  await expect(preview).toContainText('Assigned to Ben');
  await expect(preview).toContainText('“@me” stays text: a task has one assignee.');
  await screenshot(page, 'quick-add-360-open-before-another');
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue('');
  await expect(row(page, 'Call @me').getByRole('img', { name: 'Assigned to Ben' })).toBeVisible();

  // On part of a name Enter picks first: the preview is the task as the next Enter adds it.
  await page.keyboard.type('Ask @b @ben');
  for (let i = 0; i < ' @ben'.length; i++) await page.keyboard.press('ArrowLeft');
  await expect(list.getByRole('option', { name: /^Ben/ })).toHaveAttribute('aria-selected', 'true');
  await expect(title).toHaveText('Ask @Ben');
  await expect(preview).toContainText('Assigned to Ben');
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue('Ask @Ben @ben');
  await expect(list).toHaveCount(0);
  await expect(title).toHaveText('Ask @Ben');
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue('');
  await expect(row(page, 'Ask @Ben').getByRole('img', { name: 'Assigned to Ben' })).toBeVisible();
  await context.close();
});

/** The field's lines: shown, in all, and how far its text would scroll sideways. */
const fieldLines = (field: Locator) =>
  field.evaluate((el) => {
    const cs = getComputedStyle(el);
    const pad = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom);
    const line = parseFloat(cs.lineHeight);
    return {
      shown: (el.clientHeight - pad) / line,
      whole: (el.scrollHeight - pad) / line,
      sideways: el.scrollWidth - el.clientWidth,
    };
  });

test('quick add at 360 px: a long title wraps in the field, which grows with it to five lines and then scrolls; Enter and Shift+Enter add it, a pasted line break is a space', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInToProject(page, person('Ana', orgFor('quick-add-grows'), 'admin'), 'Reports');
  await addTask(page, 'Read the minutes');
  const field = page.getByLabel('New task title');
  const top = async (l: Locator) => (await l.boundingBox())!.y;
  const height = async () => (await field.boundingBox())!.height;
  const oneLine = await height();
  const listTop = await top(taskList(page));

  // All of it in sight: it wraps, nothing scrolls sideways, the field is as tall as its lines.
  const title = 'Gather every figure for the board and send them to Ben';
  await field.click();
  await page.keyboard.type(title);
  await expect.poll(async () => (await fieldLines(field)).shown).toBeGreaterThan(1.5);
  const wrapped = await fieldLines(field);
  expect(wrapped.sideways).toBe(0);
  expect(wrapped.whole).toBeCloseTo(wrapped.shown, 1);
  // The list moves down by what the field grew, no more.
  expect((await top(taskList(page))) - listTop).toBeCloseTo((await height()) - oneLine, 0);
  await screenshot(page, 'quick-add-360-grows');
  // Shift+Enter adds it as Enter does: a title is one line.
  await page.keyboard.press('Shift+Enter');
  await expect(field).toHaveValue('');
  await expect(taskTitle(page, title)).toBeVisible();
  await expect.poll(height).toBe(oneLine);
  expect(await top(taskList(page))).toBeCloseTo(listTop, 0);

  // Five lines at most; then it scrolls, the end (where the caret is) in sight.
  const long = `${'Gather every figure for the board '.repeat(12)}again`;
  await page.keyboard.insertText(long);
  await expect.poll(async () => Math.round((await fieldLines(field)).shown)).toBe(5);
  const five = await fieldLines(field);
  expect(five.whole).toBeGreaterThan(6);
  expect(five.sideways).toBe(0);
  // Scrolled to its last line: no more than the field's bottom padding (and a rounding pixel) below.
  expect(
    await field.evaluate(
      (el) =>
        el.scrollHeight -
        el.scrollTop -
        el.clientHeight -
        parseFloat(getComputedStyle(el).paddingBottom),
    ),
  ).toBeLessThanOrEqual(1);
  await screenshot(page, 'quick-add-360-five-lines');
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue('');
  await expect(taskTitle(page, long)).toBeVisible();

  // A pasted line break is a space, and the caret stays after what was pasted.
  await page.keyboard.type('first');
  await page.keyboard.press('Home');
  await page.evaluate(() => navigator.clipboard.writeText('Pack the\nbooks '));
  await page.keyboard.press('ControlOrMeta+V');
  await expect(field).toHaveValue('Pack the books first');
  expect(await field.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(
    'Pack the books '.length,
  );
  await page.keyboard.press('Enter');
  await expect(taskTitle(page, 'Pack the books first')).toBeVisible();
  await expect(field).toHaveValue('');

  // A browser without CSS field-sizing (Firefox, older Safari): the field is fitted by script.
  const older = await context.newPage();
  await older.addInitScript(() => {
    const supports = CSS.supports.bind(CSS);
    CSS.supports = (...args: [string, string?]) =>
      args[0].startsWith('field-sizing') ? false : supports(...(args as [string, string]));
  });
  await older.goto(page.url());
  await older.addStyleTag({
    content: '.quick-add-field textarea { field-sizing: fixed !important }',
  });
  const olderField = older.getByLabel('New task title');
  await olderField.fill(title);
  await expect.poll(async () => (await fieldLines(olderField)).shown).toBeGreaterThan(1.5);
  expect((await fieldLines(olderField)).sideways).toBe(0);
  await olderField.fill('');
  // Back to one line (whole pixels: the script reads scrollHeight).
  await expect
    .poll(async () => Math.abs((await olderField.boundingBox())!.height - oneLine))
    .toBeLessThan(1);
  await context.close();
});

test('quick add at 360 px: a long title keeps the preview to two lines, its chips next to the field', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Ana', orgFor('quick-add-long-title'), 'admin'), 'Reports');
  const field = page.getByLabel('New task title');
  await field.fill(`${'Gather every figure for the board '.repeat(13)}tomorrow`);
  const chip = page.locator('.quick-add-part', { hasText: 'Due tomorrow' });
  await expect(chip).toBeVisible();
  const title = page.locator('.quick-add-title');
  await expect(title).toContainText('Gather every figure');
  const [f, t, c] = await Promise.all([field, title, chip].map((l) => l.boundingBox()));
  // Two lines of the preview's title, not the ten it takes whole.
  const line = await title.evaluate((el) => parseFloat(getComputedStyle(el).fontSize) * 1.6);
  expect(t!.height).toBeLessThanOrEqual(2 * line);
  expect(c!.y - (f!.y + f!.height)).toBeLessThan(3 * line);
  await screenshot(page, 'quick-add-360-long-title');
  // The task keeps its whole title.
  await field.press('Enter');
  await expect(field).toHaveValue('');
  await expect(
    taskTitle(page, `${'Gather every figure for the board '.repeat(13)}`.trim()),
  ).toBeVisible();
  await context.close();
});

test('quick add: a recognised word kept as text with its × or Backspace, an unknown @name left as text, offline', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Ana', orgFor('quick-add-keep'), 'admin'), 'Drills');
  const field = page.getByLabel('New task title');
  const preview = page.locator('.quick-add-preview');
  // The field hints at it, whole on a phone.
  await expect(field).toHaveAttribute('placeholder', 'Add a task (fri, @name)');
  await context.setOffline(true);

  // The chip's ×: the word goes back into the title.
  await field.fill('Plan the Monday meeting');
  await expect(preview).toContainText('Plan the meeting');
  // Said as a day name, or "tomorrow" on a Sunday (a run that starts Saturday can cross into it).
  await expect(preview).toContainText(/Due (Mon|tomorrow)/);
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
  baseURL,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  const ana = person('Ana', orgFor('quick-add-escape'), 'admin');
  await seedProject(baseURL!, ana, 'Garden', []);
  await signInToProject(page, ana, 'Errands');
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
  await openProject(page, 'Garden');
  await field.click();
  await field.press('Escape');
  await expect(page.getByText('No tasks yet.')).toBeFocused();
  await context.close();
});

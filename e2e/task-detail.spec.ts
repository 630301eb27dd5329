import { expect, test, type Locator } from '@playwright/test';
import {
  addTask,
  countPickers,
  DESKTOP,
  expectAccessible,
  expectNoHorizontalScroll,
  newPhone,
  openTask,
  orgFor,
  person,
  projectLink,
  screenshot,
  signIn,
  signInToProject,
  taskDetail,
  taskTitle,
  seedProject,
} from './helpers';

const fontSize = (el: Locator) =>
  el.evaluate((node) => parseFloat(getComputedStyle(node).fontSize));

/**
 * A task's detail reads as the task, not as a form: the title large and editable in place, the
 * meta as rows whose values open a picker on a click, a tap or Enter, empty meta as a quiet
 * "Add …", and every edit applied as it is made.
 */
for (const [width, viewport] of [
  ['360', undefined],
  ['1280', DESKTOP],
] as const) {
  test(`a task's detail: the title first, meta as rows that apply at once, empty meta a quiet affordance (${width} px)`, async ({
    browser,
  }) => {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signInToProject(page, person('Ana', orgFor(`task-detail-${width}`), 'admin'), 'Launch');
    await addTask(page, 'Book the venue');
    const detail = await openTask(page, 'Book the venue');
    const title = detail.getByLabel('Title');

    // The title is the hero: larger than anything else in the panel, no "Title" caption.
    const body = await fontSize(page.locator('body'));
    expect(await fontSize(title)).toBeGreaterThanOrEqual(1.3 * body);
    await expect(detail.getByText('Title', { exact: true })).toHaveCount(0);
    // No Save wording: edits apply as they are made.
    await expect(detail.getByText(/to save/)).toHaveCount(0);

    // Empty meta reads as what can be added, not as an empty box or mm/dd/yyyy.
    await expect(detail.getByText('Add due date')).toBeVisible();
    await expect(detail.getByLabel('Assignee')).toHaveValue('');
    await expect(detail.getByRole('button', { name: 'Clear date' })).toHaveCount(0);
    await screenshot(page, `task-detail-${width}-empty`);

    // Enter on a meta value opens its picker, as a click or a tap does (an empty due date's
    // starts a date in words instead: due-date.spec.ts).
    const pickers = await countPickers(page);
    await detail.getByLabel('Status').focus();
    await page.keyboard.press('Enter');
    expect(await pickers()).toBe(1);

    // A value picked applies at once, and shows as people say it.
    await detail.getByLabel('Status').selectOption('doing');
    await detail.getByLabel('Due date').fill('2020-01-15');
    // Stored: until then the field shows the task's date, still none.
    await expect(detail.getByRole('button', { name: 'Clear date' })).toBeVisible();
    await detail.getByLabel('Due date').focus();
    await page.keyboard.press('Enter');
    expect(await pickers()).toBe(2);
    await expect(taskDetail(page)).toBeVisible();
    await title.focus();
    await expect(detail.getByText(/^Overdue · Jan 15/)).toBeVisible();
    await expect(detail.getByText('Add due date')).toHaveCount(0);
    const row = page.locator('.task-row', {
      has: page.getByRole('button', { name: 'Book the venue', exact: true }),
    });
    await expect(row.locator('.chip.due.overdue')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'In progress (1)' })).toBeVisible();
    await screenshot(page, `task-detail-${width}-set`);
    // Its clear × sits next to the date it clears, not across the panel.
    const dateEnd = await detail.getByText(/^Overdue · Jan 15/).evaluate((face) => {
      const text = document.createRange();
      text.selectNodeContents(face);
      return text.getBoundingClientRect().right;
    });
    const clear = (await detail.getByRole('button', { name: 'Clear date' }).boundingBox())!;
    expect(clear.x - dateEnd).toBeLessThanOrEqual(12);
    // …and a set date is removed in one step.
    await detail.getByRole('button', { name: 'Clear date' }).click();
    await expect(detail.getByText('Add due date')).toBeVisible();
    await expect(row.locator('.chip.due')).toHaveCount(0);

    // Every control is a target a thumb can hit.
    for (const control of await detail
      .locator('textarea, select, input, button')
      .filter({ visible: true })
      .all()) {
      const box = (await control.boundingBox())!;
      expect(
        box.height,
        await control.evaluate((el) => el.outerHTML.slice(0, 80)),
      ).toBeGreaterThanOrEqual(40);
    }
    await expectNoHorizontalScroll(page, `task detail ${width}`);
    await expectAccessible(page, `task detail ${width}`);

    // Notes apply as they are left (no Save step); Escape backs out of an edit without saving.
    const notes = detail.getByLabel('Notes');
    await notes.fill('Forty seats, one projector');
    await notes.blur();
    await expect(row.getByRole('img', { name: 'Has notes' })).toBeVisible();
    await notes.fill('Forty seats, no projector');
    await page.keyboard.press('Escape');
    await expect(notes).toHaveValue('Forty seats, one projector');
    // With nothing unsaved, Escape closes the detail.
    await page.keyboard.press('Escape');
    await expect(taskDetail(page)).toHaveCount(0);
    await expect((await openTask(page, 'Book the venue')).getByLabel('Notes')).toHaveValue(
      'Forty seats, one projector',
    );
    if (width === '1280') {
      // Notes typed and the tab reloaded at once: saved as the page goes, not lost with it (the
      // write outlives the page in localStorage until the next start makes it).
      await notes.fill('Forty seats, one projector, two mics');
      await page.reload();
      await expect(taskDetail(page).getByLabel('Notes')).toHaveValue(
        'Forty seats, one projector, two mics',
      );
    }
    await context.close();
  });
}

test('s, a and p open the open task’s status, assignee and project pickers, and the letter picks nothing (d takes a day in words: due-key-words.spec.ts)', async ({
  browser,
  baseURL,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  const ana = person('Ana', orgFor('task-detail-keys'), 'admin');
  // "p" would move the task to Plans if the project picker took the letter.
  await seedProject(baseURL!, ana, 'Plans', []);
  await signInToProject(page, ana, 'Launch', ['Book the venue']);
  const detail = await openTask(page, 'Book the venue');
  const heading = detail.getByRole('heading', { name: 'Task' });
  await expect(heading).toBeFocused();
  const pickers = await countPickers(page);
  // "a" would pick Ana if the select took the letter.
  for (const [key, label, value] of [
    ['a', 'Assignee', ''],
    ['s', 'Status', 'todo'],
  ] as const) {
    const before = await pickers();
    await page.keyboard.press(key);
    await expect(detail.getByLabel(label)).toBeFocused();
    await expect.poll(pickers).toBe(before + 1);
    await expect(detail.getByLabel(label)).toHaveValue(value);
    await heading.focus();
  }
  const before = await pickers();
  await page.keyboard.press('p');
  await expect(detail.getByLabel('Project')).toBeFocused();
  await expect.poll(pickers).toBe(before + 1);
  await expect(detail.getByLabel('Project').locator('option:checked')).toHaveText('Launch');
  await heading.focus();
  // Listed in the shortcuts overlay.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText(
    'Assign the open task',
  );
  await context.close();
});

for (const [width, viewport] of [
  ['360', undefined],
  ['1280', DESKTOP],
] as const) {
  test(`Ctrl+Z with a task open undoes the last complete; on a phone, where the task covers the list, a toast says what was undone (${width} px)`, async ({
    browser,
  }) => {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signInToProject(page, person('Ana', orgFor(`undo-open-${width}`), 'admin'), 'Move', [
      'Book a van',
      'Pack books',
    ]);
    const toasts = page.getByRole('region', { name: 'Recent actions' });
    await page.getByRole('checkbox', { name: 'Complete “Book a van”' }).click();
    await expect(toasts).toContainText('Completed “Book a van”');
    // The pointer rests on the toasts (they wait meanwhile); the task opens from the keyboard.
    await toasts.hover();
    await taskTitle(page, 'Pack books').focus();
    await page.keyboard.press('Enter');
    await expect(taskDetail(page).getByLabel('Title')).toHaveValue('Pack books');
    await page.keyboard.press('Control+z');
    await expect(toasts.getByText('Completed “Book a van”', { exact: true })).toHaveCount(0);
    if (width === '360') {
      await expect(toasts).toContainText('Undone: completed “Book a van”');
    } else {
      // The row coming back in the list beside the task says it.
      await expect(page.getByRole('checkbox', { name: 'Complete “Book a van”' })).not.toBeChecked();
      await expect(toasts.getByRole('status')).toHaveCount(0);
    }
    await taskDetail(page).getByRole('button', { name: 'Close task details' }).click();
    await expect(page.getByRole('checkbox', { name: 'Complete “Book a van”' })).not.toBeChecked();
    await context.close();
  });
}

test('on a phone, x with a task open completes the task shown, not the list row out of sight behind it', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Ana', orgFor('x-open-phone'), 'admin'), 'Move', [
    'Book a van',
    'Pack books',
  ]);
  await taskTitle(page, 'Pack books').focus();
  await page.keyboard.press('Enter');
  const detail = taskDetail(page);
  await expect(detail.getByLabel('Title')).toHaveValue('Pack books');
  await detail.getByRole('button', { name: 'Close task details' }).focus();
  // k moves the hidden list's cursor up to "Book a van"; x must still act on the task shown.
  await page.keyboard.press('k');
  await page.keyboard.press('x');
  const toasts = page.getByRole('region', { name: 'Recent actions' });
  await expect(toasts).toContainText('Completed “Pack books”');
  await expect(detail.getByLabel('Status')).toHaveValue('done');
  await detail.getByRole('button', { name: 'Close task details' }).click();
  await expect(page.getByRole('checkbox', { name: 'Complete “Book a van”' })).not.toBeChecked();
  await context.close();
});

test('notes a closing page kept, their task deleted before the next start: shown in its panel to copy', async ({
  browser,
  baseURL,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  const ana = person('Ana', orgFor('task-detail-kept-gone'), 'admin');
  const { device, taskIds } = await seedProject(baseURL!, ana, 'Launch', ['Ship']);
  const taskId = taskIds[0]!;
  await signIn(page, ana);
  await projectLink(page, 'Launch').click();
  const detail = await openTask(page, 'Ship');
  // What a page closing as its notes were saved keeps when it goes before the write commits
  // (engine/kept-edits.ts): set here, since a test cannot make IndexedDB lose the race.
  const key = `outpost-kept-edits:${device.userId}`;
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [
    key,
    JSON.stringify([
      {
        kind: 'task',
        entityId: taskId,
        patch: { notes: 'Ask the printer for two more boxes' },
        from: { notes: '' },
      },
    ]),
  ] as const);
  // Deleted meanwhile on another of her devices, and pulled here (by another tab, alike).
  await device.push([device.change('task.delete', taskId)]);
  await expect(detail.getByText(/deleted this task/)).toBeVisible();
  await expect(detail.getByText('What you were typing was not saved')).toHaveCount(0);

  await page.reload();
  await expect(detail.getByText('What you were typing was not saved')).toBeVisible();
  await expect(detail.getByRole('textbox', { name: 'Notes' })).toHaveValue(
    'Ask the printer for two more boxes',
  );
  expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBeNull();
  await expectAccessible(page, 'kept notes of a deleted task');
  await context.close();
});

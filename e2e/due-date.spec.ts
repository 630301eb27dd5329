import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openTask,
  orgFor,
  person,
  screenshot,
  signInToProject,
  taskDetail,
} from './helpers';

/**
 * A date field types its year a digit at a time (0002, 0020, 0202, 2027): the years before
 * 1900 it passes through are not due dates (the server refuses them), and must neither be
 * saved nor undo what the person is typing.
 */
for (const [width, viewport] of [
  ['360', undefined],
  ['1280', DESKTOP],
] as const) {
  test(`typing a due date digit by digit saves the date typed, and nothing on the way (${width} px)`, async ({
    browser,
  }) => {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signInToProject(page, person('Ana', orgFor(`due-date-${width}`), 'admin'), 'Trip', [
      'Book the train',
    ]);
    const detail = await openTask(page, 'Book the train');
    const due = detail.getByLabel('Due date');
    const hint = detail.getByText('A due date is in the years 1900 to 9999.');
    await due.focus();
    await page.keyboard.type('03042');
    // Year 0002 so far: shown as typed, said, not saved.
    await expect(due).toHaveValue('0002-03-04');
    await expect(due).toHaveAttribute('aria-invalid', 'true');
    await expect(hint).toBeVisible();
    await screenshot(page, `due-date-typing-${width}`);
    await page.keyboard.type('027');
    await expect(due).toHaveValue('2027-03-04');
    await expect(hint).toHaveCount(0);
    await expect(detail.getByRole('alert')).toHaveCount(0);
    // The year typed over: a new date, again through years that are no due dates.
    await due.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type('2031');
    await expect(due).toHaveValue('2031-03-04');
    await expect(detail.getByRole('alert')).toHaveCount(0);
    // Left half typed, the stored date comes back.
    await due.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type('19');
    await expect(due).toHaveValue('0019-03-04');
    await detail.getByLabel('Title').focus();
    await expect(due).toHaveValue('2031-03-04');
    await expect(hint).toHaveCount(0);
    // One Tab stop: not the month, day and year each, then the ✕ (four Tabs to get past).
    await due.focus();
    await page.keyboard.press('Tab');
    await expect(detail.getByLabel('Project')).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(due).toBeFocused();
    // Delete clears it, as the ✕ (out of the Tab order) does.
    await page.keyboard.press('Delete');
    await expect(due).toHaveValue('');
    await expect(detail.getByRole('button', { name: 'Clear date' })).toHaveCount(0);
    await context.close();
  });
}

/** `YYYY-MM-DD` in the page's time zone: `days` from today, or the next such weekday (0 = Sunday). */
const dayInPage = (page: Page, at: { days: number } | { weekday: number }) =>
  page.evaluate((when) => {
    const d = new Date();
    if ('days' in when) d.setDate(d.getDate() + when.days);
    else d.setDate(d.getDate() + ((when.weekday - d.getDay() + 7) % 7 || 7));
    const pad = (x: number) => String(x).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }, at);

for (const [width, viewport] of [
  ['360', undefined],
  ['1280', DESKTOP],
] as const) {
  test(`a due date typed in words, as quick add reads them: Enter or leaving saves it, what it cannot read changes nothing, Escape backs out (${width} px)`, async ({
    browser,
  }) => {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signInToProject(page, person('Ana', orgFor(`due-words-${width}`), 'admin'), 'Trip', [
      'Book the train',
    ]);
    const detail = await openTask(page, 'Book the train');
    const due = detail.getByLabel('Due date');

    // Enter on the empty date sets no day nobody chose (the calendar it opened took a second
    // Enter as today): it starts a date in words, where Enter with nothing typed backs out.
    await due.focus();
    await page.keyboard.press('Enter');
    await expect(due).toHaveAttribute('type', 'text');
    await expect(due).toBeFocused();
    await expect(
      detail.getByText('A day in words: today, tomorrow, fri, in 3 days, dec 24.'),
    ).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(due).toHaveAttribute('type', 'date');
    await expect(due).toBeFocused();
    await expect(due).toHaveValue('');

    // A letter turns the date into words; what Enter will set is said under it.
    await due.focus();
    await page.keyboard.type('tomorrow');
    await expect(due).toHaveValue('tomorrow');
    await expect(due).toBeFocused();
    await expect(detail.getByText('Enter sets it to tomorrow.')).toBeVisible();
    await screenshot(page, `due-words-${width}-typing`);
    await page.keyboard.press('Enter');
    await expect(due).toHaveValue(await dayInPage(page, { days: 1 }));
    await expect(due).toBeFocused();
    await detail.getByLabel('Title').focus();
    await expect(detail.getByText('Tomorrow', { exact: true })).toBeVisible();

    // Words that name no day: said so, and nothing changes; Escape backs out to the date.
    await due.focus();
    await page.keyboard.type('someday');
    await page.keyboard.press('Enter');
    const error = detail.getByRole('alert');
    await expect(error).toHaveText(
      'No day in “someday”: nothing changed. Try tomorrow, fri, dec 24 or 2026-12-24.',
    );
    await expect(due).toHaveAttribute('aria-invalid', 'true');
    await expect(due).toHaveValue('someday');
    await screenshot(page, `due-words-${width}-error`);
    await page.keyboard.press('Escape');
    await expect(taskDetail(page)).toBeVisible();
    await expect(due).toHaveValue(await dayInPage(page, { days: 1 }));
    await expect(due).toBeFocused();
    await expect(error).toHaveCount(0);

    // Leaving words that name no day: they stay, readable, with what is wrong; nothing changes.
    await page.keyboard.type('soon');
    await detail.getByLabel('Title').focus();
    await expect(error).toContainText('No day in “soon”');
    // The example date stays whole on one line (it broke at its hyphens at 360 px).
    expect(await linesOf(error, '2026-12-24')).toBe(1);
    await expect(due).toHaveValue('soon');
    await expect(due).not.toHaveCSS('color', 'rgba(0, 0, 0, 0)');
    await screenshot(page, `due-words-${width}-left`);
    await due.focus();
    await page.keyboard.press('Escape');
    await expect(due).toHaveValue(await dayInPage(page, { days: 1 }));

    // Leaving the field saves what it reads.
    await page.keyboard.type('fri');
    await detail.getByLabel('Title').focus();
    await expect(due).toHaveValue(await dayInPage(page, { weekday: 5 }));
    await due.focus();
    await page.keyboard.type('in 3 days');
    await page.keyboard.press('Enter');
    await expect(due).toHaveValue(await dayInPage(page, { days: 3 }));

    await page.keyboard.type('someday');
    await page.keyboard.press('Enter');
    await expect(error).toContainText('No day in “someday”');
    expect(await linesOf(error, '2026-12-24')).toBe(1);
    // Clear date clears the words and the error too, not only the saved date.
    await detail.getByRole('button', { name: 'Clear date' }).click();
    await expect(error).toHaveCount(0);
    await expect(due).toHaveAttribute('type', 'date');
    await expect(due).toHaveValue('');
    await context.close();
  });
}

/** How many lines `text` takes inside `element` (2 when it wraps in its middle). */
function linesOf(element: Locator, text: string): Promise<number> {
  return element.evaluate((el, text) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.textContent!.indexOf(text);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + text.length);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    }
    return 0;
  }, text);
}

test('a due date picked shows at once, not the old date until the write is read back', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signInToProject(page, person('Ana', orgFor('due-date-at-once'), 'admin'), 'Trip', [
    'Book the train',
  ]);
  const detail = await openTask(page, 'Book the train');
  const due = detail.getByLabel('Due date');
  // A date picked (the calendar sets the value, then says so), read back in the same task: the
  // write to the device's database has not landed yet. The field went back to the stored date
  // (none, then the old one) until it did.
  const pick = (value: string) =>
    due.evaluate((el: HTMLInputElement, v) => {
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      set.call(el, v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return el.value;
    }, value);
  expect(await pick('2031-03-04')).toBe('2031-03-04');
  await expect(detail.locator('.due-face')).toContainText('2031');
  await expect(due).toHaveValue('2031-03-04');
  expect(await pick('2031-05-06')).toBe('2031-05-06');
  await expect(due).toHaveValue('2031-05-06');
  // And it was stored: closed and opened again, the date is there.
  await page.keyboard.press('Escape');
  await openTask(page, 'Book the train');
  await expect(taskDetail(page).getByLabel('Due date')).toHaveValue('2031-05-06');
  await context.close();
});

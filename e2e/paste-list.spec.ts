import { expect, test, type Page } from '@playwright/test';
import {
  DESKTOP,
  expectAccessible,
  expectNoHorizontalScroll,
  expectSynced,
  newPhone,
  orgFor,
  person,
  screenshot,
  signInToProject,
  taskList,
  taskTitle,
} from './helpers';

/** Puts `text` on the clipboard and pastes it into the focused field, as Ctrl+V does. */
async function paste(page: Page, text: string) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('ControlOrMeta+V');
}

/** The titles of the task list's rows, top to bottom. */
const listed = (page: Page) => taskList(page).getByRole('row').getByRole('button').allInnerTexts();

for (const [width, viewport] of [
  ['360', undefined],
  ['1280', DESKTOP],
] as const) {
  test(`a list pasted into Add a task is offered as a task a line; Enter adds them in order, dates read (${width} px)`, async ({
    browser,
  }) => {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signInToProject(page, person('Ana', orgFor(`paste-list-${width}`)), 'Groceries');
    const field = page.getByLabel('New task title');
    await field.focus();

    await paste(page, '- Milk tomorrow\n- Eggs\n\n- Bread\n');
    const offer = page.getByRole('group', { name: 'Add the 3 pasted lines as 3 tasks?' });
    await expect(offer).toBeVisible();
    const add = offer.getByRole('button', { name: 'Add 3 tasks' });
    await expect(add).toBeFocused();
    await expect(offer).toContainText('“Milk” (due tomorrow), “Eggs” and “Bread”');
    // Nothing is added until asked; the field holds nothing of it yet.
    await expect(field).toHaveValue('');
    await expect(taskList(page)).toHaveCount(0);
    await screenshot(page, `paste-list-${width}-offer`);
    await expectAccessible(page, 'a pasted list offered as tasks');
    await expectNoHorizontalScroll(page, 'a pasted list offered as tasks');

    await page.keyboard.press('Enter');
    await expect(offer).toHaveCount(0);
    await expect(field).toBeFocused();
    await expect(taskTitle(page, 'Bread')).toBeVisible();
    await expect.poll(() => listed(page)).toEqual(['Milk', 'Eggs', 'Bread']);
    // "tomorrow" was read as the first task's due date, as quick add reads a typed title.
    await expect(
      taskList(page)
        .getByRole('row')
        .filter({ has: page.getByRole('button', { name: 'Milk', exact: true }) })
        .getByText('Tomorrow'),
    ).toBeVisible();
    await expectSynced(page);
    await context.close();
  });
}

test('a pasted list can be one title instead, or backed out of; a paste into a title being typed stays in it', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInToProject(page, person('Ana', orgFor('paste-list-one')), 'Groceries');
  const field = page.getByLabel('New task title');
  await field.focus();

  // "Paste as one title": the lines in the field, a space between, as a browser pastes them.
  await paste(page, 'Milk\nEggs');
  const offer = page.getByRole('group', { name: 'Add the 2 pasted lines as 2 tasks?' });
  await offer.getByRole('button', { name: 'Paste as one title' }).click();
  await expect(offer).toHaveCount(0);
  await expect(field).toHaveValue('Milk Eggs');
  await expect(field).toBeFocused();

  // Pasted over the whole title (selected), it is offered again; Escape backs out, nothing added.
  await field.press('ControlOrMeta+A');
  await paste(page, 'Milk\nEggs');
  await expect(offer.getByRole('button', { name: 'Add 2 tasks' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(offer).toHaveCount(0);
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('Milk Eggs');
  await expect(taskList(page)).toHaveCount(0);

  // Into a title being typed, it is part of that title: no offer.
  await field.fill('Buy ');
  await field.press('End');
  await paste(page, 'milk\neggs');
  await expect(field).toHaveValue('Buy milk eggs');
  await expect(offer).toHaveCount(0);

  // A line too long for a title: said, and the list cannot be added.
  await field.fill('');
  await paste(page, `Milk\n${'x'.repeat(501)}`);
  const tooLong = page.getByRole('group', {
    name: 'Line 2 of the 2 pasted is over 500 characters, too long for a task title.',
  });
  await expect(tooLong.getByRole('button', { name: 'Add 2 tasks' })).toBeDisabled();
  // Focus is on the offer still (on "Paste as one title"), so Escape backs out of it.
  await expect(tooLong.getByRole('button', { name: 'Paste as one title' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(tooLong).toHaveCount(0);
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('');
  // Cancel backs out too.
  await paste(page, `Milk\n${'x'.repeat(501)}`);
  await tooLong.getByRole('button', { name: 'Cancel' }).click();
  await expect(tooLong).toHaveCount(0);
  await expect(field).toHaveValue('');
  await expect(taskList(page)).toHaveCount(0);
  await context.close();
});

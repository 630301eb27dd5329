import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  expectAccessible,
  expectNoHorizontalScroll,
  newPhone,
  openProject,
  orgFor,
  person,
  screenshot,
  signIn,
  signInToProject,
  taskTitle,
} from './helpers';

test('a project’s actions are behind one “More actions” menu button, on a phone and a laptop', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const org = orgFor('project-header');
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Ana', org, 'admin'), 'Garden shed', ['Buy timber']);
  await expect(taskTitle(page, 'Buy timber')).toBeVisible();

  // One line: the way back and the menu button, nothing else in the header's row.
  const more = page.getByRole('button', { name: 'More actions' });
  await expect(more).toHaveAttribute('aria-haspopup', 'menu');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('button', { name: /Archive project|Delete project/ })).toHaveCount(0);
  const back = (await page
    .getByRole('link', { name: 'Back to projects', exact: true })
    .boundingBox())!;
  const button = (await more.boundingBox())!;
  expect(Math.abs(back.y + back.height / 2 - (button.y + button.height / 2))).toBeLessThan(2);
  await expectNoHorizontalScroll(page, 'project header');
  await screenshot(page, 'project-header-360');

  // Opened by a tap: focus on the first item; arrows move and wrap; Escape closes, back on it.
  await more.click();
  const menu = page.getByRole('menu', { name: 'More actions' });
  const archive = menu.getByRole('menuitem', { name: 'Archive project' });
  const remove = menu.getByRole('menuitem', { name: 'Delete project' });
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await expect(archive).toBeFocused();
  await expectNoHorizontalScroll(page, 'project header menu');
  await expectAccessible(page, 'project header menu');
  await screenshot(page, 'project-header-360-menu');
  await page.keyboard.press('ArrowDown');
  await expect(remove).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(archive).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(remove).toBeFocused();
  // A letter is the menu's (next item starting with it), not a page shortcut.
  await page.keyboard.press('a');
  await expect(archive).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(more).toBeFocused();
  await expect(more).toHaveAttribute('aria-expanded', 'false');

  // From the keyboard: ↑ opens on the last item, Enter on the first; a tap outside closes.
  await page.keyboard.press('ArrowUp');
  await expect(remove).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await expect(archive).toBeFocused();
  await page.getByLabel('New task title').click();
  await expect(menu).toHaveCount(0);

  // Delete asks first; Escape there backs out, focus back on the menu button.
  await more.click();
  await remove.click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete “Garden shed”?' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(more).toBeFocused();

  // Space archives from the menu: focus goes to Unarchive, and from there back to the button.
  await page.keyboard.press('Enter');
  await expect(archive).toBeFocused();
  await page.keyboard.press(' ');
  const unarchive = page.getByRole('button', { name: 'Unarchive' });
  await expect(unarchive).toBeFocused();
  await expect(page.getByText('This project is archived.')).toBeVisible();
  // Archived, the menu holds only Delete.
  await more.click();
  await expect(menu.getByRole('menuitem')).toHaveText(['Delete project']);
  await page.keyboard.press('Escape');
  await unarchive.click();
  await expect(more).toBeFocused();

  // At a laptop's width too: one menu button, no red "Delete project" over the list (they
  // showed as two buttons), in the app's button size, as tall as the form's Add task under it.
  await page.setViewportSize(DESKTOP);
  await expect(more).toBeVisible();
  await expect(page.getByRole('button', { name: /Archive project|Delete project/ })).toHaveCount(0);
  const add = (await page.getByRole('button', { name: 'Add task' }).boundingBox())!;
  expect(Math.round((await more.boundingBox())!.height)).toBe(Math.round(add.height));
  await more.click();
  await expect(menu.getByRole('menuitem')).toHaveText(['Archive project', 'Delete project']);
  await page.keyboard.press('Escape');
  await expect(more).toBeFocused();
  await screenshot(page, 'project-header-1280');

  // A member has no project actions: no menu button either.
  const mia = await newPhone(browser);
  await signIn(mia.page, person('Mia', org, 'member'));
  await openProject(mia.page, 'Garden shed');
  await expect(mia.page.getByRole('button', { name: 'More actions' })).toHaveCount(0);
  await mia.context.close();
  await context.close();
});

test('Escape in the project’s name or description backs out of what was typed, then hands the keys to the list', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await signInToProject(page, person('Ana', orgFor('project-escape'), 'admin'), 'Attic', [
    'Sort boxes',
    'Sweep floor',
  ]);
  await expect(taskTitle(page, 'Sweep floor')).toBeVisible();

  const description = page.getByRole('textbox', { name: 'Project description' });
  await description.click();
  await description.fill('Half a thought');
  // The first Escape drops the text and stays; the second leaves for the list, where j works.
  await description.press('Escape');
  await expect(description).toHaveValue('');
  await expect(description).toBeFocused();
  await description.press('Escape');
  await expect(description).not.toBeFocused();
  await page.keyboard.press('j');
  await expect(page.getByRole('button', { name: 'Sort boxes', exact: true })).toBeFocused();
  await expect(description).toHaveValue('');

  const name = page.getByRole('textbox', { name: 'Project name' });
  await name.click();
  await name.press('Escape');
  await expect(name).not.toBeFocused();
  await page.keyboard.press('c');
  await expect(page.getByLabel('New task title')).toBeFocused();
  await expect(name).toHaveValue('Attic');
  await context.close();
});

test('a long project name shows in full on a phone, and a rename there still saves on Enter', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  const long = 'Website relaunch with the new brand, the shop and the blog';
  // Made on another device of Ana's: this test is about showing the name, not making it.
  await signInToProject(page, person('Ana', orgFor('project-long-name'), 'admin'), long);
  const name = page.getByRole('textbox', { name: 'Project name' });
  await expect(name).toHaveValue(long);
  // Every word is on screen: the field wraps and is as tall as its lines (one line cut the
  // name off mid-word, with nothing saying there was more).
  const fits = () =>
    name.evaluate(
      (el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1,
    );
  await expect.poll(fits).toBe(true);
  const box = (await name.boundingBox())!;
  expect(box.height).toBeGreaterThan(60);
  await expectNoHorizontalScroll(page, 'project with a long name');
  await screenshot(page, 'project-long-name-360');

  // Enter saves (it puts no new line into the name), and the longer name fits too.
  await name.fill(`${long} and more`);
  await name.press('Enter');
  await expect(name).toHaveValue(`${long} and more`);
  await page.getByRole('link', { name: 'Back to projects', exact: true }).click();
  await expect(page.getByRole('link', { name: `${long} and more` })).toBeVisible();
  await page.getByRole('link', { name: `${long} and more` }).click();
  await expect(name).toHaveValue(`${long} and more`);
  await expect.poll(fits).toBe(true);
  await context.close();
});

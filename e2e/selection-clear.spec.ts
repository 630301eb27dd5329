import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  openProject,
  orgFor,
  person,
  PHONE,
  screenshot,
  seedProject,
  signIn,
  taskTitle,
} from './helpers';

const TITLES = ['Book venue', 'Write copy', 'Print flyers'];

test('the selection bar’s ✕ puts focus back on the list’s row, at 1280 by keyboard and on a phone, instead of dropping it to the page', async ({
  browser,
  baseURL,
}) => {
  const ana = person('Ana', orgFor('selection-clear'), 'admin');
  await seedProject(baseURL!, ana, 'Launch', TITLES);

  // Keyboard only: j, Shift+J selects two, then Enter on the bar's ✕.
  const wide = await browser.newContext({ viewport: DESKTOP });
  const page = await wide.newPage();
  await signIn(page, ana);
  await openProject(page, 'Launch');
  const bar = page.getByRole('toolbar', { name: 'Selected tasks' });
  await expect(taskTitle(page, 'Print flyers')).toBeVisible();
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Book venue')).toBeFocused();
  await page.keyboard.press('Shift+J');
  await expect(bar).toContainText('2 selected');
  await bar.getByRole('button', { name: 'Clear the selection' }).focus();
  await page.keyboard.press('Enter');
  await expect(bar).toHaveCount(0);
  await expect(taskTitle(page, 'Write copy')).toBeFocused();
  // And the keys go on from there.
  await page.keyboard.press('j');
  await expect(taskTitle(page, 'Print flyers')).toBeFocused();
  await wide.close();

  // A phone: Select, a row, then ✕ (Done selecting).
  const phone = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const p = await phone.newPage();
  await signIn(p, ana);
  await openProject(p, 'Launch');
  await p.getByRole('button', { name: 'Select', exact: true }).tap();
  await taskTitle(p, 'Print flyers').tap();
  const pbar = p.getByRole('toolbar', { name: 'Selected tasks' });
  await expect(pbar).toContainText('1 selected');
  await pbar.getByRole('button', { name: 'Done selecting' }).tap();
  await expect(pbar).toHaveCount(0);
  await expect(taskTitle(p, 'Print flyers')).toBeFocused();
  await screenshot(p, 'selection-cleared-360');
  await phone.close();
});

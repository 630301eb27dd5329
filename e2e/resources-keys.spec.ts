import { expect, test } from '@playwright/test';
import { DESKTOP, newPhone, orgFor, person, screenshot, signIn } from './helpers';

test('Escape or Back to list (Close beside the list) closes a shared resource, with focus back on its row (phone and laptop)', async ({
  browser,
}) => {
  const org = orgFor('resources-keys');
  for (const viewport of [undefined, DESKTOP]) {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signIn(page, person('Mia', org, 'manager'));
    await page.getByRole('link', { name: 'Resources', exact: true }).click();
    const row = page
      .getByRole('list', { name: 'Shared resources' })
      .locator('[aria-posinset="3"]')
      .getByRole('button');
    const detail = page.getByRole('region', { name: await row.locator('.sr-name').innerText() });

    // Escape backs out of the open resource (it did nothing: the detail stayed open).
    await row.click();
    await expect(detail.getByRole('heading', { level: 3 })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(detail).toHaveCount(0);
    await expect(row).toBeFocused();

    // Back to list hands focus back to the row too (it fell to the page). On a laptop the list
    // stays beside the detail, so its button says Close (it said Back to list there too).
    await row.press('Enter');
    await expect(detail).toBeVisible();
    const [label, other] = viewport ? ['Close', 'Back to list'] : ['Back to list', 'Close'];
    await expect(detail.getByRole('button', { name: other, exact: true })).toHaveCount(0);
    await screenshot(page, `resources-keys-detail-${viewport ? 1280 : 360}`);
    await detail.getByRole('button', { name: label, exact: true }).click();
    await expect(detail).toHaveCount(0);
    await expect(row).toBeFocused();
    // …so the list's keys go on from there.
    await page.keyboard.press('ArrowDown');
    await expect(
      page
        .getByRole('list', { name: 'Shared resources' })
        .locator('[aria-posinset="4"]')
        .getByRole('button'),
    ).toBeFocused();
    await screenshot(page, `resources-keys-back-${viewport ? 1280 : 360}`);
    await context.close();
  }
});

test('on a phone an open shared resource keeps Tab in itself, not in the list and header it covers', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Mia', orgFor('resources-sheet'), 'manager'));
  await page.getByRole('link', { name: 'Resources', exact: true }).click();
  const list = page.getByRole('list', { name: 'Shared resources' });
  const row = list.locator('[aria-posinset="1"]').getByRole('button');
  await row.click();
  const detail = page.locator('.sr-detail');
  await expect(detail.getByRole('heading', { level: 3 })).toBeFocused();

  // Every stop Tab and Shift+Tab make is in the sheet or above it (the status bar, a toast):
  // never the hidden list, search or tabs under it (Tab went on into the list's rows).
  const where = () =>
    page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return 'body';
      if (a.closest('.sr-detail')) return 'sheet';
      const fixed = (el: Element | null): boolean =>
        !!el && (getComputedStyle(el).position === 'fixed' || fixed(el.parentElement));
      return fixed(a) ? 'above' : `covered: ${a.outerHTML.slice(0, 80)}`;
    });
  for (const key of ['Tab', 'Shift+Tab']) {
    await detail.getByRole('heading', { level: 3 }).focus();
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press(key);
      expect(await where(), `${key} ×${i + 1}`).toMatch(/^(sheet|above|body)$/);
    }
  }
  await screenshot(page, 'resources-sheet-360');

  // Closed, the list takes the keys again, from the row.
  await detail.getByRole('link').first().focus();
  await page.keyboard.press('Escape');
  await expect(row).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(list.locator('[aria-posinset="2"]').getByRole('button')).toBeFocused();
  await context.close();
});

test('on a phone Escape closes an open shared resource from the status bar too, not from a dialog over it', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Mia', orgFor('resources-escape'), 'manager'));
  await page.getByRole('link', { name: 'Resources', exact: true }).click();
  const row = page
    .getByRole('list', { name: 'Shared resources' })
    .locator('[aria-posinset="2"]')
    .getByRole('button');
  await row.click();
  const detail = page.locator('.sr-detail');
  await expect(detail.getByRole('heading', { level: 3 })).toBeFocused();

  // The status bar stays above the sheet and takes focus: Escape there backs out of the
  // resource too, as it does from a task's detail (it did nothing).
  const syncNow = page
    .getByRole('contentinfo', { name: 'Sync status' })
    .getByRole('button', { name: 'Sync now' });
  await syncNow.focus();
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(row).toBeFocused();

  // A dialog over the sheet takes Escape itself: it closes, the resource stays open.
  await row.press('Enter');
  await expect(detail.getByRole('heading', { level: 3 })).toBeFocused();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog');
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(detail).toBeVisible();
  await context.close();
});

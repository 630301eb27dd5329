import { expect, test } from '@playwright/test';
import { DESKTOP, newPhone, orgFor, person, screenshot, signIn } from './helpers';

test('Escape or Back to list closes a shared resource, with focus back on its row (phone and laptop)', async ({
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

    // Back to list hands focus back to the row too (it fell to the page).
    await row.press('Enter');
    await expect(detail).toBeVisible();
    await detail.getByRole('button', { name: 'Back to list' }).click();
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

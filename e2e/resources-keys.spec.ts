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

test('the resources list is one Tab stop, its rows reached with the arrow keys, j/k, Home and End (phone and laptop)', async ({
  browser,
}) => {
  const org = orgFor('resources-tabstop');
  for (const viewport of [undefined, DESKTOP]) {
    const { context, page } = await newPhone(browser, viewport ? { viewport } : {});
    await signIn(page, person('Mia', org, 'manager'));
    await page.getByRole('link', { name: 'Resources', exact: true }).click();
    const list = page.getByRole('list', { name: 'Shared resources' });
    const row = (n: number) => list.locator(`[aria-posinset="${n}"]`).getByRole('button');
    await expect(row(1)).toBeVisible();
    // Where focus is: in the list (which row), or before or after it in the page.
    const where = () =>
      page.evaluate(() => {
        const a = document.activeElement;
        const l = document.querySelector('[role="list"][aria-label="Shared resources"]');
        if (!a || !l || a === document.body) return 'body';
        if (l.contains(a))
          return `row ${a.closest('[aria-posinset]')?.getAttribute('aria-posinset')}`;
        return l.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING ? 'after' : 'before';
      });

    // From the search field: the kind filter, the list (its first row), then past it (Tab went
    // through every row drawn, never getting past the list).
    await page.getByRole('searchbox', { name: 'Search shared resources by name' }).focus();
    const stops: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      stops.push(await where());
    }
    expect(stops).toEqual(['before', 'row 1', 'after']);

    // Back into the list, and through it with the keys.
    await page.keyboard.press('Shift+Tab');
    await expect(row(1)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(row(2)).toBeFocused();
    await page.keyboard.press('j');
    await expect(row(3)).toBeFocused();
    await page.keyboard.press('k');
    await expect(row(2)).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(row(1)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(row(3)).toBeFocused();

    // The list remembers its row: Tab out and Shift+Tab back lands on it, not on the first.
    await page.keyboard.press('Tab');
    expect(await where()).toBe('after');
    await page.keyboard.press('Shift+Tab');
    await expect(row(3)).toBeFocused();
    // Only that row is a Tab stop; every row keeps its name.
    await expect(list.locator('button[tabindex="0"]')).toHaveCount(1);
    await expect(row(3)).toHaveAccessibleName(/.+/);

    // End: the last row loaded (a page of them), scrolled to.
    await page.keyboard.press('End');
    await expect.poll(async () => Number((await where()).replace('row ', ''))).toBeGreaterThan(20);
    await page.keyboard.press('Home');
    await expect(row(1)).toBeFocused();
    // Enter opens the row, as before.
    await page.keyboard.press('Enter');
    await expect(page.locator('.sr-detail').getByRole('heading', { level: 3 })).toBeFocused();
    await context.close();
  }
});

for (const [key, name] of [
  ['Enter', 'Enter'],
  [' ', 'Space'],
] as const) {
  test(`↓ then ${name} at once opens the row moved to, not the one left`, async ({ browser }) => {
    const { context, page } = await newPhone(browser, { viewport: DESKTOP });
    await signIn(page, person('Mia', orgFor(`resources-down-${name}`), 'manager'));
    await page.getByRole('link', { name: 'Resources', exact: true }).click();
    const list = page.getByRole('list', { name: 'Shared resources' });
    const row = (n: number) => list.locator(`[aria-posinset="${n}"]`).getByRole('button');
    await row(1).click();
    await page.keyboard.press('Escape');
    await expect(row(1)).toBeFocused();
    const second = await row(2).locator('.sr-name').innerText();

    // The frame that moves focus to row 2 held until both keys are in: the key comes while the
    // move is pending, as it does when typed quickly.
    await page.evaluate(() => {
      const w = window as unknown as { held: FrameRequestCallback[]; release(): void };
      const raf = window.requestAnimationFrame.bind(window);
      w.held = [];
      window.requestAnimationFrame = (cb) => (w.held.push(cb), 0);
      w.release = () => {
        window.requestAnimationFrame = raf;
        w.held.splice(0).forEach((cb) => raf(cb));
      };
    });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press(key);
    await page.evaluate(() => (window as unknown as { release(): void }).release());
    await expect(page.locator('.sr-detail').getByRole('heading', { level: 3 })).toHaveText(second);
    await context.close();
  });
}

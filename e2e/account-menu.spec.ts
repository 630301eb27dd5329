import { expect, test } from '@playwright/test';
import {
  accountButton,
  DESKTOP,
  expectAccessible,
  expectNoHorizontalScroll,
  newPhone,
  orgFor,
  person,
  PHONE,
  screenshot,
  signIn,
} from './helpers';

for (const viewport of [PHONE, DESKTOP]) {
  test(`the top bar's account menu (${viewport.width} px): initials that open, by click or key, the name and email with Sign out; nothing scrolls sideways`, async ({
    browser,
  }) => {
    const { context, page } = await newPhone(browser, { viewport });
    const org = orgFor(`account menu ${viewport.width}`);
    const ana = { ...person('Ana', org, 'admin'), name: 'Ana Lopez' };
    await signIn(page, ana);

    // One compact button with the initials, named for the person; no "Sign out" in the bar.
    const button = accountButton(page);
    await expect(button).toHaveAccessibleName('Account: Ana Lopez');
    // The initials are an avatar drawn by the style sheet, not text of the button's own.
    await expect(button.locator('.avatar')).toHaveAttribute('data-initials', 'AL');
    expect(
      await button.locator('.avatar').evaluate((el) => getComputedStyle(el, '::before').content),
    ).toBe('"AL"');
    await expect(button).toHaveAttribute('aria-haspopup', 'menu');
    await expect(button).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    // The switcher shows the org's name alone (the role is in the account menu), with room.
    const switcher = page.getByRole('combobox', { name: 'Organization' });
    await expect(switcher.locator('option:checked')).toHaveText(org);
    const room = await switcher.evaluate((el) => el.getBoundingClientRect().width);
    expect(room).toBeGreaterThan(viewport.width < 600 ? 150 : 250);
    await expectNoHorizontalScroll(page, `top bar ${viewport.width}`);
    const bar = page.locator('header.topbar');
    expect(await bar.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    const right = await button.evaluate((el) => el.getBoundingClientRect().right);
    expect(right).toBeLessThanOrEqual(viewport.width);
    await screenshot(page, `account-menu-closed-${viewport.width}`);

    // A click opens it on Sign out; the name, email and role show as text, not as items.
    await button.click();
    const menu = page.getByRole('menu', { name: 'Account: Ana Lopez' });
    await expect(menu).toBeVisible();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await expect(menu.getByRole('menuitem')).toHaveCount(1);
    const signOut = menu.getByRole('menuitem', { name: 'Sign out' });
    await expect(signOut).toBeFocused();
    await expect(menu).toHaveAccessibleDescription(`Ana Lopez ${ana.email} Admin in ${org}`);
    const card = page.locator('.account .menu-card');
    await expect(card).toContainText('Ana Lopez');
    await expect(card).toContainText(ana.email);
    await expectNoHorizontalScroll(page, `account menu open ${viewport.width}`);
    await expectAccessible(page, `account menu open ${viewport.width}`);
    await screenshot(page, `account-menu-open-${viewport.width}`);

    // Escape closes it, focus back on the button.
    await page.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);
    await expect(button).toBeFocused();
    await expect(button).toHaveAttribute('aria-expanded', 'false');

    // From the keyboard: Enter, Space and ↓ each open it on Sign out; Tab leaves it closed.
    for (const key of ['Enter', ' ', 'ArrowDown']) {
      await button.focus();
      await page.keyboard.press(key);
      await expect(signOut, `opened with ${JSON.stringify(key)}`).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(menu).toHaveCount(0);
      await expect(button).toBeFocused();
    }
    await page.keyboard.press('Enter');
    await expect(signOut).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(menu).toHaveCount(0);
    await expect(button).not.toBeFocused();

    // A press on the menu's text leaves it open; a press outside closes it.
    await button.click();
    await card.getByText(ana.email).click();
    await expect(menu).toBeVisible();
    await page.mouse.click(4, viewport.height / 2);
    await expect(menu).toHaveCount(0);

    // Sign out from it, by the keyboard, reaches the sign-in screen.
    await button.focus();
    await page.keyboard.press('Enter');
    await expect(signOut).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'You’re signed out' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Sign in (development mode)' })).toBeVisible();
    await context.close();
  });
}

import { expect, test, type Page } from '@playwright/test';
import {
  addTask,
  expectSynced,
  openTask,
  orgFor,
  person,
  PHONE,
  signInToProject,
  taskDetail,
  taskTitle,
} from './helpers';

/** Apple's HIG asks 44×44 pt for a touch target (Material 48 dp); WCAG 2.5.5 says 44 too. */
const MIN = 44;

/**
 * Every visible control on the page whose tap area is under 44×44 px, named so a failure says
 * which. A control's tap area is its box, grown by its label's when a label holds it (a row's
 * checkbox is tapped through its 44 px label) and by an absolutely placed ::before/::after
 * that extends it (a hit area reaching past the control's own box).
 */
async function smallTargets(page: Page, screen: string): Promise<string[]> {
  const small = await page.evaluate((min) => {
    const selector =
      'button, a[href], input, select, textarea, [role="tab"], [role="option"], [role="menuitem"], [tabindex="0"]';
    const px = (v: string) => (v.endsWith('px') ? parseFloat(v) : 0);
    const area = (el: Element) => {
      const r = el.getBoundingClientRect();
      let { left, top, right, bottom } = r;
      // A hit area drawn past the control by its own absolutely placed pseudo-element.
      if (getComputedStyle(el).position !== 'static') {
        for (const pseudo of ['::before', '::after']) {
          const s = getComputedStyle(el, pseudo);
          if (s.content === 'none' || s.position !== 'absolute') continue;
          top = Math.min(top, r.top + px(s.top));
          bottom = Math.max(bottom, r.bottom - px(s.bottom));
          left = Math.min(left, r.left + px(s.left));
          right = Math.max(right, r.right - px(s.right));
        }
      }
      return { left, top, right, bottom };
    };
    const name = (el: Element) =>
      (
        el.getAttribute('aria-label') ??
        (el as HTMLElement).innerText ??
        el.getAttribute('placeholder') ??
        ''
      )
        .trim()
        .slice(0, 30);
    return [...document.querySelectorAll(selector)].flatMap((el) => {
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return [];
      const box = el.getBoundingClientRect();
      // Kept out of sight for a screen reader only (1 px), or inert under a sheet.
      if (box.width <= 1 || box.height <= 1 || el.closest('[inert]')) return [];
      let a = area(el);
      const label = el.closest('label');
      if (label) {
        const l = area(label);
        a = {
          left: Math.min(a.left, l.left),
          top: Math.min(a.top, l.top),
          right: Math.max(a.right, l.right),
          bottom: Math.max(a.bottom, l.bottom),
        };
      }
      const w = Math.floor(a.right - a.left + 0.01);
      const h = Math.floor(a.bottom - a.top + 0.01);
      if (w >= min && h >= min) return [];
      const tag = el.tagName.toLowerCase();
      const cls = typeof el.className === 'string' && el.className ? `.${el.className}` : '';
      return [`${tag}${cls.replace(/\s+/g, '.')} "${name(el)}" ${w}×${h}`];
    });
  }, MIN);
  return small.map((s) => `${screen}: ${s}`);
}

test('on a phone (touch, 360 px) every visible control on every screen is at least 44×44 px', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const found: string[] = [];
  const audit = async (screen: string) => found.push(...(await smallTargets(page, screen)));

  await signInToProject(page, person('Ana', orgFor('tap-targets'), 'admin'), 'Garden');
  await addTask(page, 'Water the beans');
  await addTask(page, 'Weed the path');
  await expectSynced(page);
  await audit('project');
  await page.getByRole('button', { name: 'Filters' }).click();
  await audit('project, filters open');
  await page.getByRole('button', { name: 'Filters' }).click();

  // Quick add: the @name suggestions, then what Enter will add, each part with its ×.
  const field = page.getByLabel('New task title');
  await field.fill('Buy seeds @');
  await expect(page.getByRole('listbox', { name: 'Assign to' })).toBeVisible();
  await audit('quick add, @name suggestions');
  await field.fill('Buy seeds tomorrow');
  await expect(page.getByRole('button', { name: /as text, not a due date/ })).toBeVisible();
  await audit('quick add, preview');
  await field.fill('');

  await page.getByRole('button', { name: 'More actions' }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await audit('project, ⋯ menu');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /^Account: / }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await audit('account menu');
  await page.keyboard.press('Escape');

  await openTask(page, 'Water the beans');
  await audit('task detail');
  await taskDetail(page).getByRole('button', { name: 'Close task details' }).click();
  await expect(taskDetail(page)).toHaveCount(0);

  await page.getByRole('button', { name: 'Select' }).click();
  await audit('select mode');
  await taskTitle(page, 'Weed the path').click();
  await expect(page.getByRole('toolbar', { name: 'Selected tasks' })).toContainText('1 selected');
  await audit('select mode, one picked');
  await page.getByRole('button', { name: 'Done selecting' }).click();

  // A toast waits while the pointer is on it (Toasts.tsx): it stays while it is measured.
  await page.getByRole('checkbox', { name: 'Complete “Weed the path”' }).click();
  const toast = page.getByRole('region', { name: 'Recent actions' }).getByRole('status');
  await expect(toast).toContainText('Completed');
  await toast.hover();
  await audit('toast shown');

  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Projects' })).toBeVisible();
  await audit('project list');
  await page.getByRole('button', { name: 'New project' }).click();
  await audit('project list, new project form');

  await page.getByRole('link', { name: 'Search all tasks' }).click();
  await page.getByRole('searchbox').fill('beans');
  await expect(taskTitle(page, 'Water the beans')).toBeVisible();
  await audit('search');

  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('list', { name: 'Activity feed' })).toBeVisible();
  await audit('activity');

  await page.getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
  await audit('members');

  await page.getByRole('link', { name: 'Sync' }).click();
  await expect(page.getByRole('heading', { name: 'Sync inspector' })).toBeVisible();
  await audit('sync');

  await page.getByRole('link', { name: 'Resources' }).click();
  await expect(page.getByRole('heading', { name: 'Shared resources' })).toBeVisible();
  await audit('resources');

  expect(found).toEqual([]);
  await context.close();
});

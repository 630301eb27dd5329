import { expect, test } from '@playwright/test';
import {
  addTask,
  createProject,
  DESKTOP,
  expectAccessible,
  expectNoHorizontalScroll,
  expectSynced,
  newPhone,
  orgFor,
  person,
  PHONE,
  screenshot,
  signIn,
} from './helpers';

for (const viewport of [PHONE, DESKTOP]) {
  test(`the projects list (${viewport.width} px): "Show archived" is a toggle button, and each project's progress bar says how far along it is`, async ({
    browser,
  }) => {
    const { context, page } = await newPhone(browser, { viewport });
    await signIn(page, person('Ana', orgFor(`projects list ${viewport.width}`), 'admin'));
    await createProject(page, 'Old office');
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Archive project' }).click();
    await expect(page.getByText('This project is archived.')).toBeVisible();
    await createProject(page, 'Garden');
    await addTask(page, 'Water the beans');
    await addTask(page, 'Weed the path');
    await addTask(page, 'Sow the peas');
    await page.getByRole('checkbox', { name: 'Complete “Water the beans”' }).click();
    await expectSynced(page);
    await page.getByRole('link', { name: 'Projects', exact: true }).click();

    // The header keeps to one line, a phone's too: "New project" beside the heading, not under it.
    const heading = await page
      .getByRole('heading', { name: 'Projects', exact: true })
      .boundingBox();
    const create = page.getByRole('button', { name: 'New project', exact: true });
    const button = await create.boundingBox();
    expect(button!.y).toBeLessThan(heading!.y + heading!.height);
    expect(button!.y + button!.height).toBeGreaterThan(heading!.y);

    // A filter toggle, not a form's checkbox: off, the archived project is not listed.
    const show = page.getByRole('button', { name: 'Show archived' });
    await expect(page.getByRole('checkbox', { name: 'Show archived' })).toHaveCount(0);
    await expect(show).toHaveAttribute('aria-pressed', 'false');
    const list = page.getByRole('list', { name: 'Projects', exact: true });
    await expect(list.getByRole('link', { name: 'Garden' })).toBeVisible();
    await expect(list.getByRole('link', { name: 'Old office' })).toHaveCount(0);

    // The progress bar is named and says its value in words; the figures are not said again.
    const garden = list.getByRole('listitem').filter({ hasText: 'Garden' });
    const bar = garden.getByRole('progressbar', { name: 'Tasks completed' });
    await expect(bar).toHaveAttribute('aria-valuetext', '1 of 3 tasks completed');
    await expect(bar).toHaveAttribute('aria-valuenow', '1');
    await expect(bar).toHaveAttribute('aria-valuemax', '3');
    await expect(garden).toContainText('1/3 completed');
    await expect(garden).toMatchAriaSnapshot(`
      - listitem:
        - link "Garden"
        - progressbar "Tasks completed"
    `);
    await screenshot(page, `projects-list-${viewport.width}`);

    // Pressed (by the keyboard too), the archived project shows, marked so; pressed again, it goes.
    await show.focus();
    await page.keyboard.press('Enter');
    await expect(show).toHaveAttribute('aria-pressed', 'true');
    await expect(show).toBeFocused();
    const old = list.getByRole('listitem').filter({ hasText: 'Old office' });
    await expect(old).toContainText('archived');
    await expect(old).toContainText('No tasks');
    await expectNoHorizontalScroll(page, `projects, archived shown ${viewport.width}`);
    await expectAccessible(page, `projects, archived shown ${viewport.width}`);
    await screenshot(page, `projects-list-archived-${viewport.width}`);
    await show.click();
    await expect(show).toHaveAttribute('aria-pressed', 'false');
    await expect(list.getByRole('link', { name: 'Old office' })).toHaveCount(0);
    await context.close();
  });
}

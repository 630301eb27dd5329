import { expect, test, type Page } from '@playwright/test';
import { DESKTOP, newPhone, orgFor, person, screenshot, signIn } from './helpers';

/** Types a project's name into the open form (opening it first) and sends it as asked. */
async function create(page: Page, name: string, by: 'click' | 'Enter') {
  const field = page.getByRole('textbox', { name: 'New project name' });
  if (!(await field.isVisible())) await page.getByRole('button', { name: 'New project' }).click();
  await field.fill(name);
  if (by === 'Enter') await field.press('Enter');
  else await page.getByRole('button', { name: 'Create project' }).click();
}

for (const size of ['360', '1280'] as const) {
  test(`at ${size} px a project created with Enter says so, with a way into it; with its button it opens`, async ({
    browser,
  }) => {
    const { context, page } = await newPhone(browser, size === '1280' ? { viewport: DESKTOP } : {});
    await signIn(page, person('Ana', orgFor(`project-created-${size}`), 'admin'));
    // Enough projects that on a phone the new row lands under the form, off screen.
    for (const name of ['Attic', 'Garage', 'Garden', 'Kitchen', 'Taxes'])
      await create(page, name, 'Enter');
    const toast = page.getByRole('region', { name: 'Recent actions' }).getByRole('status');

    // From the keyboard: said, and focus stays in the name for the next project.
    await create(page, 'Move house', 'Enter');
    const said = toast.filter({ hasText: 'Created “Move house”' });
    await expect(said).toBeInViewport();
    await expect(page.getByRole('textbox', { name: 'New project name' })).toBeFocused();
    await screenshot(page, `project-created-${size}`);

    // Its Open goes into the project.
    await said.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('heading', { name: 'Move house', level: 2 })).toBeAttached();
    await expect(page.getByLabel('New task title')).toBeVisible();
    await page.goBack();

    // By its button: it opens, focus in its "Add a task" field (nothing left to say).
    await create(page, 'Paint fence', 'click');
    await expect(page.getByRole('heading', { name: 'Paint fence', level: 2 })).toBeAttached();
    await expect(page.getByLabel('New task title')).toBeFocused();
    await expect(toast.filter({ hasText: 'Created “Paint fence”' })).toHaveCount(0);

    // Into a project from the list: the toast offering the way there goes with the list.
    await page.getByRole('link', { name: 'Back to projects', exact: true }).click();
    await create(page, 'Sweep yard', 'Enter');
    await expect(toast.filter({ hasText: 'Created “Sweep yard”' })).toBeInViewport();
    await page
      .getByRole('list', { name: 'Projects', exact: true })
      .getByRole('link', { name: 'Sweep yard', exact: true })
      .click();
    await expect(page.getByRole('heading', { name: 'Sweep yard', level: 2 })).toBeAttached();
    await expect(toast).toHaveCount(0);
    await context.close();
  });
}

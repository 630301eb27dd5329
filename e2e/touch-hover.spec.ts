import { expect, test } from '@playwright/test';
import { orgFor, person, PHONE, signInToProject, taskTitle } from './helpers';

// On a touch screen :hover stays on whatever was last tapped: a field that then sits under the
// finger must not look as if it were being edited, nor a row as if it were pointed at.
test('on a touch screen, a field or row under the last tap does not take the hover look', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  expect(await page.evaluate(() => matchMedia('(hover: hover)').matches)).toBe(false);
  await signInToProject(page, person('Ana', orgFor('touch-hover'), 'admin'), 'Garden', [
    'Water the beans',
  ]);
  const description = page.getByRole('textbox', { name: 'Project description' });
  const look = (el: Element) => {
    const s = getComputedStyle(el);
    return { border: s.borderTopColor, background: s.backgroundColor };
  };
  const before = await description.evaluate(look);
  await description.hover();
  expect(await description.evaluate(look)).toEqual(before);
  const row = taskTitle(page, 'Water the beans');
  const rowBefore = await row.evaluate(look);
  await row.hover();
  expect(await row.evaluate(look)).toEqual(rowBefore);
  await context.close();
});

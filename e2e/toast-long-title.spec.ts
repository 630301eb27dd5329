import { expect, test, type Locator } from '@playwright/test';
import {
  addTask,
  cutEnd,
  DESKTOP,
  newPhone,
  orgFor,
  person,
  screenshot,
  signInToProject,
} from './helpers';

const LONG =
  'Collect the signed permits from the council office and scan every page before the inspection with the building surveyor and our architect';

/** How many lines the element's text takes, from its height and its line height. */
function lines(el: Locator): Promise<number> {
  return el.evaluate((node) => {
    const lineHeight = parseFloat(getComputedStyle(node).lineHeight);
    return Math.round(node.getBoundingClientRect().height / lineHeight);
  });
}

/**
 * The ” right after the “…”: the cut box's room past the ellipsis, and a space the cut ended on,
 * stood between them ("“Collect the signed … ”").
 */
async function expectCloseQuoteAfterEllipsis(title: Locator): Promise<void> {
  const end = await cutEnd(title);
  expect(end.cut).toBe(true);
  expect(end.before).toMatch(/\S/);
  expect(end.gap).toBeLessThan(1);
  expect(Math.abs(end.markGap)).toBeLessThan(0.5);
}

test('on a phone, a toast keeps a long task title to one line and says the rest whole', async ({
  browser,
}) => {
  const ana = person('Ana', orgFor('toast-long-title'), 'admin');
  const { context, page } = await newPhone(browser);
  await signInToProject(page, ana, 'Permits');
  await addTask(page, LONG);

  await page.getByRole('checkbox', { name: `Complete “${LONG}”` }).click();

  const toast = page
    .getByRole('region', { name: 'Recent actions' })
    .getByRole('status')
    .filter({ hasText: 'Completed' });
  const words = toast.locator('.grow');
  // Read out whole: the cut is only drawn.
  await expect(words).toHaveText(`Completed “${LONG}”`);
  // "Completed" and the title on a line each at most; whole, the words took seven lines.
  expect(await lines(words)).toBeLessThanOrEqual(2);
  const title = toast.getByTitle(`“${LONG}”`);
  await expect(title).toBeVisible();
  expect(await lines(title)).toBe(1);
  // Cut inside its quotes: the ellipsis was drawn over the closing ” too ("“Collect the…").
  const drawn = await title.evaluate((el) => {
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let last: Text | null = null;
    for (let n = walk.nextNode(); n; n = walk.nextNode()) last = n as Text;
    const closing = document.createRange();
    closing.setStart(last!, last!.length - 1);
    closing.setEnd(last!, last!.length);
    const all = document.createRange();
    all.selectNodeContents(el);
    const box = el.getBoundingClientRect();
    return {
      mark: last!.data.at(-1),
      closingRight: closing.getBoundingClientRect().right,
      right: box.right,
      laidOut: all.getBoundingClientRect().width,
      shown: box.width,
    };
  });
  expect(drawn.mark).toBe('”');
  // The title is cut (laid out wider than it is shown)…
  expect(drawn.laidOut).toBeGreaterThan(drawn.shown);
  // …and its closing ” is drawn, inside what is shown.
  expect(drawn.closingRight).toBeLessThanOrEqual(drawn.right + 0.5);
  await expectCloseQuoteAfterEllipsis(title);
  await screenshot(page, 'toast-long-title-360');
  await page.setViewportSize(DESKTOP);
  await expect(title).toBeVisible();
  await expect.poll(async () => (await cutEnd(title)).gap).toBeLessThan(1);
  await expectCloseQuoteAfterEllipsis(title);
  await screenshot(page, 'toast-long-title-1280');
  // Its Undo is still there to press, beside the words.
  await expect(toast.getByRole('button', { name: 'Undo' })).toBeInViewport();
  await context.close();
});

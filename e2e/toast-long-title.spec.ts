import { expect, test, type Locator } from '@playwright/test';
import {
  addTask,
  cutEnd,
  DESKTOP,
  devToken,
  newPhone,
  openTask,
  orgFor,
  otherDevice,
  person,
  projectLink,
  screenshot,
  seedProject,
  signInToProject,
  taskDetail,
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

/** A project's name as long as a careful user's: it wrapped a "Moved … to …" toast too. */
const LONG_PROJECT = 'Council permits, inspections and the paperwork for the extension';

test('on a phone, a toast keeps a long task title to one line and says the rest whole', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('toast-long-title');
  const ana = person('Ana', org, 'admin');
  // A member with a 60-character name, to assign to: unquoted, it wrapped a toast over 3 lines.
  const LONG_NAME = 'Alexandra Konstantinopoulou-Wetherington of the Permits Desk';
  await devToken(baseURL!, {
    name: LONG_NAME,
    email: `alexandra@${org}.example.com`,
    org,
    role: 'member',
  });
  const { context, page } = await newPhone(browser);
  await seedProject(baseURL!, ana, LONG_PROJECT, []);
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
  // Two lines at most ("Completed" and the cut title share one); whole, the words took seven.
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

  // Two names in one toast, each on the line of the words before it, cut: two lines at most on
  // a phone (the title on a line of its own, then "to", then the project's name, took four).
  await page.setViewportSize({ width: 360, height: 740 });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await (await openTask(page, LONG)).getByLabel('Project').selectOption({ label: LONG_PROJECT });
  await expect(taskDetail(page)).toHaveCount(0);
  const moved = page
    .getByRole('region', { name: 'Recent actions' })
    .getByRole('status')
    .filter({ hasText: 'Moved' });
  await expect(moved.locator('.grow')).toHaveText(`Moved “${LONG}” to “${LONG_PROJECT}”`);
  await expect.poll(() => lines(moved.locator('.grow'))).toBeLessThanOrEqual(2);
  await expect(moved.getByTitle(`“${LONG_PROJECT}”`)).toBeVisible();
  await screenshot(page, 'toast-long-move-360');

  // So is an invitation's, for a long name and address (five lines, the name not cut at all).
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('button', { name: 'Invite someone' }).click();
  const form = page.getByRole('form', { name: 'Invite someone' });
  const name = 'Alexandra Konstantinopoulou-Wetherington';
  const email = 'alexandra.konstantinopoulou-wetherington@toast-long-title.example.com';
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Email').fill(email);
  await form.getByRole('button', { name: 'Send invitation' }).click();
  const invited = page
    .getByRole('region', { name: 'Recent actions' })
    .getByRole('status')
    .filter({ hasText: 'Invited' });
  await expect(invited.locator('.grow')).toHaveText(
    `Invited “${name}” to sign in with “${email}”.`,
  );
  await expect.poll(() => lines(invited.locator('.grow'))).toBeLessThanOrEqual(2);
  await screenshot(page, 'toast-long-invite-360');

  // A person's name is cut the same way, unquoted: "Assigned “…” to Alexandra…" in two lines.
  await page.getByRole('link', { name: 'Projects' }).click();
  await projectLink(page, LONG_PROJECT).click();
  await page.getByRole('button', { name: 'Select', exact: true }).click();
  await page.getByRole('checkbox', { name: `Select “${LONG}”` }).check();
  await page
    .getByRole('toolbar', { name: 'Selected tasks' })
    .getByLabel('Assign the selected tasks')
    .selectOption({ label: LONG_NAME });
  const assigned = page
    .getByRole('region', { name: 'Recent actions' })
    .getByRole('status')
    .filter({ hasText: 'Assigned' });
  await expect(assigned.locator('.grow')).toHaveText(`Assigned “${LONG}” to ${LONG_NAME}`);
  await expect.poll(() => lines(assigned.locator('.grow'))).toBeLessThanOrEqual(2);
  await expect(assigned.getByTitle(LONG_NAME, { exact: true })).toBeVisible();
  await screenshot(page, 'toast-long-assign-360');

  // Two teammates with long names assign Ana a task each: "Alexandra… and Bartholomew… assigned
  // you 2 tasks" in two lines, the names sharing one (cut to a line each, it took three).
  const OTHER_NAME = 'Bartholomew Featherstonehaugh-Vanderbilt of Accounts Payable';
  const { device: anasOther, taskIds } = await seedProject(baseURL!, ana, 'Inbox', [
    'Sign the lease',
    'Book the van',
  ]);
  const teammate = (name: string, email: string) =>
    otherDevice(baseURL!, { name, email: `${email}@${org}.example.com`, org, role: 'member' });
  const [alexandra, bartholomew] = await Promise.all([
    teammate(LONG_NAME, 'alexandra'),
    teammate(OTHER_NAME, 'bartholomew'),
  ]);
  const me = anasOther.userId;
  await alexandra.push([
    alexandra.change('task.update', taskIds[0]!, { fields: { assigneeId: me } }),
  ]);
  await bartholomew.push([
    bartholomew.change('task.update', taskIds[1]!, { fields: { assigneeId: me } }),
  ]);
  const two = page
    .getByRole('region', { name: 'Recent actions' })
    .getByRole('status')
    .filter({ hasText: 'assigned you' });
  await expect(two.locator('.grow')).toHaveText(
    `${LONG_NAME} and ${OTHER_NAME} assigned you 2 tasks`,
  );
  await expect.poll(() => lines(two.locator('.grow'))).toBeLessThanOrEqual(2);
  await expect(two.getByTitle(OTHER_NAME, { exact: true })).toBeVisible();
  await screenshot(page, 'toast-two-names-360');
  await context.close();
});

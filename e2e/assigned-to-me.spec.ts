import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  screenshot,
  signInEach,
  taskDetail,
  taskTitle,
  seedProject,
} from './helpers';

test('your own work: "(you)" first in the pickers, i assigns the open task to you, m and "Assigned to me" show only yours', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const org = orgFor('assigned-to-me');
  const [ana, ben] = await Promise.all([
    newPhone(browser, { viewport: DESKTOP }),
    newPhone(browser, { viewport: DESKTOP }),
  ]);
  await seedProject(baseURL!, person('Ana', org, 'admin'), 'Launch', [
    'Book venue',
    'Write copy',
    'Print flyers',
  ]);
  await signInEach(
    [ana.page, person('Ana', org, 'admin')],
    [ben.page, person('Ben', org, 'member')],
  );
  await openProject(ana.page, 'Launch');

  // Ana's picker names her "(you)", first after Unassigned; Ben as himself.
  const detail = await openTask(ana.page, 'Book venue');
  const picker = detail.getByLabel('Assignee');
  await expect(picker.getByRole('option')).toHaveText(['Unassigned', 'Ana (you)', 'Ben']);
  await picker.selectOption({ label: 'Ben' });
  await expect(picker).toHaveValue(/.+/);

  // i, with the detail open, takes the task: no picker, at once.
  await taskTitle(ana.page, 'Write copy').click();
  await expect(taskDetail(ana.page).getByLabel('Title')).toHaveValue('Write copy');
  await ana.page.keyboard.press('i');
  await expect(taskDetail(ana.page).getByLabel('Assignee').locator('option:checked')).toHaveText(
    'Ana (you)',
  );
  await ana.page.keyboard.press('Escape');
  await expect(taskDetail(ana.page)).toHaveCount(0);

  // m: only the tasks assigned to Ana; m again: everyone's.
  await ana.page.keyboard.press('m');
  await expect(ana.page.getByText('1 matching task')).toBeVisible();
  await expect(taskTitle(ana.page, 'Write copy')).toBeVisible();
  await expect(ana.page.getByLabel('Assignee')).toHaveValue(/.+/);
  await expect(ana.page.getByLabel('Assignee').locator('option:checked')).toHaveText(
    'Assigned to me',
  );
  await screenshot(ana.page, 'assigned-to-me-1280');
  await ana.page.keyboard.press('m');
  await expect(taskTitle(ana.page, 'Print flyers')).toBeVisible();
  await expect(ana.page.getByLabel('Assignee')).toHaveValue('any');

  // The shortcuts' list has both keys.
  await ana.page.keyboard.press('?');
  const help = ana.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Assign the open task to me');
  await expect(help).toContainText('Only tasks assigned to me');
  await ana.page.keyboard.press('Escape');

  // Ben, on his side: "Assigned to me" finds what Ana gave him, across every project too.
  await openProject(ben.page, 'Launch');
  await ben.page.getByLabel('Assignee').selectOption({ label: 'Assigned to me' });
  await expect(ben.page.getByText('1 matching task')).toBeVisible();
  await expect(taskTitle(ben.page, 'Book venue')).toBeVisible();
  await ben.page.getByRole('link', { name: 'Search all tasks' }).click();
  // Arriving puts focus in the search field: Escape leaves it, then m is a key, not a letter.
  // The search comes up on `hashchange`, a task after the click: keys pressed before it went to
  // the project's screen (its m turned its own "Assigned to me" off).
  await expect(ben.page.getByRole('searchbox', { name: 'Search all tasks' })).toBeFocused();
  await ben.page.keyboard.press('Escape');
  await ben.page.keyboard.press('m');
  await expect(ben.page.getByText('1 matching task')).toBeVisible();
  await expect(taskTitle(ben.page, 'Book venue')).toBeVisible();
  await ana.context.close();
  await ben.context.close();
});

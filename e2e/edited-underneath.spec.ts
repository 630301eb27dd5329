import { expect, test, type Browser } from '@playwright/test';
import {
  DESKTOP,
  expectAccessible,
  expectNoHorizontalScroll,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  renameTask,
  screenshot,
  seedProject,
  signInEach,
  taskDetail,
  taskTitle,
  undoWindowPasses,
} from './helpers';

/**
 * Ana (admin, at 1280 px) and Ben (member, on a phone unless `benWide`) both in Ana's project
 * `project` with its one task `task`, made on another device of hers (these tests are not about
 * making one) while their pages open; signed in side by side. `clock`: Ana's page gets a fake
 * clock that keeps flowing, for a test to jump past a delete's undo window.
 */
async function anaAndBenIn(
  browser: Browser,
  orgName: string,
  project: string,
  task: string,
  { benWide = false, clock = false } = {},
) {
  const org = orgFor(orgName);
  const anaWho = person('Ana', org, 'admin');
  const [ana, ben] = await Promise.all([
    newPhone(browser, { viewport: DESKTOP }),
    newPhone(browser, benWide ? { viewport: DESKTOP } : {}),
    seedProject(test.info().project.use.baseURL!, anaWho, project, [task]),
  ]);
  if (clock) await ana.page.clock.install();
  await signInEach([ana.page, anaWho], [ben.page, person('Ben', org, 'member')]);
  await Promise.all([openProject(ana.page, project), openProject(ben.page, project)]);
  await expect(taskTitle(ben.page, task)).toBeVisible();
  return { ana, ben };
}

test('a teammate edits the field you are typing in: a line says who and to what; Enter keeps yours, Escape takes theirs', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { ana, ben } = await anaAndBenIn(browser, 'edited-underneath', 'Launch', 'Ship');

  // Ana types a new title and has not saved it when Ben's rename arrives.
  const detail = await openTask(ana.page, 'Ship');
  const title = detail.getByLabel('Title');
  await title.fill('Ship v3');
  const line = detail.getByRole('status').filter({ hasText: 'while you were editing' });
  await expect(line).toHaveCount(0);
  await renameTask(ben.page, 'Ship', 'Ship v2');
  await expect(line).toHaveText(
    'Ben changed the title to “Ship v2” while you were editing. Enter keeps yours; Escape takes theirs.',
  );
  await expect(title).toHaveValue('Ship v3');
  await expect(title).toBeFocused();
  await screenshot(ana.page, 'edited-underneath-1280');
  await expectNoHorizontalScroll(ana.page, 'edited underneath, 1280');
  await expectAccessible(ana.page, 'edited underneath, 1280');

  // Enter keeps Ana's: the line goes, and both sides converge on it, with both edits in History.
  await title.press('Enter');
  await expect(line).toHaveCount(0);
  await expect(title).toHaveValue('Ship v3');
  await expect(taskTitle(ben.page, 'Ship v3')).toBeVisible();
  const history = detail.getByRole('region', { name: 'History of this task' });
  await expect(history).toContainText('Ben renamed “Ship” to “Ship v2”');
  await expect(history).toContainText('You renamed “Ship v2” to “Ship v3”');

  // On Ben's phone, his unsaved notes meet Ana's: Escape takes hers, and the line goes.
  const benDetail = await openTask(ben.page, 'Ship v3');
  const notes = benDetail.getByLabel('Notes');
  await notes.fill('Ben’s draft');
  await detail.getByLabel('Notes').fill('Venue booked');
  await detail.getByLabel('Notes').press('ControlOrMeta+Enter');
  const benLine = benDetail.getByRole('status').filter({ hasText: 'while you were editing' });
  await expect(benLine).toHaveText(
    /^Ana changed the notes to “Venue booked” while you were editing\. (Ctrl\+Enter|⌘Enter) keeps yours; Escape takes theirs\.$/,
  );
  await expect(notes).toHaveValue('Ben’s draft');
  await screenshot(ben.page, 'edited-underneath-360');
  await expectNoHorizontalScroll(ben.page, 'edited underneath, 360');
  await notes.press('Escape');
  await expect(notes).toHaveValue('Venue booked');
  await expect(benLine).toHaveCount(0);
  // Nothing unsaved is left: the next Escape closes the detail, as ever.
  await notes.press('Escape');
  await expect(taskDetail(ben.page)).toHaveCount(0);
  await ana.context.close();
  await ben.context.close();
});

test('a teammate deletes the task you are typing notes in: you are told who, and what you typed is there to copy', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { ana, ben } = await anaAndBenIn(browser, 'deleted-underneath', 'Launch', 'Ship', {
    clock: true,
  });

  // Ben is in the middle of a paragraph, not saved, when Ana deletes the task.
  const detail = await openTask(ben.page, 'Ship');
  await detail.getByLabel('Notes').fill('Ask the printer for two more boxes');
  const anaDetail = await openTask(ana.page, 'Ship');
  await anaDetail.getByRole('button', { name: 'Delete task' }).click();
  // The delete is sent once its undo window closes.
  await undoWindowPasses(ana.page, 'Ship');

  await expect(detail.getByText('Ana deleted this task, “Ship”.')).toBeVisible();
  await expect(detail.getByText('What you were typing was not saved')).toBeVisible();
  await expect(detail.getByRole('textbox', { name: 'Notes' })).toHaveValue(
    'Ask the printer for two more boxes',
  );
  // Focus was in the notes, which went with the task: it is in the panel, where Escape closes.
  await expect(detail.getByRole('heading', { name: 'Task' })).toBeFocused();
  await expectNoHorizontalScroll(ben.page, 'deleted under typed notes');
  await expectAccessible(ben.page, 'deleted under typed notes');
  await screenshot(ben.page, 'deleted-underneath-360');
  await ben.page.setViewportSize(DESKTOP);
  await screenshot(ben.page, 'deleted-underneath-1280');
  await ben.page.keyboard.press('Escape');
  await expect(taskDetail(ben.page)).toHaveCount(0);
  await ana.context.close();
  await ben.context.close();
});

test('a teammate deletes the project you are in: it says who deleted it, not that it may never have arrived', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { ana, ben } = await anaAndBenIn(
    browser,
    'project-deleted-underneath',
    'Old stuff',
    'Sort the shed',
  );

  await ana.page.getByRole('button', { name: 'More actions' }).click();
  await ana.page.getByRole('menuitem', { name: 'Delete project' }).click();
  await ana.page.getByRole('alertdialog').getByRole('button', { name: 'Delete project' }).click();

  await expect(ben.page.getByRole('heading', { name: 'Project deleted' })).toBeVisible();
  await expect(ben.page.getByText('Ana deleted “Old stuff”.')).toBeVisible();
  await expect(ben.page.getByText('It may have been deleted')).toHaveCount(0);
  await screenshot(ben.page, 'project-deleted-underneath-360');
  await ben.page.setViewportSize(DESKTOP);
  await screenshot(ben.page, 'project-deleted-underneath-1280');
  await ana.context.close();
  await ben.context.close();
});

test('a teammate deletes the project while you type in its open task: what you typed is there to copy, and focus is on the screen', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { ana, ben } = await anaAndBenIn(
    browser,
    'project-deleted-typing',
    'Launch',
    'Write copy',
    { benWide: true },
  );
  // Ben is typing a longer title, not saved yet, when Ana deletes the project.
  const detail = await openTask(ben.page, 'Write copy');
  await detail.getByLabel('Title').fill('Write copy for the launch page');

  await ana.page.getByRole('button', { name: 'More actions' }).click();
  await ana.page.getByRole('menuitem', { name: 'Delete project' }).click();
  await ana.page.getByRole('alertdialog').getByRole('button', { name: 'Delete project' }).click();

  const heading = ben.page.getByRole('heading', { name: 'Project deleted' });
  await expect(heading).toBeVisible();
  await expect(ben.page.getByText('Ana deleted “Launch”.')).toBeVisible();
  // The task went with the project: its screen went too, and with it the text typed. Not lost.
  await expect(ben.page.getByText('What you were typing was not saved')).toBeVisible();
  await expect(ben.page.getByRole('textbox', { name: 'Title of “Write copy”' })).toHaveValue(
    'Write copy for the launch page',
  );
  // Focus was in the field, which went: it is on the screen's heading, not the page.
  await expect(heading).toBeFocused();
  await expectAccessible(ben.page, 'project deleted under typed title');
  await ana.context.close();
  await ben.context.close();
});

test('a task deleted while you typed, its text shown and the panel closed, then its project deleted: the project’s screen does not list that text again', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { ana, ben } = await anaAndBenIn(browser, 'gone-text-once', 'Launch', 'Ship', {
    clock: true,
  });

  const detail = await openTask(ben.page, 'Ship');
  await detail.getByLabel('Notes').fill('Ask the printer for two more boxes');
  const anaDetail = await openTask(ana.page, 'Ship');
  await anaDetail.getByRole('button', { name: 'Delete task' }).click();
  await undoWindowPasses(ana.page, 'Ship');
  // Shown in the task's panel, to copy; Ben closes it. Read from the box to copy, not from the
  // Notes field typed in (it has the same name and value until the delete arrives): closed before
  // the save failed, the panel never showed the text, so the project's screen still lists it.
  const toCopy = detail.getByRole('status');
  await expect(toCopy.getByText('What you were typing was not saved')).toBeVisible();
  await expect(toCopy.getByRole('textbox', { name: 'Notes' })).toHaveValue(
    'Ask the printer for two more boxes',
  );
  await expect(detail.getByRole('heading', { name: 'Task' })).toBeFocused();
  await ben.page.keyboard.press('Escape');
  await expect(taskDetail(ben.page)).toHaveCount(0);

  // Then Ana deletes the project: its screen says so, without that text a second time.
  await ana.page.getByRole('button', { name: 'More actions' }).click();
  await ana.page.getByRole('menuitem', { name: 'Delete project' }).click();
  await ana.page.getByRole('alertdialog').getByRole('button', { name: 'Delete project' }).click();
  await expect(ben.page.getByRole('heading', { name: 'Project deleted' })).toBeVisible();
  await expect(ben.page.getByText('Ana deleted “Launch”.')).toBeVisible();
  await expect(ben.page.getByText('What you were typing was not saved')).toHaveCount(0);
  await screenshot(ben.page, 'gone-text-once-360');
  await ben.page.setViewportSize(DESKTOP);
  await screenshot(ben.page, 'gone-text-once-1280');
  await ana.context.close();
  await ben.context.close();
});

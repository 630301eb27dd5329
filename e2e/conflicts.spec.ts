import { expect, test } from '@playwright/test';
import {
  addTask,
  closeTask,
  createProject,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  person,
  renameTask,
  screenshot,
  signIn,
  taskDetail,
  taskTitle,
} from './helpers';

test('both sides edit one task offline: different fields merge, the same field converges and the loser is in the feed', async ({
  browser,
}) => {
  // Each task edit goes through the task's detail view: more steps than the old inline rows.
  test.setTimeout(180_000);
  const org = orgFor('conflicts');
  const [ana, ben] = await Promise.all([newPhone(browser), newPhone(browser)]);
  await signIn(ana.page, person('Ana', org, 'admin'));
  await createProject(ana.page, 'Offsite');
  await addTask(ana.page, 'Plan');
  await expectSynced(ana.page);
  await signIn(ben.page, person('Ben', org, 'manager'));
  await openProject(ben.page, 'Offsite');
  await expect(taskTitle(ben.page, 'Plan')).toBeVisible();

  await ana.context.setOffline(true);
  await ben.context.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toContainText('Offline');
  await expect(ben.page.getByTestId('connection')).toContainText('Offline');

  // Different fields: both survive.
  await (await openTask(ana.page, 'Plan')).getByLabel('Status').selectOption('doing');
  await closeTask(ana.page);
  await (await openTask(ben.page, 'Plan')).getByLabel('Due date').fill('2026-12-01');
  await closeTask(ben.page);
  // The same field: one value wins everywhere, the other is recorded as lost.
  await renameTask(ana.page, 'Plan', 'Plan A');
  await renameTask(ben.page, 'Plan', 'Plan B');
  // Each takes the task (an id underneath): the loser is named, never shown as its id.
  await (
    await openTask(ana.page, 'Plan A')
  )
    .getByLabel('Assignee')
    .selectOption({ label: 'Ana (you)' });
  await closeTask(ana.page);
  const offline = await openTask(ben.page, 'Plan B');
  await offline.getByLabel('Assignee').selectOption({ label: 'Ben (you)' });
  // The detail says its changes are still on this device only.
  await expect(offline.getByText('not synced yet', { exact: true })).toBeVisible();
  await expect(offline.getByRole('region', { name: 'History of this task' })).toContainText(
    'Changes not synced yet join the history once the server has them.',
  );
  await closeTask(ben.page);

  await ben.context.setOffline(false);
  await expectSynced(ben.page);
  await ana.context.setOffline(false);
  await expectSynced(ana.page);
  // No reload, no "sync now": Ben hears about Ana's push over the socket and pulls it.

  // Ana lost both: each notice names the values, a person by name (never an id).
  const notices = ana.page.getByTestId('conflict-notice');
  await expect(notices).toHaveCount(2);
  await expect(notices.filter({ hasText: 'your assignee' })).toContainText(
    'your assignee Ana was replaced by Ben’s Ben',
  );
  await expect(notices.filter({ hasText: 'your title' })).toContainText(
    'your title “Plan A” was replaced by Ben’s “Plan B”',
  );
  // On a phone they cover the end of a short page: it scrolls the task above them, and the task
  // opens before either is answered.
  await taskTitle(ana.page, 'Plan B').click({ timeout: 5_000 });
  await expect(taskDetail(ana.page).getByLabel('Title')).toHaveValue('Plan B');
  await closeTask(ana.page);
  await screenshot(ana.page, 'conflict-notices-360');
  // On a phone the newest shows and the other waits under "1 more conflict": each answer goes
  // to the one shown.
  for (let n = 2; n > 0; n--) {
    await notices.last().getByRole('button', { name: 'Keep theirs' }).click();
    await expect(notices).toHaveCount(n - 1);
  }

  // Ben wrote the title last (later clock): his value wins on both replicas.
  for (const { page } of [ana, ben]) {
    await expect(taskTitle(page, 'Plan B')).toBeVisible();
    const detail = await openTask(page, 'Plan B');
    await expect(detail.getByLabel('Status')).toHaveValue('doing');
    await expect(detail.getByLabel('Due date')).toHaveValue('2026-12-01');
    await closeTask(page);
  }

  // The task's own history says it as the feed does, in names and words.
  const history = (await openTask(ana.page, 'Plan B')).getByRole('region', {
    name: 'History of this task',
  });
  await expect(history.locator('li[data-action="conflict"]').first()).toBeVisible();
  await expect(history).toContainText(
    'Edits collided: Ben’s title “Plan B” replaced your “Plan A”',
  );
  await expect(history).toContainText('Ben’s assignee Ben replaced your Ana');
  await expect(history).not.toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  await expect(taskDetail(ana.page).getByText('not synced yet', { exact: true })).toHaveCount(0);
  await closeTask(ana.page);

  // The feed names whose value lost and what it was, on both devices (yours as "your").
  for (const [{ page }, lines] of [
    [ana, ['Ben’s title “Plan B” replaced your “Plan A”', 'Ben’s assignee Ben replaced your Ana']],
    [ben, ['Your title “Plan B” replaced Ana’s “Plan A”', 'Your assignee Ben replaced Ana’s Ana']],
  ] as const) {
    await page.getByRole('link', { name: 'Activity' }).click();
    const conflicts = page.locator('li[data-action="conflict"]');
    await expect(conflicts).toHaveCount(2);
    await expect(conflicts.filter({ hasText: 'title' })).toContainText(lines[0]);
    await expect(conflicts.filter({ hasText: 'assignee' })).toContainText(lines[1]);
  }

  await ana.context.close();
  await ben.context.close();
});

import { expect, test } from '@playwright/test';
import {
  addTask,
  closeTask,
  DESKTOP,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  otherDevice,
  person,
  screenshot,
  signIn,
  taskDetail,
  taskTitle,
  uuidv7,
} from './helpers';

test('a task added offline to a project deleted meanwhile is added to another project with every field it had', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const org = orgFor('refused-task');
  const benWho = person('Ben', org, 'admin');
  // Ben's other device makes Party and Office.
  const device = await otherDevice(baseURL!, benWho);
  const [party, office] = [uuidv7(), uuidv7()];
  const project = (name: string) => ({
    fields: { name, description: '', status: 'active', ownerId: device.userId },
  });
  await device.push([
    device.change('project.create', party, project('Party')),
    device.change('project.create', office, project('Office')),
  ]);

  // Ana, offline, adds a task to Party and gives it notes, a due date and Ben.
  const ana = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ana.page, person('Ana', org, 'member'));
  await openProject(ana.page, 'Party');
  await expectSynced(ana.page);
  await ana.context.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toContainText('Offline');
  await addTask(ana.page, 'Order chairs');
  const detail = await openTask(ana.page, 'Order chairs');
  await detail.getByLabel('Notes').fill('Forty, the folding kind');
  await detail.getByLabel('Notes').blur();
  await detail.getByLabel('Due date').fill('2026-12-24');
  await detail.getByLabel('Assignee').selectOption({ label: 'Ben' });
  await closeTask(ana.page);

  // Meanwhile Ben deletes Party; he has Office open in his browser.
  const ben = await newPhone(browser, { viewport: DESKTOP });
  await signIn(ben.page, benWho);
  await device.push([device.change('project.delete', party)]);
  await openProject(ben.page, 'Office');

  // Back online, Ana's task is refused: one notice, which offers to add it elsewhere.
  await ana.context.setOffline(false);
  const notice = ana.page.getByTestId('refused-task');
  await expect(notice).toContainText('The server refused creating the task “Order chairs”');
  await expect(ana.page.locator('[data-kind="rejected"]')).toHaveCount(1);
  await screenshot(ana.page, 'refused-task-1280');
  await ana.page.setViewportSize({ width: 360, height: 740 });
  await screenshot(ana.page, 'refused-task-360');
  await ana.page.setViewportSize(DESKTOP);
  // Its words can be copied too, every field with them.
  await ana.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await notice.getByRole('button', { name: 'Copy text' }).click();
  await expect(notice.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await ana.page.evaluate(() => navigator.clipboard.readText())).toBe(
    'Order chairs\nAssignee: Ben\nDue: 2026-12-24\n\nForty, the folding kind',
  );
  const addElsewhere = notice.getByRole('button', { name: 'Add to another project…' });
  await addElsewhere.click();
  const picker = notice.getByRole('form', { name: 'Add “Order chairs” to another project' });
  await expect(picker.getByLabel('Add it to')).toBeFocused();
  await screenshot(ana.page, 'refused-task-picking-1280');
  // Escape backs out: nothing added, focus back on the button.
  await ana.page.keyboard.press('Escape');
  await expect(picker).toHaveCount(0);
  await expect(addElsewhere).toBeFocused();
  await ana.page.keyboard.press('Enter');
  await expect(picker.getByLabel('Add it to')).toBeFocused();
  await picker.getByLabel('Add it to').selectOption({ label: 'Office' });
  await picker.getByRole('button', { name: 'Add' }).click();
  await expect(notice).toContainText('“Order chairs” was added to “Office”.');
  await expectSynced(ana.page);
  await notice.getByRole('link', { name: 'Open' }).click();
  const added = taskDetail(ana.page);
  await expect(added.getByLabel('Title')).toHaveValue('Order chairs');
  await expect(added.getByLabel('Notes')).toHaveValue('Forty, the folding kind');
  await expect(added.getByLabel('Due date')).toHaveValue('2026-12-24');
  await expect(added.getByLabel('Assignee')).toHaveValue(device.userId);
  await expect(added.getByLabel('Project')).toHaveValue(office);

  // Ben sees it in Office, with every field.
  await expect(taskTitle(ben.page, 'Order chairs')).toBeVisible();
  const his = await openTask(ben.page, 'Order chairs');
  await expect(his.getByLabel('Notes')).toHaveValue('Forty, the folding kind');
  await expect(his.getByLabel('Due date')).toHaveValue('2026-12-24');
  await expect(his.getByLabel('Assignee')).toHaveValue(device.userId);
  await closeTask(ben.page);

  await ana.page.setViewportSize({ width: 360, height: 740 });
  await screenshot(ana.page, 'refused-task-added-360');
  await ana.context.close();
  await ben.context.close();
});

import { expect, test } from '@playwright/test';
import {
  addTask,
  closeTask,
  createProject,
  cuttableSocket,
  devToken,
  expectSynced,
  newPhone,
  openProject,
  openTask,
  orgFor,
  otherDevice,
  person,
  signIn,
  taskTitle,
  uuidv7,
} from './helpers';

test('a change the server refuses rolls back and says why', async ({ browser, baseURL }) => {
  // Each task edit goes through the task's detail view: more steps than the old inline rows.
  test.setTimeout(180_000);
  const org = orgFor('rejection');
  const ana = await newPhone(browser);
  const mia = await newPhone(browser);
  const anaWho = person('Ana', org, 'admin');
  await signIn(ana.page, anaWho);
  await createProject(ana.page, 'Budget');
  await addTask(ana.page, 'Approve spend');
  await expectSynced(ana.page);

  // Ben joins the org (his first request creates his user row).
  const ben = person('Ben', org, 'member');
  const res = await fetch(`${baseURL}/api/v1/auth/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ben.email, name: ben.name, orgId: ben.org, role: ben.role }),
  });
  const benId = ((await res.json()) as { user: { id: string } }).user.id;

  // Mia, a member, is offered only what the server allows her; she assigns the task to Ben
  // while offline…
  await signIn(mia.page, person('Mia', org, 'member'));
  await openProject(mia.page, 'Budget');
  await expect(taskTitle(mia.page, 'Approve spend')).toBeVisible();
  const detail = await openTask(mia.page, 'Approve spend');
  await expect(detail.getByLabel('Assignee').getByRole('option', { name: 'Ben' })).toBeAttached();
  await mia.context.setOffline(true);
  await expect(mia.page.getByTestId('connection')).toContainText('Offline');
  await detail.getByLabel('Assignee').selectOption({ label: 'Ben' });
  await expect(detail.getByLabel('Assignee')).toHaveValue(benId);
  await closeTask(mia.page);

  // …while an admin removes Ben from the org.
  const token = await devToken(baseURL!, anaWho);
  const del = await fetch(`${baseURL}/api/v1/primary-data/users/${benId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(del.status).toBe(204);

  // Back online, the assignment is refused on push: it rolls back and a notice explains.
  await mia.context.setOffline(false);
  const notice = mia.page.locator('[data-kind="rejected"]');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(/deleted/i);
  // In the person's words: which task, and no ids.
  await expect(notice).toContainText('The server refused editing the task “Approve spend”: the ');
  // A member gone from this device is named by their removal's activity.
  await expect(notice).toContainText('the member “Ben”');
  await expect(notice).not.toContainText(benId);
  await expect(notice).not.toContainText('assigneeId');
  await expectSynced(mia.page);
  await expect((await openTask(mia.page, 'Approve spend')).getByLabel('Assignee')).toHaveValue('');
  await closeTask(mia.page);

  // The rejection is in the inspector with its reason, and the task is unchanged for Ana.
  await mia.page.getByRole('link', { name: 'Sync' }).click();
  const rejected = mia.page.getByRole('region', { name: 'Rejected changes' });
  await expect(rejected.getByRole('listitem')).toHaveCount(1);
  await expect(rejected.getByRole('listitem')).toContainText('Approve spend');
  await expect(mia.page.getByRole('table', { name: 'Pending mutations' })).toHaveCount(0);
  await expect(taskTitle(ana.page, 'Approve spend')).toBeVisible();
  await expect((await openTask(ana.page, 'Approve spend')).getByLabel('Assignee')).toHaveValue('');

  await ana.context.close();
  await mia.context.close();
});

test('a move the server refuses takes its “Moved … · Undo” toast away with it', async ({
  browser,
  baseURL,
}) => {
  const org = orgFor('refused-move');
  const anaWho = person('Ana', org, 'admin');
  // Ana's other device makes Launch (with a task) and Website.
  const ana = await otherDevice(baseURL!, anaWho);
  const [launch, website, task] = [uuidv7(), uuidv7(), uuidv7()];
  const project = (name: string) => ({
    fields: { name, description: '', status: 'active', ownerId: ana.userId },
  });
  await ana.push([
    ana.change('project.create', launch, project('Launch')),
    ana.change('project.create', website, project('Website')),
    ana.change('task.create', task, {
      fields: {
        projectId: launch,
        title: 'Write copy',
        notes: '',
        status: 'todo',
        assigneeId: null,
        dueDate: null,
      },
    }),
  ]);

  // Mia, a member, has both projects; her socket is cut, so she does not hear of what follows.
  const mia = await newPhone(browser);
  const socket = await cuttableSocket(mia.context);
  await signIn(mia.page, person('Mia', org, 'member'));
  await openProject(mia.page, 'Launch');
  const detail = await openTask(mia.page, 'Write copy');
  await expectSynced(mia.page);
  await socket.cut();
  await ana.push([ana.change('project.delete', website)]);

  // She moves the task to Website, which the server has deleted: refused, the move is undone,
  // and the toast offering to undo it goes (there is nothing left to undo).
  await detail.getByLabel('Project').selectOption({ label: 'Website' });
  const notice = mia.page.locator('[data-kind="rejected"]');
  await expect(notice).toContainText('The server refused editing the task “Write copy”');
  // Gone as the notice came, not merely when its undo window ran out: counted at once, since
  // an expect that retries would wait that window out.
  expect(await mia.page.getByText('Moved “Write copy” to Website').count()).toBe(0);
  expect(await mia.page.getByRole('button', { name: 'Undo', exact: true }).count()).toBe(0);
  await expect(taskTitle(mia.page, 'Write copy')).toBeVisible();

  socket.restore();
  await mia.context.close();
});

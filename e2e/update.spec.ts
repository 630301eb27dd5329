import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  accountButton,
  addTask,
  createProject,
  DESKTOP,
  newPhone,
  openTask,
  orgFor,
  person,
  PHONE,
  signIn,
  waitForServiceWorker,
  signInToProject,
  taskTitle,
} from './helpers';

/** The entry files a deploy replaces, with their precompressed siblings (the server prefers those). */
const ENTRY_FILES = ['sw.js', 'index.html', 'manifest.webmanifest'].flatMap((f) => [
  f,
  `${f}.br`,
  `${f}.gz`,
]);

function deploy(from: string, to: string) {
  for (const file of ENTRY_FILES) {
    if (fs.existsSync(path.join(from, file)))
      fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
}

const builds = JSON.parse(fs.readFileSync(path.resolve('.artifacts/e2e-builds.json'), 'utf8')) as {
  served: string;
  next: string;
  nextVersion: string;
};

/** What a newer version's tab does on open: the database one version up (Dexie's × 10). */
async function openNewerVersion(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const [info] = (await indexedDB.databases()).filter((d) => d.name?.startsWith('outpost-'));
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(info!.name!, info!.version! + 10);
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
  });
}

test.afterAll(() => {
  // Put the original entry files back for any test that runs after this one.
  deploy(path.resolve('client/dist'), builds.served);
});

test('a new deploy is detected and "reload" switches the app to it', async ({ browser }) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('update'), 'admin'));
  await waitForServiceWorker(page);
  await page.getByRole('link', { name: 'Sync' }).click();
  const before = await page.getByTestId('app-version').textContent();
  expect(before).not.toBe(builds.nextVersion);

  // Deploy: the new build's entry files replace the old ones in the directory the server serves
  // (its hashed assets were staged beside the old ones at start), then the app checks for an
  // update as it does when it regains focus.
  deploy(builds.next, builds.served);
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    await reg?.update();
  });

  const banner = page.getByText('A new version of Outpost is available.');
  await expect(banner).toBeVisible();
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name: 'Reload to update' }).click(),
  ]);
  await page.getByRole('link', { name: 'Sync' }).click();
  await expect(page.getByTestId('app-version')).toHaveText(builds.nextVersion);
  await expect(banner).toHaveCount(0);
  await context.close();
});

test('a tab whose database another tab upgraded stops and offers the reload', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  // The database closes under whatever was reading it: the app expects that, nothing throws.
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`${err.name}: ${err.message}`));
  await signIn(page, person('Ana', orgFor('upgraded'), 'admin'));
  await expect(page.getByTestId('connection')).toBeVisible();
  const banner = page.getByText('A new version of Outpost is available.');
  await expect(banner).toHaveCount(0);
  await openNewerVersion(page);
  await expect(banner).toBeVisible();
  // The status line says what to do, not that the server cannot be reached.
  await expect(page.getByTestId('connection')).toHaveText(
    'Action needed — update the app (reload); unsent changes are kept',
  );
  expect(errors).toEqual([]);
  await context.close();
});

test('"Reload to update" asks before it clears a title typed into "Add a task"; Escape keeps it', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Ana', orgFor('update-draft'), 'admin'), 'Garden');
  const field = page.getByLabel('New task title');
  await field.fill('Call the plumber');
  // The update offered as a deploy offers it.
  await openNewerVersion(page);
  await page.getByRole('button', { name: 'Reload to update' }).click();
  const question = page.getByRole('alertdialog', { name: 'Reload and lose what you typed?' });
  await expect(question).toContainText('\u201cAdd a task\u201d');
  await expect(question).toContainText('Your unsent changes are kept.');
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(field).toHaveValue('Call the plumber');
  await context.close();
});

test('closing or reloading the tab with a title typed into "Add a task" asks first (the browser\'s own question); with nothing typed it does not', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Ana', orgFor('leave-draft'), 'admin'), 'Garden');
  const field = page.getByLabel('New task title');
  await field.fill('Call the plumber');
  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  // Stay: the page and the text are still there.
  await dialog.dismiss();
  await expect(field).toHaveValue('Call the plumber');
  // Added, nothing is left unsaved: the tab closes without a question.
  await field.press('Enter');
  await expect(field).toHaveValue('');
  let questions = 0;
  page.on('dialog', () => questions++);
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(questions).toBe(0);
  await context.close();
});

test("a new project's name and an invitation not sent ask before the tab closes; a task's title, saved as it is typed, does not", async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signIn(page, person('Ana', orgFor('leave-forms'), 'admin'));
  /** Closing the tab asks (the browser's own question); staying keeps the page. */
  const asksBeforeClosing = async () => {
    const asked = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
  };

  await page.getByRole('button', { name: 'New project' }).click();
  const name = page.getByRole('textbox', { name: 'New project name' });
  await name.fill('Garden');
  await asksBeforeClosing();
  await expect(name).toHaveValue('Garden');
  // Escape backs out: nothing typed is left, and the tab would close unasked.
  await page.keyboard.press('Escape');
  await expect(name).toHaveCount(0);

  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('button', { name: 'Invite someone' }).click();
  const form = page.getByRole('form', { name: 'Invite someone' });
  await form.getByLabel('Email').fill('bea@example.com');
  await asksBeforeClosing();
  await expect(form.getByLabel('Email')).toHaveValue('bea@example.com');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form).toHaveCount(0);

  // A task's title in its detail saves as it is typed (and as the page goes): no question.
  await createProject(page, 'Garden');
  await addTask(page, 'Call the plumber');
  const detail = await openTask(page, 'Call the plumber');
  await detail.getByLabel('Title').fill('Call the electrician');
  let questions = 0;
  page.on('dialog', () => questions++);
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(questions).toBe(0);
  await context.close();
});

for (const viewport of [PHONE, DESKTOP]) {
  test(`the update banner takes a band of its own at the top: the top bar, the sections and an open task's Close stay in reach (${viewport.width} px)`, async ({
    browser,
  }) => {
    const { context, page } = await newPhone(browser, { viewport });
    await signInToProject(
      page,
      person('Ana', orgFor(`update-band-${viewport.width}`), 'admin'),
      'Garden',
      ['Call the plumber'],
    );
    await expect(taskTitle(page, 'Call the plumber')).toBeVisible();
    // A task open (the whole screen on a phone) as the update is offered (the database then
    // closes: it is opened before).
    const detail = await openTask(page, 'Call the plumber');
    await openNewerVersion(page);
    await expect(page.getByText('A new version of Outpost is available.')).toBeVisible();
    // A click waits until the control itself, not the banner over it, would take it (a trial
    // click checks without clicking).
    await detail.getByRole('button', { name: 'Close task details' }).click();
    for (const control of [
      page.getByRole('combobox', { name: 'Organization' }),
      page.getByRole('link', { name: 'Search all tasks' }),
      accountButton(page),
      page.getByRole('link', { name: 'Activity' }),
    ])
      await control.click({ trial: true });
    await page.getByRole('button', { name: 'Later' }).click();
    await expect(page.getByText('A new version of Outpost is available.')).toHaveCount(0);
    await context.close();
  });
}

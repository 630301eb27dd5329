import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  addTask,
  createProject,
  DESKTOP,
  expectAccessible,
  expectNoHorizontalScroll,
  newPhone,
  orgFor,
  person,
  PHONE,
  screenshot,
  signInWithForm,
  taskTitle,
} from './helpers';

/** A phone as it reports itself: a touch screen without hover (no keyboard to press keys on). */
async function touchPhone(browser: Browser) {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  return { context, page };
}

const DEVICES = [
  { name: 'touch phone', open: touchPhone, keys: false },
  { name: '360 px window', open: (b: Browser) => newPhone(b), keys: false },
  {
    name: '1280 px with a mouse',
    open: (b: Browser) => newPhone(b, { viewport: DESKTOP }),
    keys: true,
  },
] as const;

for (const device of DEVICES) {
  test(`an empty project on a ${device.name}: how to add the first task in its words, no search or filters`, async ({
    browser,
  }) => {
    const { context, page } = await device.open(browser);
    await signInWithForm(page, person('Nia', orgFor(`empty project ${device.name}`), 'admin'));
    await createProject(page, 'Garden');
    await expect(page.getByText('No tasks yet.')).toBeVisible();
    const how = page.locator('.empty-state .muted');
    if (device.keys) {
      await expect(how).toHaveText(
        'Type a title in the field above and press Enter, or press c to get there from anywhere on this screen.',
      );
    } else {
      await expect(how).toHaveText('Type a title in the field above and tap Add task.');
    }
    // Nothing to search or filter yet.
    await expect(page.getByRole('search', { name: 'Search and filter tasks' })).toHaveCount(0);
    await expectNoHorizontalScroll(page, `empty project, ${device.name}`);
    await expectAccessible(page, `empty project, ${device.name}`);
    await screenshot(page, `new-user-empty-project-${device.name.replace(/\W+/g, '-')}`);

    // The first task brings the list and its tools; the search's key and the shortcuts' list
    // only where a keyboard is likely.
    await addTask(page, 'Plant tulips');
    await expect(page.getByText('No tasks yet.')).toHaveCount(0);
    const search = page.getByRole('searchbox', { name: 'Search tasks' });
    await expect(search).toBeVisible();
    await expect(search).toHaveAttribute(
      'placeholder',
      device.keys ? 'Search tasks  /' : 'Search tasks',
    );
    await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toHaveCount(
      device.keys ? 1 : 0,
    );
    await context.close();
  });
}

test('a first sign-in on this device starts in the Name field: typing goes straight into it', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await page.goto('/');
  const name = page.getByLabel('Name');
  await expect(name).toBeFocused();
  await page.keyboard.type('Ana');
  await page.keyboard.press('Tab');
  await page.keyboard.type('ana@first-focus.example.com');
  await expect(name).toHaveValue('Ana');
  await expect(page.getByLabel('Email')).toHaveValue('ana@first-focus.example.com');
  await screenshot(page, 'sign-in-first-field-1280');
  await context.close();
});

test('the sign-in screen keeps the page’s side margin on a phone', async ({ browser }) => {
  const { context, page } = await newPhone(browser);
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Sign in (development mode)' });
  await expect(form).toBeVisible();
  const box = (await form.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(12);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width - 12);
  await expectNoHorizontalScroll(page, 'sign-in');
  await screenshot(page, 'new-user-sign-in-360');
  await context.close();
});

/** Controls on screen smaller than 40 × 40 px (a checkbox counts by the label around it). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, a[href], select, input, textarea')]
      .map((el) => {
        const target =
          el instanceof HTMLInputElement && el.type === 'checkbox' ? el.closest('label') : el;
        const r = (target ?? el).getBoundingClientRect();
        const shown = r.width > 0 && r.bottom > 0 && r.top < window.innerHeight;
        const name = el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName;
        return shown && (r.width < 40 || r.height < 40)
          ? `${name} ${Math.round(r.width)}×${Math.round(r.height)}`
          : null;
      })
      .filter((s): s is string => s !== null),
  );
}

test('on a phone every control of the projects, project and activity screens is at least 40 px to tap', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInWithForm(page, person('Ola', orgFor('tap targets'), 'admin'));
  await createProject(page, 'Harbour');
  // A project's row opens it from its whole height, not only the line of its name.
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Harbour' })).toBeVisible();
  expect(await smallTargets(page)).toEqual([]);
  await page.getByRole('link', { name: 'Harbour' }).click();
  await addTask(page, 'Paint the hull');
  await addTask(page, 'Check the ropes');
  await page.getByRole('checkbox', { name: 'Complete “Check the ropes”' }).click();
  await expect(page.getByRole('button', { name: 'Completed (1)' })).toBeVisible();
  await page.getByRole('button', { name: 'Filters' }).click();
  expect(await smallTargets(page)).toEqual([]);
  await screenshot(page, 'new-user-360-tap-targets');
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible();
  expect(await smallTargets(page)).toEqual([]);
  await context.close();
});

test('a project created with its button opens, focus in its “Add a task” field, and Back returns to the list; typed with Enter, focus stays in the field', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInWithForm(page, person('Ivo', orgFor('project focus'), 'admin'));
  // A new team's Projects screen says how to start, and the form is its button away. The
  // sentence names the button as it shows: "+ New" at 360 px (not "New project", which the
  // phone's button did not say), "New project" wider; "New project" read out at both.
  const sentence = page.getByText('No projects yet. Create the first one with');
  await expect(sentence).toBeVisible();
  const newButton = page.getByRole('button', { name: 'New project' });
  /** The characters a sighted reader sees (text clipped to 1 px is for screen readers). */
  const seen = (el: Element) => {
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let out = '';
    for (let n = walk.nextNode(); n; n = walk.nextNode())
      if (n.parentElement!.getBoundingClientRect().width > 1) out += n.textContent;
    return out.replace(/\s+/g, '');
  };
  expect(await newButton.evaluate(seen)).toBe('+New');
  expect(await sentence.locator('.button-name').evaluate(seen)).toBe('+New');
  await page.setViewportSize(DESKTOP);
  expect(await newButton.evaluate(seen)).toBe('Newproject');
  expect(await sentence.locator('.button-name').evaluate(seen)).toBe('Newproject');
  await page.setViewportSize(PHONE);
  await newButton.click();
  const name = page.getByRole('textbox', { name: 'New project name' });
  await expect(name).toBeFocused();
  // Under the open form the list is still said to be empty, but not to press the button the
  // form came from (it is gone).
  await expect(page.getByText('No projects yet.', { exact: true })).toBeVisible();
  await expect(sentence).toHaveCount(0);
  await name.fill('Kitchen');
  // It opens, as Linear's and Todoist's do: what is typed next is its first task (focus on its
  // row in the list made c, n, j, k the list's keys).
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name: 'Kitchen', level: 2 })).toBeAttached();
  const task = page.getByLabel('New task title');
  await expect(task).toBeFocused();
  await page.keyboard.type('Clean the oven');
  await expect(task).toHaveValue('Clean the oven');
  await page.keyboard.press('Enter');
  await expect(taskTitle(page, 'Clean the oven')).toBeVisible();
  // Back: the list, with it there (the form closed).
  await page.goBack();
  await expect(page.getByRole('link', { name: 'Kitchen' })).toBeVisible();
  await expect(name).toHaveCount(0);
  await page.getByRole('button', { name: 'New project' }).click();
  await name.fill('Garage');
  await name.press('Enter');
  await expect(page.getByRole('link', { name: 'Garage' })).toBeVisible();
  await expect(name).toBeFocused();
  // With projects listed, the form backs out with Escape and is then a button away: the list
  // leads the screen, also after a reload.
  await name.fill('Shed');
  await name.press('Escape');
  await expect(name).toHaveCount(0);
  const open = page.getByRole('button', { name: 'New project' });
  await expect(open).toBeFocused();
  await expect(page.getByRole('link', { name: 'Shed' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('link', { name: 'Garage' })).toBeVisible();
  await expect(name).toHaveCount(0);
  await open.click();
  await expect(name).toBeFocused();
  await name.fill('Attic');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(name).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Attic' })).toHaveCount(0);
  await context.close();
});

test('a task added with its button leaves focus in the field for the next one', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInWithForm(page, person('Ivo', orgFor('task focus'), 'admin'));
  await createProject(page, 'Kitchen');
  const field = page.getByLabel('New task title');
  await field.fill('Fix the tap');
  // The button goes disabled as the field clears: focus would fall to the page.
  await page.getByRole('button', { name: 'Add task' }).click();
  await expect(
    page.locator('[data-task-id] .task-title', { hasText: 'Fix the tap' }),
  ).toBeVisible();
  await expect(field).toBeFocused();
  await page.keyboard.type('Paint the door');
  await page.keyboard.press('Enter');
  await expect(
    page.locator('[data-task-id] .task-title', { hasText: 'Paint the door' }),
  ).toBeVisible();
  await context.close();
});

test('the workspace code loads while the sign-in form is filled in, not at first paint', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  const chunk = /\/assets\/Workspace-[^/]*\.js$/;
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (chunk.test(r.url())) fetched.push(r.url());
  });
  await page.goto('/');
  await page.waitForLoadState('load');
  await expect(page.getByLabel('Email')).toBeVisible();
  // A visitor who only looks at the form does not pay for the workspace.
  expect(fetched).toEqual([]);
  const loading = page.waitForRequest(chunk);
  await page.getByLabel('Name').fill('Oda');
  await loading;
  const who = person('Oda', orgFor('workspace early'), 'admin');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Organization').fill(who.org);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  // Loaded once: the sign-in's own import found it already there.
  expect(fetched).toHaveLength(1);
  await context.close();
});

import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type WebSocketRoute,
} from '@playwright/test';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// axe-core's own source, which `expectAccessible` runs in the page itself (see there).
const { source: AXE_SOURCE } = createRequire(import.meta.url)('axe-core') as { source: string };
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Every context is a 360×740 phone: the whole suite proves the app is usable that narrow. */
export const PHONE = { width: 360, height: 740 };

export interface Person {
  name: string;
  email: string;
  org: string;
  role: 'admin' | 'manager' | 'member';
}

/** A unique org per test, so tests never see each other's data on the shared server. */
export function orgFor(title: string): string {
  return `e2e-${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)}-${Date.now().toString(36)}`;
}

export function person(name: string, org: string, role: Person['role'] = 'admin'): Person {
  return { name, email: `${name.toLowerCase()}@${org}.example.com`, org, role };
}

/** A laptop-sized window (the task detail is a side panel there). */
export const DESKTOP = { width: 1280, height: 800 };

export async function newPhone(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? PHONE,
    ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  return { context, page };
}

/**
 * The real-time socket through a proxy the test can cut: `cut()` closes the open sockets and
 * refuses new ones (with a route answering 503 on HTTP, the server is wholly unreachable);
 * `restore()` lets the next reconnect through. Call it before the page opens its socket.
 */
export async function cuttableSocket(
  context: BrowserContext,
): Promise<{ cut: () => Promise<void>; restore: () => void }> {
  let down = false;
  const open: WebSocketRoute[] = [];
  await context.routeWebSocket('**/api/v1/sync/ws', async (ws) => {
    if (down) return ws.close({ code: 1011, reason: 'server unreachable (test)' });
    ws.connectToServer();
    open.push(ws);
  });
  return {
    cut: async () => {
      down = true;
      await Promise.all(
        open.splice(0).map((ws) => ws.close({ code: 1011, reason: 'server unreachable (test)' })),
      );
    },
    restore: () => {
      down = false;
    },
  };
}

/**
 * Signs `who` in without the form: gets their dev token from the server, as the form does, and
 * stores the signed-in account the way the app does on "Sign in" (`accounts.signedIn`), before
 * the app first loads; the app then opens signed in, on the path a reload of a signed-in user
 * takes. Saves typing the form: ~0.7 s a test measured (~220 sign-ins in the suite).
 * Only for a page that has not loaded the app yet (the form otherwise); specs about signing in,
 * its focus, signing out or switching accounts use `signInWithForm`.
 * `also`: identities signed in on this device before (each org's in the org switcher), as if
 * each had been through the form first; `who` is the current one.
 */
export async function signIn(page: Page, who: Person, ...also: Person[]): Promise<void> {
  if (page.url() !== 'about:blank') {
    if (also.length > 0) throw new Error('signIn: `also` needs a page that has not loaded yet');
    return signInWithForm(page, who);
  }
  const users = await Promise.all(
    [who, ...also].map(async (p) => {
      const res = await page.request.post('/api/v1/auth/dev-token', {
        data: {
          email: p.email.trim(),
          name: p.name.trim(),
          orgId: p.org.trim() || undefined,
          role: p.role,
        },
      });
      expect(res.status(), await res.text()).toBe(200);
      return ((await res.json()) as { user: { id: string } }).user;
    }),
  );
  const script = await page.addInitScript(
    ({ key, users }) => {
      // What `accounts.signedIn(user, 'dev')` saves (client/src/app/auth/accounts.ts), for each
      // of `users`, the first one current.
      const saved = JSON.parse(localStorage.getItem(key) ?? 'null') as {
        accounts: { user: { id: string } }[];
      } | null;
      const others = (saved?.accounts ?? []).filter((a) => !users.some((u) => u.id === a.user.id));
      const lastUsedAt = new Date().toISOString();
      localStorage.setItem(
        key,
        JSON.stringify({
          accounts: [...users.map((user) => ({ user, mode: 'dev', lastUsedAt })), ...others],
          currentUserId: users[0]!.id,
        }),
      );
    },
    { key: 'outpost.accounts.v1', users },
  );
  await page.goto('/');
  // The accounts are stored once: a reload later in the test must not sign anyone back in.
  await script.dispose();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
}

/**
 * Signs each person in on their own page, side by side: one page's boot waits on the network
 * and IndexedDB while the other's runs (~0.8 s saved for two, measured at load 14–18). For
 * pages that have not loaded the app yet, as `signIn`.
 */
export async function signInEach(...who: readonly [Page, Person][]): Promise<void> {
  await Promise.all(who.map(([page, person]) => signIn(page, person)));
}

/** Signs in through the dev sign-in screen, as a new user would. */
export async function signInWithForm(page: Page, who: Person): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Organization').fill(who.org);
  await page.getByLabel('Role').selectOption(who.role);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
}

/** The top bar's account button ("Account: <name>", the initials), whose menu holds Sign out. */
export function accountButton(page: Page) {
  return page.getByRole('button', { name: /^Account: / });
}

/** Signs out as a person does: the account button, then Sign out in its menu. */
export async function signOutFromMenu(page: Page): Promise<void> {
  await accountButton(page).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Sign out' }).click();
}

/** How long a delete can be undone (`UNDO_WINDOW_MS`, client/src/data/pending-deletes.ts). */
export const UNDO_WINDOW_MS = 5_000;

/**
 * After a Delete of the task `title`: its undo window passes, its toast goes and the delete is
 * written. The window passes on the page's fake clock (`page.clock.install()` before the page
 * loaded; it keeps flowing) instead of 5 s of the test's time.
 */
export async function undoWindowPasses(page: Page, title: string): Promise<void> {
  // Hidden here once the intent is made, which arms its timer.
  await expect(taskTitle(page, title)).toHaveCount(0);
  await page.clock.fastForward(UNDO_WINDOW_MS);
  await expect(
    page.getByRole('region', { name: 'Recent actions' }).getByRole('status'),
  ).toHaveCount(0);
}

export async function expectSynced(page: Page): Promise<void> {
  await expect(page.getByTestId('connection')).toContainText('Synced');
}

export async function createProject(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  // The form is behind its button (it stays open once opened, until backed out of).
  const field = page.getByRole('textbox', { name: 'New project name' });
  if (!(await field.isVisible())) await page.getByRole('button', { name: 'New project' }).click();
  await field.fill(name);
  // Created with its button, it opens.
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name, exact: true, level: 2 })).toBeAttached();
}

/**
 * Signs `who` in with their project `name` (and its `tasks`, to do, in this order, as `seedProject`)
 * already on the server, pushed by another device of theirs before the app first loads, and
 * opens it. For tests about what happens in a project, not about making one: the project comes
 * with the first sync instead of through the form (`createProject`, which the specs about
 * creating projects use). Measured at load ~10: ~0.45 s less than `signIn` + `createProject`.
 */
export async function signInToProject(
  page: Page,
  who: Person,
  name: string,
  tasks: readonly SeedTask[] = [],
): Promise<void> {
  const baseURL = test.info().project.use.baseURL;
  if (!baseURL) throw new Error('signInToProject: no baseURL in the Playwright config');
  await seedProject(baseURL, who, name, tasks);
  await signIn(page, who);
  await projectLink(page, name).click();
  await expect(page.getByRole('heading', { name, exact: true, level: 2 })).toBeAttached();
}

/**
 * A project's link in the Projects list, by its whole name. Scoped to the list, because the
 * screen follows a click on "Projects" only on `hashchange`, a task later: until then the screen
 * left is still up, and its links may name the project too (Activity's "Step 3 of the move").
 */
export function projectLink(page: Page, name: string) {
  return page
    .getByRole('list', { name: 'Projects', exact: true })
    .getByRole('link', { name, exact: true });
}

/** Whether the page's address is the Projects screen's (`#/`, the app's first screen). */
function onProjectsScreen(page: Page): boolean {
  const { pathname, hash } = new URL(page.url());
  return pathname === '/' && ['', '#', '#/', '#/projects', '#/projects/'].includes(hash);
}

/**
 * Opens project `name` from the Projects screen, going there first by its tab. Already on it (as
 * after `signIn`), the tab's click is skipped: the hash would not change, so the app does nothing
 * with it, and under load that click cost 0.5–2 s of waiting on a page still busy booting.
 */
export async function openProject(page: Page, name: string): Promise<void> {
  if (!onProjectsScreen(page)) {
    await page.getByRole('link', { name: 'Projects', exact: true }).click();
  }
  await projectLink(page, name).click();
  await expect(page.getByRole('heading', { name, exact: true, level: 2 })).toBeAttached();
}

export async function addTask(page: Page, title: string): Promise<void> {
  await page.getByLabel('New task title').fill(title);
  await page.getByRole('button', { name: 'Add task' }).click();
  await expect(taskTitle(page, title)).toBeVisible();
}

/**
 * The task list: a grid of selectable rows in a project, a list of results in the workspace
 * search.
 */
export function taskList(page: Page) {
  return page.getByRole('grid', { name: 'Tasks' }).or(page.getByRole('list', { name: 'Tasks' }));
}

/** A task's row in the list (its title opens the detail). */
export function taskTitle(page: Page, title: string) {
  return taskList(page).getByRole('button', { name: title, exact: true });
}

/** The open task's detail (side panel on a wide screen, full screen on a phone). */
export function taskDetail(page: Page) {
  return page.getByRole('complementary', { name: 'Task' });
}

/** Opens a task's detail from its row and waits for its fields. */
export async function openTask(page: Page, title: string) {
  await taskTitle(page, title).click();
  const detail = taskDetail(page);
  await expect(detail.getByLabel('Title')).toHaveValue(title);
  return detail;
}

export async function closeTask(page: Page): Promise<void> {
  await taskDetail(page).getByRole('button', { name: 'Close task details' }).click();
  await expect(taskDetail(page)).toHaveCount(0);
}

/** Renames a task in its detail (Enter saves), then closes the detail. */
export async function renameTask(page: Page, from: string, to: string): Promise<void> {
  const detail = await openTask(page, from);
  await detail.getByLabel('Title').fill(to);
  await detail.getByLabel('Title').press('Enter');
  await closeTask(page);
  await expect(taskTitle(page, to)).toBeVisible();
}

/** No element is wider than the viewport: nothing scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page, screen: string): Promise<void> {
  const overflow = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    view: window.innerWidth,
    // Anything past the right edge, even if the page clipped it rather than scrolled (a hidden
    // overflow cuts content off); inside its own scroll container (tabs, tables) it is fine.
    // …or past the page's right margin (content pushed into the padding reads as overflow too).
    wide: [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => {
        const app = document.querySelector('.app');
        const edge =
          app && app !== el && app.contains(el)
            ? app.getBoundingClientRect().right - parseFloat(getComputedStyle(app).paddingRight)
            : window.innerWidth;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= Math.min(edge, window.innerWidth) + 1) return false;
        if (getComputedStyle(el).position === 'fixed') return false;
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          const s = getComputedStyle(a);
          if (s.overflowX !== 'visible' || s.position === 'fixed') return false;
        }
        return true;
      })
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className} (right ${Math.round(el.getBoundingClientRect().right)})`,
      ),
  }));
  expect({ screen, ...overflow }).toEqual({
    screen,
    doc: overflow.view,
    view: overflow.view,
    wide: [],
  });
}

/** Resolves once a service worker controls the page (the shell is precached by then). */
/**
 * Whether the signed-in user's device sync credential (what the service worker replays with and
 * sign-out revokes) is in their IndexedDB `meta` table.
 */
export async function deviceCredentialStored(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const state = JSON.parse(localStorage.getItem('outpost.accounts.v1') ?? '{}') as {
      currentUserId?: string;
    };
    if (!state.currentUserId) return false;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(`outpost-${state.currentUserId}`);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      const entry = await new Promise<unknown>((resolve, reject) => {
        const req = db.transaction('meta').objectStore('meta').get('credential');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      return entry !== undefined;
    } finally {
      db.close();
    }
  });
}

export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
  });
}

/**
 * How a name cut by `ui/CutQuote` ends: whether it is cut, the space left between the drawn
 * ellipsis and the box's end (where the closing ” follows), and the last character shown before
 * the ellipsis. Chromium draws the ellipsis right after the most characters that fit with it,
 * so that space is the gap a reader sees before the ”.
 */
export function cutEnd(
  quote: Locator,
): Promise<{ cut: boolean; gap: number; before: string; markGap: number }> {
  return quote.evaluate((el) => {
    const box = el.querySelector('.cut-quote-text') as HTMLElement;
    const marks = el.querySelectorAll('.cut-quote-mark');
    const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    for (let n = walk.nextNode(); n; n = walk.nextNode()) nodes.push(n as Text);
    const text = nodes.map((n) => n.data).join('');
    const r = box.getBoundingClientRect();
    const width = (n: number) => {
      const range = document.createRange();
      range.setStart(box, 0);
      let left = n;
      for (const node of nodes) {
        if (left <= node.length) {
          range.setEnd(node, left);
          break;
        }
        left -= node.length;
      }
      let right = r.left;
      for (const rect of range.getClientRects()) right = Math.max(right, rect.right);
      return right - r.left;
    };
    const probe = document.createElement('span');
    probe.textContent = '…';
    probe.style.position = 'absolute';
    box.append(probe);
    const ellipsis = probe.getBoundingClientRect().width;
    probe.remove();
    let shown = 0;
    while (shown < text.length && width(shown + 1) + ellipsis <= r.width) shown++;
    return {
      cut: width(text.length) > r.width + 0.5,
      gap: r.width - width(shown) - ellipsis,
      before: text.charAt(shown - 1),
      markGap: marks[1]!.getBoundingClientRect().left - r.right,
    };
  });
}

/**
 * No serious or critical axe violation on what the page shows now.
 *
 * axe runs in the page, as `AxeBuilder.analyze()` in its legacy mode does, without its cost:
 * its source (~0.5 MB to parse) goes into a document once, not two or three times a scan, and
 * no blank page is opened to merge per-frame results (the app has no frames). Measured in
 * screens.spec: each scan was 3 evaluations of the source, a partial run, a new page and a
 * finish run there.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const { axe } = window as unknown as {
      axe: {
        run(
          context: Document,
          options: object,
        ): Promise<{
          violations: {
            id: string;
            impact?: string | null;
            help: string;
            nodes: { target: unknown }[];
          }[];
        }>;
      };
    };
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      // Only violations are read: passes and the rest are not detailed node by node.
      resultTypes: ['violations'],
    });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target }) => ({ target })),
    }));
  }, AXE_TAGS);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) ${v.help} — ${JSON.stringify(v.nodes.map((n) => n.target))}`,
    ),
  ).toEqual([]);
}

const SHOTS = path.resolve('.artifacts/screenshots');
/** Extra copy for reviewers (outside the repo), e.g. SCREENSHOT_DIR=/tmp/shots/ui. */
const EXTRA_SHOTS = process.env['SCREENSHOT_DIR'];

const SHOT_TIMEOUT_MS = 20_000;

/** Saves a screenshot under .artifacts/screenshots and attaches it to the test run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  // Bounded of its own: a capture stalled (waiting for fonts, a busy renderer) failed as the
  // test's 90 s timeout, naming no step (project-header's "More actions", once in 8 CIs).
  const body = await page
    .screenshot({
      path: path.join(SHOTS, `${name}.png`),
      fullPage: false,
      timeout: SHOT_TIMEOUT_MS,
    })
    .catch((err: unknown) => {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`screenshot "${name}" (bounded at ${SHOT_TIMEOUT_MS} ms): ${why}`, {
        cause: err,
      });
    });
  await test.info().attach(name, { body, contentType: 'image/png' });
  if (EXTRA_SHOTS) {
    fs.mkdirSync(EXTRA_SHOTS, { recursive: true });
    fs.writeFileSync(path.join(EXTRA_SHOTS, `${name}.png`), body);
  }
}

/** A session token for `who`, for asserting on the server directly. */
export async function devToken(baseURL: string, who: Person): Promise<string> {
  const res = await fetch(`${baseURL}/api/v1/auth/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: who.email, name: who.name, orgId: who.org, role: who.role }),
  });
  if (!res.ok) throw new Error(`dev-token: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

let lastMs = 0;
let seq = 0;

/**
 * A UUIDv7 for rows a test writes as another device would, monotonic like the app's: ids made
 * in one millisecond count up in the 12 bits after the version (task lists are in id order, so
 * random bits there would put "task 1" anywhere among its millisecond's hundreds of siblings).
 */
export function uuidv7(): string {
  const now = Date.now();
  if (now > lastMs) [lastMs, seq] = [now, 0];
  else if (++seq > 0xfff) [lastMs, seq] = [lastMs + 1, 0];
  const b = crypto.randomBytes(16);
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Another device of `who`, writing through the sync API: `change` makes a mutation (ids and
 * clocks in order), `push` sends them in batches of 500.
 */
export async function otherDevice(baseURL: string, who: Person) {
  const res = await fetch(`${baseURL}/api/v1/auth/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: who.email, name: who.name, orgId: who.org, role: who.role }),
  });
  const { token, user } = (await res.json()) as { token: string; user: { id: string } };
  const clientId = crypto.randomUUID();
  let id = 0;
  return {
    userId: user.id,
    change: (type: string, entityId: string, extra: Record<string, unknown> = {}) => ({
      id: ++id,
      hlc: `${String(Date.now()).padStart(15, '0')}-${id.toString(36).padStart(5, '0')}-${clientId}`,
      type,
      entityId,
      ...extra,
    }),
    /** Pushes in batches of 500; every answer must be 200. Returns the answers, in order. */
    async push(
      mutations: readonly Record<string, unknown>[],
    ): Promise<{ lastMutationId: number }[]> {
      const answers: { lastMutationId: number }[] = [];
      for (let i = 0; i < mutations.length; i += 500) {
        const r = await fetch(`${baseURL}/api/v1/sync/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            protocolVersion: 4,
            clientId,
            mutations: mutations.slice(i, i + 500),
          }),
        });
        expect(r.status, await r.clone().text()).toBe(200);
        answers.push((await r.json()) as { lastMutationId: number });
      }
      return answers;
    },
  };
}

/** A task to seed: its title alone (to do, no notes, no due date), or with notes and a due date. */
export type SeedTask = string | { title: string; notes?: string; dueDate?: string };

/**
 * A project of `tasks` (to do, in this order; each a title, or a title with its notes and due
 * date as YYYY-MM-DD) from another device of `who`; that device and the tasks' ids (in the same
 * order) come back, for its later writes.
 */
export async function seedProject(
  baseURL: string,
  who: Person,
  name: string,
  tasks: readonly SeedTask[],
): Promise<{ device: Awaited<ReturnType<typeof otherDevice>>; taskIds: string[] }> {
  const device = await otherDevice(baseURL, who);
  const projectId = uuidv7();
  const taskIds = tasks.map(() => uuidv7());
  const fields = (task: SeedTask) => {
    const { title, notes = '', dueDate = null } = typeof task === 'string' ? { title: task } : task;
    return { projectId, title, notes, status: 'todo', assigneeId: null, dueDate };
  };
  await device.push([
    device.change('project.create', projectId, {
      fields: { name, description: '', status: 'active', ownerId: device.userId },
    }),
    ...tasks.map((task, i) => device.change('task.create', taskIds[i]!, { fields: fields(task) })),
  ]);
  return { device, taskIds };
}

/** Counts the pickers opened (a select's list, a date's calendar) instead of opening them. */
export async function countPickers(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { pickers: number };
    w.pickers = 0;
    const count = () => void w.pickers++;
    HTMLSelectElement.prototype.showPicker = count;
    HTMLInputElement.prototype.showPicker = count;
  });
  return () => page.evaluate(() => (window as unknown as { pickers: number }).pickers);
}

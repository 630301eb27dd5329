/**
 * `pnpm bench:ui` — the task list in real Chromium at 360×740, the built app against a real
 * server, a project of 10,000 tasks (issue 13). Each figure beside a baseline from the same
 * run (a 10-task project, or idle frames):
 *
 *   - time to first rows (project link clicked → first task rows in the DOM and painted),
 *     from a cold start (page reloaded, nothing of the project in memory);
 *   - DOM elements and rendered rows after opening, and the most rows at once while scrolling;
 *   - frame time p50/p95 while scrolling to the end of all 10,000 (Completed expanded);
 *   - tick → row updated (checkbox shown ticked; the row moved to Completed);
 *   - typing in search → results (first keystroke reads the project's text; later ones).
 *
 * Flags: `--tasks N` (default 10000).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { build } from 'vite';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  type EntityId,
  type Mutation,
} from '@outpost/shared';
import { postJson, startServerProcess } from '../../server/test/helpers/server-process';

const CLIENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = process.argv.indexOf('--tasks');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 10_000;
const SMALL = 10;
const ORG = 'org_bench_ui';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface SeedTask {
  title: string;
  notes: string;
}

function seedTask(
  i: number,
): SeedTask & { status: 'todo' | 'doing' | 'done'; dueDate: string | null } {
  const long =
    i % 7 === 0 ? ' — with a longer title that wraps onto a second line on a phone screen' : '';
  return {
    title: `Task ${i} of the benchmark${long}`,
    notes:
      i % 97 === 0
        ? 'A needle in the haystack of notes.'
        : 'Some notes that look like what people type into a task.',
    status: i % 10 === 0 ? 'doing' : i % 10 < 3 ? 'done' : 'todo',
    dueDate: i % 5 === 0 ? '2026-01-15' : i % 3 === 0 ? '2027-06-01' : null,
  };
}

/** Fills the org with a project of `n` tasks through the normal push path. */
async function seed(
  url: string,
  token: string,
  ownerId: string,
  name: string,
  n: number,
): Promise<SeedTask[]> {
  const clientId = newClientId();
  const clock = new HybridLogicalClock(clientId);
  let id = 0;
  const projectId = newEntityId();
  const tasks: SeedTask[] = [];
  let batch: Mutation[] = [
    {
      type: 'project.create',
      id: ++id,
      hlc: clock.now(),
      entityId: projectId,
      fields: { name, description: '', status: 'active', ownerId: ownerId as EntityId },
    } as Mutation,
  ];
  const flush = async () => {
    if (!batch.length) return;
    await postJson(
      `${url}/api/v1/sync/push`,
      { protocolVersion: PROTOCOL_VERSION, clientId, mutations: batch },
      token,
    );
    batch = [];
  };
  for (let i = 0; i < n; i++) {
    const t = seedTask(i);
    tasks.push(t);
    batch.push({
      type: 'task.create',
      id: ++id,
      hlc: clock.now(),
      entityId: newEntityId(),
      fields: {
        projectId,
        title: t.title,
        notes: t.notes,
        status: t.status,
        assigneeId: null,
        dueDate: t.dueDate,
      },
    } as Mutation);
    if (batch.length === 500) await flush();
  }
  await flush();
  return tasks;
}

/** What the app's search matches: every word in title or notes. */
function matches(tasks: readonly SeedTask[], q: string): number {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  return tasks.filter((t) => words.every((w) => `${t.title}\n${t.notes}`.toLowerCase().includes(w)))
    .length;
}

const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const med = (xs: readonly number[]) => pct(xs, 50);
const f = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

/** Reloads (cold: nothing of the project in memory), then times a click on its link until rows are painted. */
async function firstRows(
  page: Page,
  project: string,
): Promise<{ ms: number; elements: number; rows: number }> {
  await page.goto(page.url().replace(/#.*$/, '#/'));
  await page.reload();
  await page.getByRole('link', { name: project }).waitFor();
  return page.evaluate(async (name) => {
    const link = [...document.querySelectorAll('a')].find((a) => a.textContent?.trim() === name)!;
    const t0 = performance.now();
    link.click();
    await new Promise<void>((resolve) => {
      const done = () => document.querySelector('[data-task-id]') !== null;
      if (done()) return resolve();
      const mo = new MutationObserver(() => {
        if (done()) {
          mo.disconnect();
          resolve();
        }
      });
      mo.observe(document.body, { childList: true, subtree: true });
    });
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const ms = performance.now() - t0;
    return {
      ms,
      elements: document.querySelectorAll('*').length,
      rows: document.querySelectorAll('[data-task-id]').length,
    };
  }, project);
}

/** Scrolls the page to the end, one step per frame; frame times from rAF timestamps. */
async function scrollToEnd(
  page: Page,
  step: number,
): Promise<{ frames: number[]; maxRows: number; placeholderFrames: number }> {
  return page.evaluate(async (by) => {
    window.scrollTo(0, 0);
    const frames: number[] = [];
    let maxRows = 0;
    let placeholderFrames = 0;
    await new Promise<void>((resolve) => {
      let last = 0;
      const tick = (t: number) => {
        if (last) frames.push(t - last);
        last = t;
        maxRows = Math.max(maxRows, document.querySelectorAll('[data-task-id]').length);
        if (document.querySelector('.task-row.placeholder')) placeholderFrames++;
        if (
          window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2 &&
          frames.length > 5
        )
          return resolve();
        window.scrollBy(0, by);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    return { frames, maxRows, placeholderFrames };
  }, step);
}

async function idleFrames(page: Page, n: number): Promise<number[]> {
  return page.evaluate(async (count) => {
    const frames: number[] = [];
    await new Promise<void>((resolve) => {
      let last = 0;
      const tick = (t: number) => {
        if (last) frames.push(t - last);
        last = t;
        if (frames.length >= count) return resolve();
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    return frames;
  }, n);
}

/** Ticks the first open task: ms until the box shows ticked, and until the row left "To do". */
async function tick(page: Page): Promise<{ checked: number; moved: number }> {
  return page.evaluate(async () => {
    window.scrollTo(0, 0);
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const heads = [...document.querySelectorAll('.task-section h3')];
    const todoHead = heads.find((h) => h.textContent?.startsWith('To do'))!;
    const before = Number(/\((\d+)\)/.exec(todoHead.textContent ?? '')![1]);
    const item = todoHead.closest('[data-index]')!;
    const row = document.querySelector<HTMLElement>(
      `[data-index="${Number((item as HTMLElement).dataset['index']) + 1}"] [data-task-id]`,
    )!;
    const id = row.dataset['taskId']!;
    const box = row.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    const t0 = performance.now();
    box.click();
    let checked = Number.NaN;
    await new Promise<void>((resolve) => {
      const check = () => {
        const el = document.querySelector<HTMLInputElement>(
          `[data-task-id="${id}"] input[type="checkbox"]`,
        );
        if (Number.isNaN(checked) && (el?.checked || !el)) checked = performance.now() - t0;
        const head = [...document.querySelectorAll('.task-section h3')].find((h) =>
          h.textContent?.startsWith('To do'),
        );
        return head?.textContent === `To do (${before - 1})`;
      };
      if (check()) return resolve();
      const mo = new MutationObserver(() => {
        if (check()) {
          mo.disconnect();
          resolve();
        }
      });
      mo.observe(document.body, {
        childList: true,
        subtree: true,
        characterData: true,
        attributes: true,
      });
    });
    return { checked, moved: performance.now() - t0 };
  });
}

/** Types `q` into the search box: ms until the result heading shows `expected` matches. */
async function search(page: Page, q: string, expected: number): Promise<number> {
  return page.evaluate(
    async ([text, n]) => {
      const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
      input.focus();
      const want = `${n} matching task${n === 1 ? '' : 's'}`;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const t0 = performance.now();
      setter.call(input, text);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise<void>((resolve) => {
        const done = () =>
          [...document.querySelectorAll('.task-section h3')].some((h) => h.textContent === want);
        if (done()) return resolve();
        const mo = new MutationObserver(() => {
          if (done()) {
            mo.disconnect();
            resolve();
          }
        });
        mo.observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      return performance.now() - t0;
    },
    [q, expected] as const,
  );
}

async function clearSearch(page: Page): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search tasks' }).fill('');
  await page.getByRole('heading', { name: /^To do/ }).waitFor();
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-ui-bench-'));
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-ui-bench-data-'));
  console.log('building the app…');
  await build({ root: CLIENT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await startServerProcess({
    dataDir,
    env: {
      CLIENT_DIST_DIR: outDir,
      RATE_LIMIT_MAX: '100000000',
      BODY_LIMIT_BYTES: '10485760',
      LOG_LEVEL: 'error',
    },
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const out: string[][] = [];
  const add = (...r: string[]) => out.push(r);
  try {
    const url = server.url;
    const who = { email: 'bench@ui.example.com', name: 'Bench', orgId: ORG, role: 'admin' };
    const auth = await postJson<{ token: string; user: { id: string } }>(
      `${url}/api/v1/auth/dev-token`,
      who,
    );
    console.log(`seeding ${N.toLocaleString('en')} tasks…`);
    const big = await seed(url, auth.token, auth.user.id, 'Big', N);
    const small = await seed(url, auth.token, auth.user.id, 'Small', SMALL);

    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(url);
    await page.getByLabel('Name').fill(who.name);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Organization').fill(ORG);
    await page.getByLabel('Role').selectOption('admin');
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByTestId('pending')
      .filter({ hasText: 'All changes synced' })
      .waitFor({ timeout: 300_000 });
    await page.getByRole('link', { name: 'Big' }).waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="connection"]')?.textContent?.includes('Online'),
      null,
      { timeout: 300_000 },
    );
    console.log(
      `signed in and synced ${(N + SMALL).toLocaleString('en')} tasks in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );

    // Time to first rows, cold (reload before each open).
    const bigOpens = [];
    const smallOpens = [];
    for (let i = 0; i < 3; i++) {
      smallOpens.push(await firstRows(page, 'Small'));
      bigOpens.push(await firstRows(page, 'Big'));
    }
    add(
      'time to first rows (cold)',
      `median ${f(med(bigOpens.map((o) => o.ms)))}`,
      `median ${f(med(smallOpens.map((o) => o.ms)))}`,
      '≤ 300 ms',
    );
    const opened = bigOpens.at(-1)!;
    add(
      'DOM after opening',
      `${opened.elements} elements, ${opened.rows} rows`,
      `${smallOpens.at(-1)!.elements} elements, ${smallOpens.at(-1)!.rows} rows`,
      'rows < 100',
    );

    // Scroll all of it: Completed expanded, so every task is in the list.
    await page.getByRole('button', { name: /^Completed \(/ }).click();
    await page
      .getByRole('button', { name: /^Completed \(/ })
      .and(page.locator('[aria-expanded="true"]'))
      .waitFor();
    const idle = await idleFrames(page, 120);
    const scroll = await scrollToEnd(page, 600);
    add(
      `frame time scrolling to the end (${scroll.frames.length} frames)`,
      `p50 ${f(pct(scroll.frames, 50))} · p95 ${f(pct(scroll.frames, 95))}`,
      `idle p50 ${f(pct(idle, 50))} · p95 ${f(pct(idle, 95))}`,
      'p95 ≤ 20 ms',
    );
    add('most task rows in the DOM while scrolling', String(scroll.maxRows), '', '< 100');
    add(
      'frames showing a row still loading',
      `${scroll.placeholderFrames} of ${scroll.frames.length}`,
      '',
      '(reported)',
    );
    await page.getByRole('button', { name: /^Completed \(/ }).click();

    // Tick → row updated.
    const ticks = [];
    for (let i = 0; i < 10; i++) ticks.push(await tick(page));
    await firstRows(page, 'Small');
    const smallTicks = [];
    for (let i = 0; i < 3; i++) smallTicks.push(await tick(page));
    add(
      'tick → checkbox shows it',
      `median ${f(med(ticks.map((t) => t.checked)))}`,
      `median ${f(med(smallTicks.map((t) => t.checked)))}`,
      '≤ 50 ms',
    );
    add(
      'tick → row moved to Completed',
      `median ${f(med(ticks.map((t) => t.moved)))} · max ${f(Math.max(...ticks.map((t) => t.moved)))}`,
      `median ${f(med(smallTicks.map((t) => t.moved)))}`,
      '≤ 50 ms',
    );

    // Search: the first keystroke reads the project's text; later ones filter in memory.
    await firstRows(page, 'Big');
    const cold = await search(page, 'needle', matches(big, 'needle'));
    const warm = [];
    for (const q of ['task 12', 'task 4 longer', 'needle haystack', 'task 999', 'wraps'])
      warm.push(await search(page, q, matches(big, q)));
    await clearSearch(page);
    await firstRows(page, 'Small');
    const smallWarm = [];
    await search(page, 'task', matches(small, 'task'));
    for (const q of ['task 1', 'task 2', 'needle'])
      smallWarm.push(await search(page, q, matches(small, q)));
    add('search → results, first keystroke', f(cold), '', '(reported)');
    add(
      'search → results, typing',
      `median ${f(med(warm))} · max ${f(Math.max(...warm))}`,
      `median ${f(med(smallWarm))}`,
      '≤ 50 ms',
    );

    const head = [
      'measure',
      `${N.toLocaleString('en')} tasks`,
      `baseline (${SMALL} tasks / idle)`,
      'target',
    ];
    const widths = head.map((h, i) => Math.max(h.length, ...out.map((r) => r[i]!.length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(
      `\nOutpost UI bench — ${new Date().toISOString().slice(0, 10)}, Chromium ${browser.version()} at 360×740, ${os.cpus().length} cores, load ${loadBefore.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}\n`,
    );
    console.log(line(head));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of out) console.log(line(r));
    console.log(`\n(total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    await browser.close();
    await server.stop();
    await fs.rm(outDir, { recursive: true, force: true });
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

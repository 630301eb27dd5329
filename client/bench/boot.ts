/**
 * `pnpm bench:boot` — how soon a signed-in person sees their workspace after a load: from the
 * navigation's start to the Projects heading and to the first project's row, for a person whose
 * device holds nothing yet (a new browser context: cold) and for the same person reloading (the
 * replica, the query cache and the service worker's copy of the app all there: warm), with a
 * small org (8 projects) and one of 1,000 tasks. Beside it, in the same browser and the same run,
 * a bare HTML page's load: the figures are read as ratios to it, the machine's load being what
 * it is.
 *
 * Runs against a server already started with the built app (dev auth), so two builds can be set
 * side by side: `--url http://127.0.0.1:3390 --url http://127.0.0.1:3391` alternates the runs
 * between them. Flags: `--url U` (repeatable; default http://127.0.0.1:3000), `--runs N` (loads
 * of each kind per url and org, default 5).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { chromium, type Browser } from '@playwright/test';
import { newEntityId } from '@outpost/shared';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

const urls = process.argv.flatMap((a, i) => (a === '--url' ? [process.argv[i + 1]!] : []));
if (urls.length === 0) urls.push('http://127.0.0.1:3000');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;

interface User {
  id: string;
}

/** A person of a new org on `base`, with `projects` projects and `tasks` tasks among them. */
async function seed(base: string, label: string, projects: number, tasks: number): Promise<User> {
  const org = `boot-${label}-${Date.now().toString(36)}`;
  const res = await fetch(`${base}/api/v1/auth/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `ada@${org}.example.com`,
      name: 'Ada',
      orgId: org,
      role: 'admin',
    }),
  });
  if (!res.ok) throw new Error(`dev-token: HTTP ${res.status} (is the server up, with dev auth?)`);
  const { token, user } = (await res.json()) as { token: string; user: User };
  const clientId = crypto.randomUUID();
  let id = 0;
  const change = (type: string, entityId: string, fields: Record<string, unknown>) => ({
    id: ++id,
    hlc: `${String(Date.now()).padStart(15, '0')}-${id.toString(36).padStart(5, '0')}-${clientId}`,
    type,
    entityId,
    fields,
  });
  const ids = Array.from({ length: projects }, () => newEntityId());
  const mutations = [
    ...ids.map((pid, p) =>
      change('project.create', pid, {
        name: `Project ${p + 1}`,
        description: '',
        status: 'active',
        ownerId: user.id,
      }),
    ),
    ...Array.from({ length: tasks }, (_, t) =>
      change('task.create', newEntityId(), {
        projectId: ids[t % projects],
        title: `Task ${t + 1}`,
        notes: '',
        status: 'todo',
        assigneeId: null,
        dueDate: null,
      }),
    ),
  ];
  for (let i = 0; i < mutations.length; i += 500) {
    const r = await fetch(`${base}/api/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        protocolVersion: 4,
        clientId,
        mutations: mutations.slice(i, i + 500),
      }),
    });
    if (r.status !== 200) throw new Error(`push: HTTP ${r.status} ${await r.text()}`);
  }
  return user;
}

interface Load {
  heading: number;
  row: number;
}

/** One person's cold load (a new context), then their reload (warm). */
async function coldAndWarm(browser: Browser, base: string, user: User): Promise<[Load, Load]> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  // Signed in as the app stores it (`accounts.signedIn`), before the app first loads.
  await context.addInitScript((user) => {
    const key = 'outpost.accounts.v1';
    if (!localStorage.getItem(key))
      localStorage.setItem(
        key,
        JSON.stringify({
          accounts: [{ user, mode: 'dev', lastUsedAt: new Date().toISOString() }],
          currentUserId: user.id,
        }),
      );
  }, user);
  // A string, not a function: tsx names the functions it compiles (`__name`), unknown in a page.
  await context.addInitScript(`
    const at = (window.boot = {});
    new MutationObserver(() => {
      if (at.heading === undefined && document.getElementById('projects-heading'))
        at.heading = performance.now();
      if (at.row === undefined && document.querySelector('.project-row')) at.row = performance.now();
    }).observe(document, { childList: true, subtree: true });
  `);
  const page = await context.newPage();
  const shown = async (): Promise<Load> => {
    const handle = await page.waitForFunction(
      () => {
        const b = (window as unknown as { boot: Partial<Load> }).boot;
        return b.heading !== undefined && b.row !== undefined ? b : null;
      },
      null,
      { timeout: 60_000 },
    );
    return (await handle.jsonValue()) as Load;
  };
  await page.goto(`${base}/`);
  const cold = await shown();
  // The first sync done and the service worker in control: what a returning person has.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
    timeout: 30_000,
  });
  await page.reload();
  const warm = await shown();
  await context.close();
  return [cold, warm];
}

/** A bare HTML page's load in the same browser: the run's yardstick. */
async function bareLoad(browser: Browser): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route('http://bare.test/', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bare</title><p>bare' }),
  );
  await page.goto('http://bare.test/');
  const ms = await page.evaluate(
    () =>
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
  );
  await context.close();
  return ms;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const sizes = [
  { label: 'small', projects: 8, tasks: 0 },
  { label: '1k', projects: 8, tasks: 1000 },
];
const users = new Map<string, User>();
for (const base of urls)
  for (const s of sizes)
    users.set(`${base} ${s.label}`, await seed(base, s.label, s.projects, s.tasks));
const got = new Map<string, number[]>();
const add = (key: string, ms: number) => got.set(key, [...(got.get(key) ?? []), ms]);
const loadBefore = os.loadavg()[0]!;
for (let run = 0; run < RUNS; run++) {
  add('bare', await bareLoad(browser));
  for (const base of urls)
    for (const s of sizes) {
      const [cold, warm] = await coldAndWarm(browser, base, users.get(`${base} ${s.label}`)!);
      for (const [kind, l] of [
        ['cold', cold],
        ['warm', warm],
      ] as const) {
        add(`${base} ${s.label} ${kind} heading`, l.heading);
        add(`${base} ${s.label} ${kind} row`, l.row);
      }
    }
}
await browser.close();
const bare = median(got.get('bare')!);
console.log(
  `load → shown, ms from the navigation's start, medians of ${RUNS} (load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}); a bare page loads in ${bare.toFixed(0)} ms`,
);
for (const [key, xs] of got)
  if (key !== 'bare')
    console.log(
      `  ${key.padEnd(48)} ${median(xs).toFixed(0).padStart(6)}  (${(median(xs) / bare).toFixed(1)}× bare)`,
    );

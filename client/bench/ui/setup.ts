/**
 * The stage for the UI bench and its profiler: the built app served by a real server, an org
 * seeded through the normal push path (a big project and a small baseline one), and a
 * Chromium page at 360×740 signed in with everything synced.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'vite';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  type EntityId,
  type Mutation,
} from '@outpost/shared';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';
import { postJson, startServerProcess } from '../../../server/test/helpers/server-process';

const CLIENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ORG = 'org_bench_ui';

export interface SeedTask {
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
  allTodo = false,
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
        status: allTodo ? 'todo' : t.status,
        assigneeId: null,
        dueDate: allTodo ? null : t.dueDate,
      },
    } as Mutation);
    if (batch.length === 500) await flush();
  }
  await flush();
  return tasks;
}

/**
 * Counts in the page, read by the measures: IndexedDB transactions opened (wrapped before the
 * app opens its database: Dexie binds `transaction` then) and React commits (through the hook
 * React looks for when it loads, as its developer tools do).
 */
const COUNTERS = `
  globalThis.__benchCounts = { transactions: 0, commits: 0 };
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...args) {
    globalThis.__benchCounts.transactions++;
    return transaction.apply(this, args);
  };
  globalThis.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject: () => 1,
    checkDCE() {},
    onScheduleFiberRoot() {},
    onCommitFiberRoot() { globalThis.__benchCounts.commits++; },
    onPostCommitFiberRoot() {},
    onCommitFiberUnmount() {},
    setStrictMode() {},
  };
`;

/**
 * Every WebSocket frame's type and wall-clock time (`performance.timeOrigin + now`, comparable
 * across the pages of one machine), sent and received, with the page's React commits so far,
 * for the device-to-device timeline: the
 * constructor is wrapped before the app opens its socket, so the bench's listener is the first.
 */
const FRAMES = `
  globalThis.__benchFrames = [];
  const typeOf = (d) => typeof d === 'string' ? (/"type":"([a-z-]+)"/.exec(d.slice(0, 200)) || [])[1] : 'binary';
  const log = (dir, d) => {
    const frames = globalThis.__benchFrames;
    const commits = globalThis.__benchCounts ? globalThis.__benchCounts.commits : NaN;
    frames.push({ dir, type: typeOf(d), at: performance.timeOrigin + performance.now(), commits });
    if (frames.length > 400) frames.splice(0, 200);
  };
  const Native = globalThis.WebSocket;
  globalThis.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => log('in', e.data));
    }
    send(d) {
      log('out', d);
      return super.send(d);
    }
  };
`;

/**
 * A log of the page's IndexedDB transactions (opened, stores, mode, when complete) and React
 * commits, wall clock (`__benchLog`): the writer's timeline from a click to its push
 * (`bench:ui:remote --trace-writer`). Wraps `transaction` before the app's Dexie captures it.
 */
const TXLOG = `
  globalThis.__benchLog = [];
  const at = () => performance.timeOrigin + performance.now();
  const push = (e) => {
    const log = globalThis.__benchLog;
    log.push(e);
    if (log.length > 2000) log.splice(0, 1000);
  };
  const tx = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
    const t = tx.call(this, stores, mode, ...rest);
    const e = { k: 'tx', at: at(), mode: t.mode, stores: [...t.objectStoreNames].join(','), done: 0 };
    push(e);
    t.addEventListener('complete', () => (e.done = at()));
    return t;
  };
  const commitTx = IDBTransaction.prototype.commit;
  IDBTransaction.prototype.commit = function () {
    push({ k: 'commit-call', at: at() });
    return commitTx.call(this);
  };
  const add = IDBObjectStore.prototype.add;
  IDBObjectStore.prototype.add = function (...args) {
    push({ k: 'add', at: at(), store: this.name });
    return add.apply(this, args);
  };
  const hook = globalThis.__REACT_DEVTOOLS_GLOBAL_HOOK__;
  const commit = hook.onCommitFiberRoot;
  hook.onCommitFiberRoot = function (...args) {
    push({ k: 'commit', at: at() });
    return commit.apply(this, args);
  };
`;

export interface Person {
  email: string;
  name: string;
  role: 'admin' | 'member';
}

export interface Stage {
  page: Page;
  browser: Browser;
  url: string;
  big: SeedTask[];
  small: SeedTask[];
  /** Seconds from "Sign in" to everything synced. */
  syncSeconds: number;
  /** Signs another person of the org in, in a browser process of their own, everything synced. */
  addPerson(person: Person): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Builds the app (unminified with `debug`, for readable profiles), starts the server, seeds
 * `bigN` and `smallN` tasks and signs in.
 */
export async function openStage(opts: {
  bigN: number;
  smallN: number;
  debug?: boolean;
  /** Log every WebSocket frame's type and time in the pages (`__benchFrames`). */
  traceFrames?: boolean;
  /** The server's port (default: any free one). */
  port?: number;
  /** Every task of the big project To do without a date, as the E2E's `seedProject` seeds. */
  allTodo?: boolean;
  /** Log the first page's IndexedDB transactions and React commits (`__benchLog`). */
  traceTx?: boolean;
  /** The same in the pages of the people added (`addPerson`). */
  traceTxOthers?: boolean;
}): Promise<Stage> {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-ui-bench-'));
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-ui-bench-data-'));
  const cleanup: (() => Promise<unknown>)[] = [
    () => fs.rm(outDir, { recursive: true, force: true }),
    () => fs.rm(dataDir, { recursive: true, force: true }),
  ];
  const close = async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  };
  try {
    console.log('building the app…');
    await build({
      root: CLIENT,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, ...(opts.debug ? { minify: false } : {}) },
    });
    const server = await startServerProcess({
      readyTimeoutMs: 120_000,
      dataDir,
      env: {
        CLIENT_DIST_DIR: outDir,
        RATE_LIMIT_MAX: '100000000',
        BODY_LIMIT_BYTES: '10485760',
        LOG_LEVEL: 'error',
        ...(opts.port ? { PORT: String(opts.port) } : {}),
      },
    });
    cleanup.push(() => server.stop());
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    });
    cleanup.push(() => browser.close());

    const url = server.url;
    const who = {
      email: 'bench@ui.example.com',
      name: 'Bench',
      orgId: ORG,
      role: 'admin' as const,
    };
    const auth = await postJson<{ token: string; user: { id: string } }>(
      `${url}/api/v1/auth/dev-token`,
      who,
    );
    console.log(`seeding ${opts.bigN.toLocaleString('en')} tasks…`);
    const big = await seed(url, auth.token, auth.user.id, 'Big', opts.bigN, opts.allTodo);
    const small = await seed(url, auth.token, auth.user.id, 'Small', opts.smallN);

    const t0 = Date.now();
    const page = await signIn(browser, url, who, opts.traceFrames ?? false, opts.traceTx ?? false);
    return {
      page,
      browser,
      url,
      big,
      small,
      syncSeconds: (Date.now() - t0) / 1000,
      async addPerson(person) {
        // A browser process of its own, as another device is.
        const other = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
        cleanup.push(() => other.close());
        return signIn(
          other,
          url,
          { ...person, orgId: ORG },
          opts.traceFrames ?? false,
          opts.traceTxOthers ?? false,
        );
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * A context at 360×740 (service workers blocked, the counters installed), the dev sign-in
 * filled and submitted; resolves once everything is synced and the projects are listed.
 */
async function signIn(
  browser: Browser,
  url: string,
  who: Person & { orgId: string },
  trace: boolean,
  traceTx = false,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    serviceWorkers: 'block',
  });
  // tsx (esbuild keepNames) wraps named functions in the evaluated callbacks with `__name`.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await context.addInitScript({ content: COUNTERS });
  if (trace) await context.addInitScript({ content: FRAMES });
  if (traceTx) await context.addInitScript({ content: TXLOG });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(url);
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Organization').fill(who.orgId);
  await page.getByLabel('Role').selectOption(who.role);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The one status line says "Synced …" once everything is down and nothing is unsent.
  await page
    .locator('[data-testid="connection"][data-state="synced"]')
    .waitFor({ timeout: 300_000 });
  await page.getByRole('link', { name: 'Big' }).waitFor({ timeout: 300_000 });
  return page;
}

/** What the app's search matches: every word in title or notes. */
export function matches(tasks: readonly SeedTask[], q: string): number {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  return tasks.filter((t) => words.every((w) => `${t.title}\n${t.notes}`.toLowerCase().includes(w)))
    .length;
}

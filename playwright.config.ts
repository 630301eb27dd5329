import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

const PORT = Number(process.env.E2E_PORT ?? 3107);
const DATA_DIR = path.join(os.tmpdir(), `outpost-e2e-${process.pid}`);
// The runner stops the server before it exits; then the run's database goes too.
process.once('exit', () => fs.rmSync(DATA_DIR, { recursive: true, force: true }));
// A copy of client/dist the update test can deploy a new build into (see e2e/prepare-builds.mjs).
const SERVED_DIR = path.resolve('.artifacts/e2e-served');
// Specs that change or count what the whole server serves run alone, after the rest (the
// `alone` project, a teardown of the others, so it starts once they have all finished):
// update.spec deploys a new build into SERVED_DIR (every open page would see it) and
// engine.spec counts every joined socket on the server. A run of some other spec runs these
// two after it too; `--no-deps` leaves them out.
const ALONE = /\/(update|engine)\.spec\.ts$/;

export default defineConfig({
  testDir: 'e2e',
  outputDir: '.artifacts/e2e-results',
  fullyParallel: false,
  // Two spec files at a time against the one server: each test has its own org and users
  // (`orgFor`). A test's wait is a chain of short CPU bursts of the browser and the server, so
  // two at a time fill the two cores better than one (about 0.9× the wall time on a loaded
  // machine, see docs/performance.md).
  workers: 2,
  projects: [
    { name: 'shared-server', testIgnore: ALONE, teardown: 'alone' },
    { name: 'alone', testMatch: ALONE, workers: 1 },
  ],
  // A test that fails is run once more, with a trace: on a machine shared by other jobs a
  // browser step can stall past the timeout (quick-add.spec took 90 s, against 5-12 s, in a run
  // at load 17). One that then passes is reported as flaky by name (scripts/summarize.mjs),
  // not hidden; one that fails twice fails the run.
  retries: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: '.artifacts/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    serviceWorkers: 'allow',
    // Dates and counts are asserted as American English writes them, whatever the machine's LANG.
    locale: 'en-US',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    },
    // Recording a trace for every test costs every test; the retry records one.
    trace: 'on-first-retry',
  },
  webServer: {
    // The compiled server, as `npm start` runs it (built here too, so a fresh clone works).
    command:
      'node e2e/prepare-builds.mjs && pnpm --filter @outpost/server build && pnpm --filter @outpost/server start',
    url: `http://127.0.0.1:${PORT}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR,
      LOG_LEVEL: 'warn',
      CLIENT_DIST_DIR: SERVED_DIR,
      // A small activity window, so e2e/activity.spec.ts pages past it with a few hundred writes.
      ACTIVITY_SYNC_ENTRIES: '200',
      // e2e/engine.spec.ts reads the socket gauge.
      METRICS_TOKEN: 'e2e-metrics-token-not-secret',
    },
  },
});

import { defineConfig } from 'vitest/config';

// One workspace config; each package is a project. Tests live next to the code they prove.
export default defineConfig({
  test: {
    // One test file per core. Vitest's default in a run is one fewer than the cores, which on
    // the 2-core CI machine is a single worker: the main process transforms and reports while
    // that worker runs one file at a time, and a core sits mostly idle for the whole step.
    maxWorkers: '100%',
    projects: [
      {
        test: {
          name: 'shared',
          include: ['shared/src/**/*.test.ts'],
          environment: 'node',
          // Pure functions and schemas: nothing to load again per file.
          isolate: false,
          // Property tests run 1,000–2,000 cases (0.1–0.4 s here at load 10): on a machine
          // shared by several runs (load 17–19) they took past vitest's 5 s default. As the
          // server's; a hang still fails.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'server',
          include: ['server/src/**/*.test.ts', 'server/test/**/*.test.ts'],
          environment: 'node',
          // A worker's files share its modules instead of loading them again per file: loading
          // was most of this project's time (import 188 → 30 s, CPU 208 → 119 s at load 12).
          // Each file still builds its own app and store; a file that mocks a module imports
          // what uses it afresh (server/src/auth/verifier.test.ts).
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 200_000,
        },
      },
      {
        test: {
          name: 'client',
          include: ['client/src/**/*.test.{ts,tsx}', 'client/test/**/*.test.{ts,tsx}'],
          environment: 'node',
          // As the server's: loading modules again per file was half this project's CPU
          // (229 → 122 CPU-s at load 13–15). Dexie is then loaded once a worker: the set-up
          // gives it fake-indexeddb whichever file loads it first.
          isolate: false,
          setupFiles: ['client/test/setup-dexie.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'examples',
          include: ['examples/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 200_000,
        },
      },
    ],
  },
});

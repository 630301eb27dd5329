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
          testTimeout: 30_000,
          hookTimeout: 200_000,
        },
      },
      {
        test: {
          name: 'client',
          include: ['client/src/**/*.test.{ts,tsx}', 'client/test/**/*.test.{ts,tsx}'],
          environment: 'node',
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

import { defineConfig } from 'vitest/config';
import { checkPlugin } from './client/plugins/compiled-checks';

// One workspace config; each package is a project. Tests live next to the code they prove.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['shared/src/**/*.test.ts'],
          environment: 'node',
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
        // The engine's checks as the client build compiles them (check.ts is the zod fallback).
        plugins: [checkPlugin()],
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

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SYNC_BY_PATH = {
  group: ['**/sync', '**/sync/**', '!@outpost/sync', '!@outpost/sync/testing'],
  message:
    "Import the sync engine as '@outpost/sync' (its public API, client/src/sync/index.ts; tests also '@outpost/sync/testing'), not by path or into its internals.",
};
const ZOD_CLASSIC = {
  name: 'zod',
  message:
    "Import 'zod/mini' (shared schemas: shared/src/schema.ts); classic zod is not tree-shaken.",
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.artifacts/**', 'data/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    // Type-aware rules: a promise nobody awaits or catches is a write or a sync step whose
    // failure vanishes (an unhandled rejection), so they are errors everywhere, tests included.
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[object.name='process'][property.name='env'] BinaryExpression[right.value='test']",
          message: 'No NODE_ENV === "test" branches in product code.',
        },
      ],
    },
  },
  {
    // The sync engine is the package @outpost/sync (client/src/sync, entry index.ts); its
    // internals may change freely, so nothing outside it reaches them by path.
    files: ['**/*.{ts,tsx}'],
    ignores: ['client/src/sync/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [SYNC_BY_PATH],
        },
      ],
    },
  },
  {
    // The browser's code and the shared schemas use zod/mini: classic zod's methods cannot be
    // tree-shaken (they cost the engine ~17 kB gzip; client/src/sync/README.md#weight).
    files: ['client/src/**/*.{ts,tsx}', 'shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [ZOD_CLASSIC],
          patterns: [SYNC_BY_PATH],
        },
      ],
    },
  },
  {
    files: ['client/src/sync/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [ZOD_CLASSIC] }] },
  },
  {
    // The app's build targets Safari 16.4; AbortSignal.any came in Safari 17.4 (and Chromium
    // 116): the browser's code combines signals with the engine's anySignal.
    files: ['client/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'AbortSignal',
          property: 'any',
          message:
            "Use anySignal (from '@outpost/sync'; in the engine './platform'): Safari < 17.4 has no AbortSignal.any.",
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'server/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);

/**
 * Tree-shaking the client builds use (vite.config.ts, bench/): building a zod schema has no side
 * effects, so an unused `z.…` call (and its `.check(…)` chain) is dropped. The engine needs no
 * such setting (its modules build no schema, and any bundler leaves zod out of it:
 * `test/engine-bundle.test.ts`); the app's own screens do import schemas.
 */
export const ENGINE_TREESHAKE = { manualPureFunctions: ['z'] };

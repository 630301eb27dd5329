/**
 * Vite/Vitest plugin: serves the sync engine's `check.ts` as the validators compiled from its
 * schemas (`src/sync/check-gen.ts`, `check-build.ts`; nothing is written to disk). They are
 * loaded through tsx: a Vite config is bundled with its packages left external, and
 * `@outpost/shared` is TypeScript.
 */
export function checkPlugin(): {
  name: string;
  enforce: 'pre';
  load(id: string): Promise<string | null>;
} {
  let code: Promise<string> | undefined;
  return {
    name: 'outpost:compiled-checks',
    enforce: 'pre',
    async load(id) {
      if (!id.split('?')[0]!.replaceAll('\\', '/').endsWith('/src/sync/check.ts')) return null;
      code ??= import('tsx/esm/api').then(async ({ tsImport }) => {
        const gen = (await tsImport('../src/sync/check-build.ts', import.meta.url)) as {
          engineChecks(): string;
        };
        return gen.engineChecks();
      });
      return code;
    },
  };
}

/**
 * Tree-shaking the client builds use (vite.config.ts, bench/size.ts): building a zod schema
 * has no side effects, so an unused `z.…` call (and its `.check(…)` chain) is dropped — with
 * the compiled checks, the engine then bundles no schema and no zod.
 */
export const ENGINE_TREESHAKE = { manualPureFunctions: ['z'] };

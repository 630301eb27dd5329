import type { z } from 'zod/mini';
import { check as compiled } from './check.generated.js';
import type { checked } from './schemas';

/**
 * The engine's runtime checks, by name (`schemas.ts#checked`): plain validators compiled from
 * those schemas (`check-gen.ts`), committed as `check.generated.js` so that any bundler or
 * runner — the app's Vite build, esbuild, tsx, vitest — gets them as they are: the engine
 * carries no zod (its runtime and locales: ~86 kB gzip). `check.test.ts` holds them to zod's
 * answers and to the schemas (`pnpm gen:checks` rewrites the file after a schema change).
 */

export interface CheckIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export type CheckResult<T> =
  | { success: true; data: T; error?: undefined }
  | { success: false; data?: undefined; error: { issues: CheckIssue[]; message: string } };

export interface Check<T> {
  safeParse(input: unknown): CheckResult<T>;
}

/** A registry node's runtime form: a check, an object schema's key list, a constant, a group. */
export type Checks<N> = N extends z.ZodMiniType
  ? Check<z.output<N>>
  : N extends { keysOf: { shape: infer S } }
    ? (keyof S & string)[]
    : N extends number | string
      ? N
      : { readonly [K in keyof N]: Checks<N[K]> };

/** The compiled checks, typed from the schemas they were compiled from. */
export const check = compiled as Checks<typeof checked>;

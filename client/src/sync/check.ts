import type { z } from 'zod/mini';
import { checked } from './schemas';

/**
 * The engine's runtime checks, by name (`schemas.ts#checked`). This file runs them with zod
 * (Node, and tests without the plugin); the client build, its service worker, the size bench
 * and vitest serve instead the validators compiled from the same schemas (`check-gen.ts`, via
 * `client/plugins/compiled-checks.ts`): the engine bundle carries no zod. `check.test.ts`
 * holds the two to the same answers.
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

function build(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  if ('_zod' in node) return node;
  if ('keysOf' in node) return Object.keys((node.keysOf as z.ZodMiniObject).shape);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, build(v)]));
}

export const check = build(checked) as Checks<typeof checked>;

/** True in the compiled replacement; the equivalence test asserts it is not comparing zod to zod. */
export const GENERATED: boolean = false;

import { z } from '../schema.js';

/** Why a query number was refused when it is not one: `/limit must be a whole number written in digits`. */
export const QUERY_NUMBER_MESSAGE = 'must be a whole number written in digits';

/**
 * A whole number in a query string, written in plain decimal digits (`?limit=20`) and within
 * `[min, max]`. Coercion (`Number(…)`) would also take `0x10`, `1e1`, ` 5`, `5.0` and `+5`:
 * each is refused saying what is expected instead. OpenAPI shows the number's schema (an
 * `integer` parameter), which is what it means there.
 */
export function queryWholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.pipe(
    z.transform((v: unknown) =>
      // Past ~309 digits Number() is Infinity: kept finite so the bound, not the type, refuses it.
      typeof v === 'string' && /^[0-9]+$/.test(v) ? Math.min(Number(v), Number.MAX_VALUE) : v,
    ),
    z
      .number({ error: (i) => (typeof i.input === 'string' ? QUERY_NUMBER_MESSAGE : undefined) })
      .check(z.int(), z.gte(min), z.lte(max)),
  );
}

/**
 * A page size in a query string: 1 to `max`, `fallback` when absent. A prefault, not a default:
 * OpenAPI shows no default on a schema that transforms its input.
 */
export function queryLimit(max: number, fallback: number) {
  return z.prefault(queryWholeNumber(1, max), fallback);
}

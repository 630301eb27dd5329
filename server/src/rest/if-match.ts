import { AppError } from '../errors.js';

/**
 * Parses `If-Match` into a row version. Accepts `"12"`, `12` and the weak form `W/"12"`;
 * `*` (any current version) and an absent header mean no precondition.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return undefined;
  const m = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value);
  if (!m)
    throw new AppError('BAD_REQUEST', 'If-Match must be the row version from its ETag, e.g. "12"', {
      ifMatch: header,
    });
  return Number(m[1]);
}

export const etagOf = (version: number): string => `"${version}"`;

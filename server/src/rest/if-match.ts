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

/**
 * Whether `If-None-Match` names this ETag (RFC 9110 §13.1.2): a comma-separated list, compared
 * weakly (`W/"12"` matches `"12"`), `*` matching any current representation. The one rule for
 * every 304 of the API.
 */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const mine = etag.replace(/^W\//, '');
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t.replace(/^W\//, '') === mine);
}

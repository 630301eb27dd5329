import { AppError } from '../errors.js';
import type { IfMatch } from '../engine/types.js';

/**
 * One member of an entity-tag list (RFC 9110 §8.8.3): optional `W/`, then a quoted opaque tag
 * (which may itself hold a comma), then the list's comma or the end. Empty members are allowed
 * (§5.6.1: `a, , b`).
 */
const MEMBER = /[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(?:,|$)/y;

const malformed = (header: string): AppError =>
  new AppError(
    'BAD_REQUEST',
    'If-Match must be `*` or a comma-separated list of quoted ETags, e.g. "12" or "12", "13"',
    { ifMatch: header },
  );

/**
 * Parses `If-Match` as RFC 9110 §13.1.1 reads it: `*`, or a list of entity tags of which any
 * one may match, compared strongly, so a weak tag (`W/"12"`) never matches. Returns the strong
 * tags' opaque values; absent and `*` are no precondition (`*` matches every live row, and a
 * missing row is 404 before any precondition is looked at: §13.2.1). Anything else is 400.
 */
export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return undefined;
  const strong: string[] = [];
  let members = 0;
  for (let at = 0; at < header.length;) {
    MEMBER.lastIndex = at;
    const m = MEMBER.exec(header);
    if (!m || m[0] === '') throw malformed(header);
    if (m[2] !== undefined) {
      members += 1;
      if (m[1] === undefined) strong.push(m[2]);
    }
    at = MEMBER.lastIndex;
  }
  if (members === 0) throw malformed(header);
  return { header, strong };
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

import { z } from 'zod';
import { AppError } from '../errors.js';
import type { IfMatch } from '../engine/types.js';

/**
 * One member of an entity-tag list (RFC 9110 §8.8.3): optional `W/`, then a quoted opaque tag
 * (which may itself hold a comma), then the list's comma or the end. Empty members are allowed
 * (§5.6.1: `a, , b`).
 */
const MEMBER = /[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(?:,|$)/y;

export interface EntityTag {
  weak: boolean;
  /** What is between the quotes. */
  opaque: string;
}

/** The two conditional headers that take an entity-tag list. */
type ListHeader = 'If-Match' | 'If-None-Match';

const malformed = (name: ListHeader, header: string): AppError =>
  new AppError(
    'BAD_REQUEST',
    `${name} must be \`*\` or a comma-separated list of quoted ETags, e.g. "12" or "12", "13"`,
    name === 'If-Match' ? { ifMatch: header } : { ifNoneMatch: header },
  );

/**
 * Reads `If-Match` or `If-None-Match` (RFC 9110 §13.1.1, §13.1.2): `*` alone, or a list of
 * entity tags split at the commas between them, not inside them. Anything else — an unquoted
 * `12`, a lower-case `w/`, `*` in a list, no tag at all — is 400 BAD_REQUEST naming the header.
 * The one parser for both headers; their comparisons differ and live with each.
 */
export function parseEntityTags(name: ListHeader, header: string): '*' | EntityTag[] {
  if (header.trim() === '*') return '*';
  const tags: EntityTag[] = [];
  for (let at = 0; at < header.length;) {
    MEMBER.lastIndex = at;
    const m = MEMBER.exec(header);
    if (!m || m[0] === '') throw malformed(name, header);
    if (m[2] !== undefined) tags.push({ weak: m[1] !== undefined, opaque: m[2] });
    at = MEMBER.lastIndex;
  }
  if (tags.length === 0) throw malformed(name, header);
  return tags;
}

/**
 * Parses `If-Match` as RFC 9110 §13.1.1 reads it: `*`, or a list of entity tags of which any
 * one may match, compared strongly, so a weak tag (`W/"12"`) never matches. Returns the strong
 * tags' opaque values; absent and `*` are no precondition (`*` matches every live row, and a
 * missing row is 404 before any precondition is looked at: §13.2.1). Anything else is 400.
 */
export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  const tags = parseEntityTags('If-Match', header);
  if (tags === '*') return undefined;
  return { header, strong: tags.filter((t) => !t.weak).map((t) => t.opaque) };
}

/** `If-None-Match` as parsed: absent, `*` (any current representation), or its tags. */
export type IfNoneMatch = undefined | '*' | EntityTag[];

/**
 * Parses `If-None-Match` (RFC 9110 §13.1.2) with the same list rules as If-Match; a malformed
 * header is 400 BAD_REQUEST with `details: { ifNoneMatch }`. Parse it before looking anything
 * up, so a bad header is refused the same way whether or not the row exists.
 */
export function parseIfNoneMatch(header: string | undefined): IfNoneMatch {
  return header === undefined ? undefined : parseEntityTags('If-None-Match', header);
}

/** The `headers` schema of a GET that answers 304, for its OpenAPI text. */
export const ifNoneMatchHeaders = z.object({
  'if-none-match': z
    .string()
    .optional()
    .describe(
      'ETags you hold (`"12"`), several comma-separated (a quoted tag may hold a comma), or `*`. Compared weakly: `W/"12"` matches `"12"`. A match is 304; a malformed value (an unquoted `12`, `*` in a list) is 400.',
    ),
});

export const etagOf = (version: number): string => `"${version}"`;

/**
 * Whether a parsed `If-None-Match` names this ETag: compared weakly (`W/"12"` matches `"12"`,
 * §8.8.3.2), `*` matching any current representation. The one rule for every 304 of the API.
 */
export function noneMatchHits(ifNoneMatch: IfNoneMatch, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch === '*') return true;
  // Ours are always one well-formed tag, `"12"` or `W/"…"`: its opaque part is between the quotes.
  const mine = etag.slice(etag.indexOf('"') + 1, -1);
  return ifNoneMatch.some((t) => t.opaque === mine);
}

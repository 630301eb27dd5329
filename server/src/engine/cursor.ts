import { createHash } from 'node:crypto';
import type { RowEntity } from '@outpost/shared';
import { AppError, quoted } from '../errors.js';

type ListFilter = Readonly<Record<string, string | number | boolean | null>>;

/**
 * Opaque list cursors: base64url of the last row id seen, the kind of row listed and a short
 * hash of the list's filters. Opaque so the ordering key can change without breaking clients
 * that only pass the value back; the kind and the filters, so a cursor passed to another list
 * (projects on tasks, `status=todo` on `status=done`) is refused, not read as a place in it.
 * The page size is not part of it: `limit` may change from page to page.
 */
export function encodeListCursor(entity: RowEntity, filter: ListFilter, lastId: string): string {
  const cursor = { after: lastId, of: entity, f: filterHash(filter) };
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/**
 * 12 base64url characters (72 bits) of SHA-256 over the filters, keys sorted. Ids are already
 * in the stored case (see storedRefs), so `?projectId=ABC…` and `?projectId=abc…` agree.
 */
function filterHash(filter: ListFilter): string {
  const canonical = JSON.stringify(
    Object.keys(filter)
      .sort()
      .map((k) => [k, filter[k]]),
  );
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

/** The id a cursor of `entity`'s list with these filters resumes after; else 400 BAD_CURSOR. */
export function decodeListCursor(entity: RowEntity, filter: ListFilter, cursor: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // fall through: any undecodable value is a bad cursor
  }
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'after' in parsed &&
    typeof parsed.after === 'string' &&
    parsed.after.length > 0 &&
    parsed.after.length <= 200
  ) {
    const of = 'of' in parsed ? parsed.of : undefined;
    if (of !== undefined && of !== entity)
      throw new AppError(
        'BAD_CURSOR',
        `\`cursor\` is from another list (${typeof of === 'string' ? quoted(of, 20) : 'unknown'}s, not ${entity}s): pass back a \`nextCursor\` of this one`,
      );
    const f = 'f' in parsed ? parsed.f : undefined;
    // Made before cursors carried their filters (2026-12-03): which filters it was made for is
    // unknown, so it cannot be trusted as a place in this one.
    if (of === undefined || f === undefined)
      throw new AppError(
        'BAD_CURSOR',
        '`cursor` was made by an older server and does not say which filters it was made for: start again without a cursor',
      );
    if (f === filterHash(filter)) return parsed.after;
    throw new AppError(
      'BAD_CURSOR',
      '`cursor` was made for other filters of this list: pass it back with the filters of the page that gave it, or start again without a cursor',
    );
  }
  throw new AppError(
    'BAD_CURSOR',
    '`cursor` is not valid: pass back the `nextCursor` of a previous page',
  );
}

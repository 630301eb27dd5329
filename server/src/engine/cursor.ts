import { createHash } from 'node:crypto';
import type { OrgId, RowEntity } from '@outpost/shared';
import { AppError, quoted } from '../errors.js';

type ListFilter = Readonly<Record<string, string | number | boolean | null>>;

/**
 * Opaque list cursors: base64url of the last row id seen, a short hash of the org, the kind of
 * row listed and a short hash of the list's filters. Opaque so the ordering key can change
 * without breaking clients that only pass the value back; the org, the kind and the filters,
 * so a cursor passed to another list (another org's, projects on tasks, `status=todo` on
 * `status=done`) is refused, not read as a place in it. The page size is not part of it:
 * `limit` may change from page to page.
 */
export function encodeListCursor(
  orgId: OrgId,
  entity: RowEntity,
  filter: ListFilter,
  lastId: string,
): string {
  const cursor = { after: lastId, o: orgHash(orgId), of: entity, f: filterHash(filter) };
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** 12 base64url characters (72 bits) of SHA-256 over `value`: the hash list cursors carry. */
export function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 12);
}

/** The org a cursor was made in, hashed: the cursor stays opaque and does not show the org id. */
function orgHash(orgId: OrgId): string {
  return shortHash(`org:${orgId}`);
}

/**
 * The filters, keys sorted. Ids are already in the stored case (see storedRefs), so
 * `?projectId=ABC…` and `?projectId=abc…` agree.
 */
function filterHash(filter: ListFilter): string {
  return shortHash(
    JSON.stringify(
      Object.keys(filter)
        .sort()
        .map((k) => [k, filter[k]]),
    ),
  );
}

/**
 * The id a cursor of `entity`'s list in `orgId` with these filters resumes after; else 400
 * BAD_CURSOR.
 */
export function decodeListCursor(
  orgId: OrgId,
  entity: RowEntity,
  filter: ListFilter,
  cursor: string,
): string {
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
    const o = 'o' in parsed ? parsed.o : undefined;
    if (o !== undefined && o !== orgHash(orgId))
      throw new AppError(
        'BAD_CURSOR',
        "`cursor` was made for another org's list: pass back a `nextCursor` of this org's list, or start again without a cursor",
      );
    const of = 'of' in parsed ? parsed.of : undefined;
    if (of !== undefined && of !== entity)
      throw new AppError(
        'BAD_CURSOR',
        `\`cursor\` is from another list (${typeof of === 'string' ? quoted(of, 20) : 'unknown'}s, not ${entity}s): pass back a \`nextCursor\` of this one`,
      );
    const f = 'f' in parsed ? parsed.f : undefined;
    // Made before cursors carried their filters and org (2026-12-03): which list it was made
    // for is unknown, so it cannot be trusted as a place in this one.
    if (of === undefined || f === undefined || o === undefined)
      throw new AppError(
        'BAD_CURSOR',
        '`cursor` was made by an older server and does not say which list it was made for: start again without a cursor',
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

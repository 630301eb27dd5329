import type { RowEntity } from '@outpost/shared';
import { AppError, quoted } from '../errors.js';

/**
 * Opaque list cursors: base64url of the last row id seen and the kind of row listed. Opaque so
 * the ordering key can change without breaking clients that only pass the value back; the
 * kind, so a projects cursor passed to the tasks list is refused, not read as a place in it.
 */
export function encodeListCursor(entity: RowEntity, lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId, of: entity }), 'utf8').toString('base64url');
}

/** The id a cursor of `entity`'s list resumes after. A cursor without a kind (older) is taken. */
export function decodeListCursor(entity: RowEntity, cursor: string): string {
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
    const of = 'of' in parsed ? parsed.of : entity;
    if (of === entity) return parsed.after;
    throw new AppError(
      'BAD_CURSOR',
      `The list cursor is from another list (${typeof of === 'string' ? quoted(of, 20) : 'unknown'}s, not ${entity}s): pass back a nextCursor of this one`,
    );
  }
  throw new AppError(
    'BAD_CURSOR',
    'The list cursor is not valid: pass back a nextCursor from a previous page',
  );
}

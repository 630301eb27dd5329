import { AppError } from '../errors.js';

/**
 * Opaque list cursors: base64url of the last row id seen. Opaque so the ordering key can
 * change without breaking clients that only pass the value back.
 */
export function encodeListCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

export function decodeListCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'after' in parsed &&
      typeof parsed.after === 'string' &&
      parsed.after.length > 0 &&
      parsed.after.length <= 200
    ) {
      return parsed.after;
    }
  } catch {
    // fall through: any undecodable value is a bad cursor
  }
  throw new AppError(
    'BAD_CURSOR',
    'The list cursor is not valid: pass back a nextCursor from a previous page',
  );
}

import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Page cursors are opaque to clients: base64url JSON of the last document's key. The key's
 * type travels along because a MongoDB `_id` may be an ObjectId or a string, and `$gt`
 * only compares values of one BSON type.
 */
export const resourceCursorSchema = z.strictObject({
  v: z.literal(1),
  id: z.string().min(1).max(200),
  t: z.enum(['str', 'oid']),
});
export type ResourceCursor = z.infer<typeof resourceCursorSchema>;

export function encodeCursor(cursor: Omit<ResourceCursor, 'v'>): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor })).toString('base64url');
}

export function decodeCursor(raw: string): ResourceCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const parsed = resourceCursorSchema.safeParse(json);
  if (!parsed.success) throw badCursor();
  return parsed.data;
}

function badCursor(): AppError {
  return new AppError(
    'BAD_CURSOR',
    '`cursor` is not valid: pass back the `nextCursor` of a previous page',
  );
}

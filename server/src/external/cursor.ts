import { z } from 'zod';
import { shortHash } from '../engine/cursor.js';
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

/** What a list's cursor is bound to: its search and filters, as normalized. */
export interface ListBinding {
  q: string | undefined;
  kind: string | undefined;
}

const boundCursorSchema = z.strictObject({
  v: z.literal(2),
  c: z.string().min(1).max(500),
  f: z.string().length(12),
});

/** The search and filters, hashed as REST list cursors hash theirs. */
function bindingHash(binding: ListBinding): string {
  return shortHash(JSON.stringify([binding.q ?? null, binding.kind ?? null]));
}

/**
 * The `nextCursor` a page hands out: the source's cursor bound to the list's search and
 * filters, so a cursor sent with others (`kind=template`'s on `kind=document`) is refused
 * rather than read as a place in that list (REST lists bind theirs the same way).
 */
export function bindListCursor(inner: string, binding: ListBinding): string {
  return Buffer.from(JSON.stringify({ v: 2, c: inner, f: bindingHash(binding) })).toString(
    'base64url',
  );
}

/**
 * The source's cursor inside `raw`, if `raw` was made for this search and these filters; else
 * 400 BAD_CURSOR. A cursor made before cursors were bound (2026-12-03: the source's own, `v: 1`)
 * is taken as it is, so a page the app kept from before still continues.
 */
export function innerListCursor(raw: string, binding: ListBinding): string {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (resourceCursorSchema.safeParse(json).success) return raw;
  const bound = boundCursorSchema.safeParse(json);
  if (!bound.success) throw badCursor();
  if (bound.data.f !== bindingHash(binding))
    throw new AppError(
      'BAD_CURSOR',
      '`cursor` was made for another search or other filters of this list: pass it back with the `q` and `kind` of the page that gave it, or start again without a cursor',
    );
  return bound.data.c;
}

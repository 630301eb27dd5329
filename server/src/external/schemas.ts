import { z } from 'zod';
import { listPayloadSchema, itemPayloadSchema } from './service.js';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export const listQuerySchema = z.strictObject({
  q: z.string().max(200).optional().describe('Case-insensitive substring of the name'),
  kind: z
    .string()
    .min(1)
    .max(50)
    .optional()
    .describe('Only resources whose data.kind equals this (e.g. document, template, dataset)'),
  cursor: z.string().min(1).max(1000).optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type ListQueryParams = z.infer<typeof listQuerySchema>;

export const idParamsSchema = z.strictObject({ id: z.string().min(1).max(200) });

const freshness = {
  /** True when the source could not be read and this is the last good copy. */
  stale: z.boolean(),
  /** Age of the stale copy in milliseconds (only when `stale`). */
  staleAgeMs: z.number().int().nonnegative().optional(),
};

export const listResponseSchema = listPayloadSchema.extend(freshness);
export const itemResponseSchema = z.object({
  data: itemPayloadSchema.shape.data.unwrap(),
  ...freshness,
});

export const errorResponseSchema = z.object({
  error: z.string(),
  code: z.string(),
  details: z.unknown().optional(),
});

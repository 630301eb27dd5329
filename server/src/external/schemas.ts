import { z } from 'zod';
import {
  errorBodySchema,
  queryLimit,
  RESOURCE_SEARCH_MAX,
  sharedResourceItemSchema,
  sharedResourcePageSchema,
} from '@outpost/shared';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export const listQuerySchema = z.strictObject({
  q: z
    .string()
    .max(RESOURCE_SEARCH_MAX)
    .optional()
    .describe(
      'Case-insensitive substring of the name; surrounding spaces are ignored and a run of spaces counts as one. Empty or only spaces: no search (every resource).',
    ),
  kind: z
    .string()
    .min(1)
    .max(50)
    .optional()
    .describe('Only resources whose data.kind equals this (e.g. document, template, dataset)'),
  cursor: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe(
      '`nextCursor` of the previous page, sent with the same `q` and `kind` (limit may change); with others it is 400 BAD_CURSOR',
    ),
  limit: queryLimit(MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
});
export type ListQueryParams = z.infer<typeof listQuerySchema>;

export const idParamsSchema = z.strictObject({ id: z.string().min(1).max(200) });

/** The answers are the shared contract: the client parses them with the same schemas. */
export const listResponseSchema = sharedResourcePageSchema;
export const itemResponseSchema = sharedResourceItemSchema;
export const errorResponseSchema = errorBodySchema;

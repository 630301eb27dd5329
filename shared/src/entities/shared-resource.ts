import { z } from '../schema.js';
import { isoDateTimeSchema } from './common.js';

/** A read-only document of the external dataset. */
export const sharedResourceSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  name: z.string().check(z.minLength(1), z.maxLength(500)),
  data: z.record(z.string(), z.unknown()),
  createdAt: isoDateTimeSchema,
});
export type SharedResource = z.infer<typeof sharedResourceSchema>;

/** The `data.kind` values of the shipped sample dataset (a source may have others). */
export const SAMPLE_RESOURCE_KINDS = [
  'document',
  'template',
  'dataset',
  'guide',
  'equipment',
  'vendor',
  'location',
] as const;

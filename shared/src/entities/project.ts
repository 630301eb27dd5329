import { z } from 'zod';
import { entityIdSchema } from '../ids.js';
import { rowMetaShape } from './common.js';

export const projectStatusSchema = z.enum(['active', 'archived']);
export type ProjectStatus = z.infer<typeof projectStatusSchema>;

/** The fields a client may write. */
export const projectFieldsSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000),
  status: projectStatusSchema,
  ownerId: entityIdSchema,
});
export type ProjectFields = z.infer<typeof projectFieldsSchema>;

export const projectSchema = z.strictObject({ ...rowMetaShape, ...projectFieldsSchema.shape });
export type Project = z.infer<typeof projectSchema>;

import { z } from '../schema.js';
import { entityIdSchema } from '../ids.js';
import { rowMetaShape } from './common.js';

export const projectStatusSchema = z.enum(['active', 'archived']);
export type ProjectStatus = z.infer<typeof projectStatusSchema>;

// A plain object spread into projectSchema: reading `.shape` (a getter) would keep both
// schemas in bundles that use neither.
const projectFieldsShape = {
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  description: z.string().check(z.maxLength(5000)),
  status: projectStatusSchema,
  ownerId: entityIdSchema,
};
/** The fields a client may write. */
export const projectFieldsSchema = z.strictObject(projectFieldsShape);
export type ProjectFields = z.infer<typeof projectFieldsSchema>;

export const projectSchema = z.strictObject({ ...rowMetaShape, ...projectFieldsShape });
export type Project = z.infer<typeof projectSchema>;

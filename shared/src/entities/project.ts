import { z } from '../schema.js';
import { entityIdSchema } from '../ids.js';
import { rowMetaShape } from './common.js';
import { multilineText, oneLineText } from './text.js';

export const projectStatusSchema = z.enum(['active', 'archived']);
export type ProjectStatus = z.infer<typeof projectStatusSchema>;

/** Longest name and description (UTF-16 units, as `String.length`). */
export const PROJECT_NAME_MAX = 200;
export const PROJECT_DESCRIPTION_MAX = 5000;

// Plain objects spread into the schemas: reading `.shape` (a getter) would keep both schemas
// in bundles that use neither.
/** The fields as rows hold them: without the text rules newer than some stored rows (text.ts). */
const projectRowFieldsShape = {
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(PROJECT_NAME_MAX)),
  description: z.string().check(z.maxLength(PROJECT_DESCRIPTION_MAX)),
  status: projectStatusSchema,
  ownerId: entityIdSchema,
};

/**
 * What input adds to the row's fields, field by field (the text rules): the server checks a
 * pushed mutation's fields, already parsed as rows hold them, against these alone.
 */
export const projectInputRules = {
  name: /* @__PURE__ */ oneLineText(PROJECT_NAME_MAX),
  description: /* @__PURE__ */ multilineText(PROJECT_DESCRIPTION_MAX),
};

/** The fields a client or REST caller may write: the row's fields with the text rules. */
export const projectFieldsSchema = z.strictObject({
  ...projectRowFieldsShape,
  ...projectInputRules,
});
export type ProjectFields = z.infer<typeof projectFieldsSchema>;

/**
 * The fields as a push mutation carries them: as rows hold them, so a write queued before the
 * text rules is answered one `validation` rejection (the server checks it against
 * `projectFieldsSchema`) instead of a 400 that would hold up the whole outbox behind it.
 */
export const projectRowFieldsSchema = z.strictObject(projectRowFieldsShape);

export const projectSchema = z.strictObject({ ...rowMetaShape, ...projectRowFieldsShape });
export type Project = z.infer<typeof projectSchema>;

import { z } from '../schema.js';
import { entityIdSchema } from '../ids.js';
import { calendarDateSchema, rowMetaShape } from './common.js';
import { multilineText, oneLineText } from './text.js';

export const taskStatusSchema = z.enum(['todo', 'doing', 'done']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

// Plain objects spread into the schemas (see project.ts).
/** The fields as rows hold them: without the text rules newer than some stored rows (text.ts). */
const taskRowFieldsShape = {
  projectId: entityIdSchema,
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
  notes: z.string().check(z.maxLength(20000)),
  status: taskStatusSchema,
  assigneeId: z.nullable(entityIdSchema),
  /** Calendar date `YYYY-MM-DD`, or null. */
  dueDate: z.nullable(calendarDateSchema),
};

/** The fields a client or REST caller may write: the row's fields with the text rules. */
export const taskFieldsSchema = z.strictObject({
  ...taskRowFieldsShape,
  title: /* @__PURE__ */ oneLineText(500),
  notes: /* @__PURE__ */ multilineText(20000),
});
export type TaskFields = z.infer<typeof taskFieldsSchema>;

/** The fields as a push mutation carries them (see projectRowFieldsSchema). */
export const taskRowFieldsSchema = z.strictObject(taskRowFieldsShape);

export const taskSchema = z.strictObject({ ...rowMetaShape, ...taskRowFieldsShape });
export type Task = z.infer<typeof taskSchema>;

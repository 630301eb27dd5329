import { z } from '../schema.js';
import { entityIdSchema } from '../ids.js';
import { calendarDateSchema, dateShapedSchema, dueDateSchema, rowMetaShape } from './common.js';
import { multilineText, oneLineText } from './text.js';

export const taskStatusSchema = z.enum(['todo', 'doing', 'done']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/** Longest title and notes (UTF-16 units, as `String.length`); the app shows them near the limit. */
export const TASK_TITLE_MAX = 500;
export const TASK_NOTES_MAX = 20_000;

// Plain objects spread into the schemas (see project.ts).
/** The fields as rows hold them: without the text rules newer than some stored rows (text.ts). */
const taskRowFieldsShape = {
  projectId: entityIdSchema,
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(TASK_TITLE_MAX)),
  notes: z.string().check(z.maxLength(TASK_NOTES_MAX)),
  status: taskStatusSchema,
  assigneeId: z.nullable(entityIdSchema),
  /** Calendar date `YYYY-MM-DD`, or null. */
  dueDate: z.nullable(calendarDateSchema),
};

/**
 * What input adds to the row's fields, field by field (the text rules, the due-date years):
 * the server checks a pushed mutation's fields, already parsed as rows hold them, against
 * these alone.
 */
export const taskInputRules = {
  title: /* @__PURE__ */ oneLineText(TASK_TITLE_MAX),
  notes: /* @__PURE__ */ multilineText(TASK_NOTES_MAX),
  dueDate: /* @__PURE__ */ z.nullable(dueDateSchema),
};

/** The fields a client or REST caller may write: the row's fields with the input rules. */
export const taskFieldsSchema = z.strictObject({ ...taskRowFieldsShape, ...taskInputRules });
export type TaskFields = z.infer<typeof taskFieldsSchema>;

/**
 * The fields as a push mutation carries them (see projectRowFieldsSchema), with a due date
 * checked for its shape only: a day that does not exist is refused with the mutation, by
 * `taskInputRules`, and the rest of the push applies.
 */
export const taskRowFieldsSchema = z.strictObject({
  ...taskRowFieldsShape,
  dueDate: z.nullable(dateShapedSchema),
});

export const taskSchema = z.strictObject({ ...rowMetaShape, ...taskRowFieldsShape });
export type Task = z.infer<typeof taskSchema>;

import { z } from '../schema.js';
import { entityIdSchema } from '../ids.js';
import { calendarDateSchema, rowMetaShape } from './common.js';

export const taskStatusSchema = z.enum(['todo', 'doing', 'done']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

// A plain object spread into taskSchema (see projectFieldsShape).
const taskFieldsShape = {
  projectId: entityIdSchema,
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
  notes: z.string().check(z.maxLength(20000)),
  status: taskStatusSchema,
  assigneeId: z.nullable(entityIdSchema),
  /** Calendar date `YYYY-MM-DD`, or null. */
  dueDate: z.nullable(calendarDateSchema),
};
export const taskFieldsSchema = z.strictObject(taskFieldsShape);
export type TaskFields = z.infer<typeof taskFieldsSchema>;

export const taskSchema = z.strictObject({ ...rowMetaShape, ...taskFieldsShape });
export type Task = z.infer<typeof taskSchema>;

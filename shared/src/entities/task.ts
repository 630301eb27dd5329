import { z } from 'zod';
import { entityIdSchema } from '../ids.js';
import { calendarDateSchema, rowMetaShape } from './common.js';

export const taskStatusSchema = z.enum(['todo', 'doing', 'done']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const taskFieldsSchema = z.strictObject({
  projectId: entityIdSchema,
  title: z.string().trim().min(1).max(500),
  notes: z.string().max(20000),
  status: taskStatusSchema,
  assigneeId: entityIdSchema.nullable(),
  /** Calendar date `YYYY-MM-DD`, or null. */
  dueDate: calendarDateSchema.nullable(),
});
export type TaskFields = z.infer<typeof taskFieldsSchema>;

export const taskSchema = z.strictObject({ ...rowMetaShape, ...taskFieldsSchema.shape });
export type Task = z.infer<typeof taskSchema>;

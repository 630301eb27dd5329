import { z } from '../schema.js';
import { entityIdSchema, orgIdSchema } from '../ids.js';

export const isoDateTimeSchema = z.iso.datetime({ offset: true });

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_SHAPE_MESSAGE = 'Invalid date: expected YYYY-MM-DD';
export const NO_SUCH_DATE_MESSAGE = 'Invalid date: no such day in the calendar (YYYY-MM-DD)';

/**
 * What a date that is not one is told, wherever a calendar date is read (a due date, a filter):
 * only a `YYYY-MM-DD` can name no day; anything else (`soon`, a date-time) is told the shape,
 * as a push's whole-body check tells it (`dateShapedSchema`).
 */
const notADate = (issue: { input?: unknown }): string =>
  typeof issue.input === 'string' && DATE_SHAPE.test(issue.input)
    ? NO_SUCH_DATE_MESSAGE
    : DATE_SHAPE_MESSAGE;

/** A calendar date `YYYY-MM-DD` that exists (month lengths and leap years checked). */
export const calendarDateSchema = z.iso.date({ error: notADate });

/**
 * A string shaped `YYYY-MM-DD`, whether or not the day exists: what a push mutation's due date
 * is checked for as a whole push. Whether the day exists is a rule of the mutation alone
 * (`dueDateSchema`), so one `2027-02-30` is one `validation` rejection, not a 400 of the push.
 */
export const dateShapedSchema = /* @__PURE__ */ z
  .string()
  .check(z.regex(DATE_SHAPE, { message: DATE_SHAPE_MESSAGE }));

export const DUE_DATE_MESSAGE = 'Invalid date: a due date is in the years 1900 to 9999';
/** The first and last due dates (`YYYY-MM-DD` compares as text): a date input's `min`/`max`. */
export const DUE_DATE_MIN = '1900-01-01';
export const DUE_DATE_MAX = '9999-12-31';

/**
 * A date a person may set as a due date: a calendar date in the years 1900–9999 (year 0000
 * or 0042 is a typo, not a deadline). Input schemas only, like the text rules (text.ts): a
 * row stored with an older year still reads. A pattern, not a refinement, so the OpenAPI says it.
 */
export const dueDateSchema = /* @__PURE__ */ z.iso
  .date({ error: notADate })
  .check(z.regex(/^(?:19|[2-9]\d)\d\d-/, { message: DUE_DATE_MESSAGE }));

/** Fields every synced row carries; written by the server, never by a client mutation. */
export const rowMetaShape = {
  id: entityIdSchema,
  orgId: orgIdSchema,
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
  /** Per-org change-log sequence of the row's last change; `If-Match` compares against it. */
  version: z.number().check(z.int(), z.nonnegative()),
};

/** Every kind of entity the server knows; the sets below are its subsets. */
export const entityKindSchema = z.enum(['user', 'project', 'task', 'activity', 'shared-resource']);
export type EntityKind = z.infer<typeof entityKindSchema>;

/** Entities clients may write through sync mutations. */
export const writableEntitySchema = z.enum(['project', 'task']);
export type WritableEntity = z.infer<typeof writableEntitySchema>;

/** Entities with rows the server stores and REST reads and writes. */
export const rowEntitySchema = z.enum(['user', 'project', 'task']);
export type RowEntity = z.infer<typeof rowEntitySchema>;

/** Everything that travels in the change log. */
export const syncedEntitySchema = z.enum(['user', 'project', 'task', 'activity']);
export type SyncedEntity = z.infer<typeof syncedEntitySchema>;

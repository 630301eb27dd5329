import { z } from '../schema.js';
import { entityIdSchema, mutationIdSchema } from '../ids.js';
import { hlcStringSchema } from '../hlc.js';
import { projectRowFieldsSchema } from '../entities/project.js';
import { taskRowFieldsSchema } from '../entities/task.js';

const meta = {
  /** Per-client mutation id: 1, 2, 3 … with no gaps. */
  id: mutationIdSchema,
  /** When the client made the change; the clock of every field it writes. */
  hlc: hlcStringSchema,
  entityId: entityIdSchema,
};

const fieldClock = z.optional(z.nullable(hlcStringSchema));

/**
 * The field clocks the writer's replica held when it wrote (for conflict reporting), keyed by
 * the entity's writable fields only: any other key is refused where it is, as in `fields`.
 */
function baseSchema<F extends z.ZodMiniObject>(fields: F) {
  const shape = Object.fromEntries(Object.keys(fields.shape).map((k) => [k, fieldClock]));
  return z.strictObject(shape as { [K in keyof F['shape']]: typeof fieldClock });
}

/**
 * `base` is the clock of each field the mutation writes, as the writer saw it: a clock for a
 * field it does not write says nothing the server could use, and is refused at its key.
 */
function baseOnlyWritten(
  m: { fields: object; base?: object | undefined },
  ctx: { issues: z.core.$ZodRawIssue[]; value: unknown },
): void {
  if (!m.base) return;
  for (const key of Object.keys(m.base)) {
    if (Object.hasOwn(m.fields, key)) continue;
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      path: ['base', key],
      message: `not written by this mutation: base holds clocks only for the fields in \`fields\``,
    });
  }
}

function mutationsFor<E extends string, F extends z.ZodMiniObject>(entity: E, fields: F) {
  return [
    z.strictObject({ type: z.literal(`${entity}.create` as `${E}.create`), ...meta, fields }),
    z
      .strictObject({
        type: z.literal(`${entity}.update` as `${E}.update`),
        ...meta,
        fields: z.partial(fields).check(
          z.refine((f) => Object.keys(f).length > 0, {
            message: 'an update must change at least one field',
          }),
        ),
        base: z.optional(baseSchema(fields)),
      })
      .check(z.superRefine(baseOnlyWritten)),
    z.strictObject({ type: z.literal(`${entity}.delete` as `${E}.delete`), ...meta }),
  ] as const;
}

// Pure: the spreads would otherwise keep every mutation schema in bundles that use none.
export const mutationSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion('type', [
    // Fields as rows hold them: the server checks the text rules per mutation (project.ts).
    ...mutationsFor('project', projectRowFieldsSchema),
    ...mutationsFor('task', taskRowFieldsSchema),
  ]))();
export type Mutation = z.infer<typeof mutationSchema>;
export type MutationType = Mutation['type'];

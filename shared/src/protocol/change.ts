import { z } from '../schema.js';
import { hlcStringSchema } from '../hlc.js';
import { activitySchema } from '../entities/activity.js';
import { projectSchema } from '../entities/project.js';
import { taskSchema } from '../entities/task.js';
import { userSchema } from '../entities/user.js';

const changeMeta = {
  /** Position in the org's change log: strictly increasing, assigned in the write transaction. */
  seq: z.number().check(z.int(), z.positive()),
  entityId: z.string().check(z.minLength(1)),
  /** Per-field clocks of the row after this change (empty for server-only entities). */
  clocks: z.record(z.string(), hlcStringSchema),
  /** Tombstone clock: set when the row is deleted. Deletes travel as tombstones. */
  deleted: z.nullable(hlcStringSchema),
};

/** One entry of the org's change log: the row's full state after a committed write. */
export const changeSchema = z.discriminatedUnion('entity', [
  z.strictObject({ entity: z.literal('project'), ...changeMeta, row: projectSchema }),
  z.strictObject({ entity: z.literal('task'), ...changeMeta, row: taskSchema }),
  z.strictObject({ entity: z.literal('user'), ...changeMeta, row: userSchema }),
  z.strictObject({ entity: z.literal('activity'), ...changeMeta, row: activitySchema }),
]);
export type Change = z.infer<typeof changeSchema>;

/**
 * The changes a poke carries (protocol ≥ 5), and a push answer's `echo` (protocol ≥ 7): every
 * log entry of `(from, cursor]`, as a pull from `from` would return them at that moment — so
 * only a client whose cursor is `from` may apply them, and then its cursor becomes the poke's
 * (the answer's) `cursor`. Anyone else pulls.
 */
export const pokeCarriedSchema = z.strictObject({
  from: z.number().check(z.int(), z.nonnegative()),
  changes: z.array(changeSchema),
  /** The activity window's floor after these changes, as a pull page's `activityFloor`. */
  activityFloor: z.number().check(z.int(), z.nonnegative()),
});
export type PokeCarried = z.infer<typeof pokeCarriedSchema>;

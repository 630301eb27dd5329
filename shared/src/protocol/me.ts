import { z } from '../schema.js';
import { orgIdSchema } from '../ids.js';
import { roleSchema, userSchema } from '../entities/user.js';

/** What the server lets a role reach beyond the org's own data. */
export const serverAccessSchema = z.strictObject({
  /** May read the shared-resources library (`/api/v1/external-data/*`). */
  externalData: z.boolean(),
});
export type ServerAccess = z.infer<typeof serverAccessSchema>;

/**
 * `GET /api/v1/me`: who a session token belongs to, and what this server lets them reach beyond
 * the org's own data. The app offers only what `access` allows: the server's configuration
 * (e.g. `EXTERNAL_DATA_ROLES`) decides, not a copy of its defaults.
 */
export const meResponseSchema = z.strictObject({
  user: userSchema,
  org: z.strictObject({ id: orgIdSchema, personal: z.boolean() }),
  role: roleSchema,
  access: serverAccessSchema,
});
export type MeResponse = z.infer<typeof meResponseSchema>;

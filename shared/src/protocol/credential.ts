import { z } from '../schema.js';
import { clientIdSchema } from '../ids.js';
import { isoDateTimeSchema } from '../entities/common.js';

/**
 * A device-scoped sync credential: lets the service worker push this client's queued
 * mutations after the session token has expired. Push only, revocable, bound to one
 * (user, org, client id).
 */
export const syncCredentialRequestSchema = z.strictObject({ clientId: clientIdSchema });
export type SyncCredentialRequest = z.infer<typeof syncCredentialRequestSchema>;

export const syncCredentialSchema = z.strictObject({
  id: z.string(),
  /** Secret: send as `Authorization: Bearer <credential>` on push. Shown once. */
  credential: z.string().check(z.regex(/^osc_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)),
  clientId: clientIdSchema,
  expiresAt: isoDateTimeSchema,
});
export type SyncCredential = z.infer<typeof syncCredentialSchema>;

import type { Actor } from '../engine/types.js';

/**
 * What `app.resolveActor` returns: an `Actor` plus when its authority ends, so long-lived
 * connections (the WebSocket) can close at token expiry. Assignable to `Actor`.
 */
export interface AuthenticatedActor extends Actor {
  /** Epoch ms: the session token's `exp`, or the sync credential's expiry. */
  expiresAt: number;
  /** Set when `via === 'sync-credential'`. */
  credentialId: string | null;
}

/**
 * How a dev sign-in's user id (`devSubject`) begins. Never a Clerk user id (those are `user_`
 * and base62, no second underscore): a member whose id has it has no identity-provider id yet.
 */
export const DEV_SUBJECT_PREFIX = 'user_dev_';

/** Dev-mode issuer and authorized party of locally signed tokens. */
export const DEV_ISSUER = 'urn:outpost:dev';
export const DEV_AZP = 'urn:outpost:dev-client';
/** Dev tokens live an hour (Clerk's live ~60 s; the dev client simply asks again). */
export const DEV_TOKEN_TTL_SECONDS = 3600;

import { createClerkClient } from '@clerk/fastify';
import { AppError } from '../errors.js';
import type { Identity } from '../engine/types.js';
import type { ClerkVerification } from './clerk-options.js';
import { identityFromClaims, sessionClaimsSchema } from './session-token.js';

export type VerifiedIdentity = Identity & { expiresAt: number };
/** Verifies a session token (an HTTP request's bearer, the socket's hello/auth, the dev-token round trip). */
export type TokenVerifier = (token: string) => Promise<VerifiedIdentity>;

/** The part of Clerk's auth object we read (`requestState.toAuth()`). */
interface ClerkAuthLike {
  userId: string | null;
  sessionClaims: unknown;
  debug?: () => Record<string, unknown>;
}

/**
 * Clerk's signed-out reason, as specific as it gets: an expired header token reports
 * `session-token-expired-refresh-…` while its message carries `(reason=token-expired, …)`.
 */
function signedOutReason(auth: ClerkAuthLike): { reason: string; message: string } {
  const debug = auth.debug?.() ?? {};
  const message = typeof debug['message'] === 'string' ? debug['message'] : '';
  const inner = /\(reason=([a-z0-9-]+)/.exec(message)?.[1];
  const outer = typeof debug['reason'] === 'string' ? debug['reason'] : undefined;
  return {
    reason: inner ?? outer ?? 'token-invalid',
    message: message.replace(/\s*\(reason=[^)]*\)\s*$/, '') || 'the token was not accepted',
  };
}

/** The identity of a Clerk auth object; 401 with Clerk's reason when it is signed out. */
export function identityFromAuth(auth: ClerkAuthLike): VerifiedIdentity {
  if (auth.userId === null) {
    const { reason, message } = signedOutReason(auth);
    throw new AppError('UNAUTHENTICATED', `Invalid session token: ${message}`, { reason });
  }
  const claims = sessionClaimsSchema.safeParse(auth.sessionClaims);
  if (!claims.success) {
    throw new AppError('UNAUTHENTICATED', 'Invalid session token: unexpected claims', {
      reason: 'token-claims-invalid',
    });
  }
  try {
    return identityFromClaims(claims.data);
  } catch {
    throw new AppError('UNAUTHENTICATED', 'Invalid session token: the org id is not usable', {
      reason: 'token-org-invalid',
    });
  }
}

/** Verified tokens remembered at most (a socket re-sends its token about twice a minute). */
const VERIFIED_MAX = 1_000;

/**
 * Every session token (an HTTP request's bearer, a socket's hello or auth) goes through the call
 * `@clerk/fastify`'s `clerkPlugin` would make per request — `authenticateRequest` with the same
 * options — on a synthetic request that carries the token as its bearer header. No network:
 * `jwtKey` is set.
 *
 * A token that passed is remembered until it expires: its verification cannot change (the same
 * signature, claims and parties), and a client presents the same token with every push — each
 * verification cost ~6 ms of the push's path at load 21–25, and the plugin's per-request
 * context (a SHA-1 of the publishable key, through the thread pool) ~7 % of a batched push's
 * server CPU. Membership and role are still read for every request by the caller.
 */
export function createTokenVerifier(
  v: ClerkVerification,
  now: () => number = Date.now,
): TokenVerifier {
  const clerk = createClerkClient({
    jwtKey: v.jwtKey,
    secretKey: v.secretKey,
    publishableKey: v.publishableKey,
    telemetry: { disabled: true },
  });
  const verified = new Map<string, VerifiedIdentity>();
  return async (token) => {
    const known = verified.get(token);
    if (known && known.expiresAt > now()) return known;
    verified.delete(token);
    const state = await clerk.authenticateRequest(
      new Request('http://outpost.invalid/', { headers: { authorization: `Bearer ${token}` } }),
      {
        jwtKey: v.jwtKey,
        secretKey: v.secretKey,
        publishableKey: v.publishableKey,
        issuer: v.issuer,
        authorizedParties: v.authorizedParties,
      },
    );
    // A handshake state has no auth object (never for a header token; kept total anyway).
    const auth = (state.toAuth() as ClerkAuthLike | null) ?? {
      userId: null,
      sessionClaims: null,
      debug: () => ({ reason: state.reason, message: state.message }),
    };
    const identity = identityFromAuth(auth);
    // The oldest goes first (a Map iterates in insertion order).
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, identity);
    return identity;
  };
}

import { verifyToken } from '@clerk/backend';
import { AppError } from '../errors.js';
import type { Identity } from '../engine/types.js';
import { identityFromClaims, sessionClaimsSchema } from './session-token.js';

export interface VerifierOptions {
  /** PEM public key: CLERK_JWT_KEY in clerk mode, the generated dev key in dev mode. */
  jwtKey: string;
  issuer: string | undefined;
  /** Empty → the azp claim is not checked (Clerk's own behaviour). */
  authorizedParties: string[];
}

export type VerifiedIdentity = Identity & { expiresAt: number };
export type TokenVerifier = (token: string) => Promise<VerifiedIdentity>;

/**
 * One verification path for both modes: `@clerk/backend`'s networkless `verifyToken` with a
 * PEM key (signature, exp/nbf/iat with Clerk's 5 s skew, azp, iss), then the claims we need.
 */
export function createTokenVerifier(opts: VerifierOptions): TokenVerifier {
  return async (token) => {
    let payload: unknown;
    try {
      payload = await verifyToken(token, {
        jwtKey: opts.jwtKey,
        authorizedParties: opts.authorizedParties,
        ...(opts.issuer ? { issuer: opts.issuer } : {}),
      });
    } catch (err) {
      const reason = (err as { reason?: unknown }).reason;
      throw new AppError('UNAUTHENTICATED', `Invalid session token: ${(err as Error).message}`, {
        reason: typeof reason === 'string' ? reason : 'token-invalid',
      });
    }
    const claims = sessionClaimsSchema.safeParse(payload);
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
  };
}

import { generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Role, User } from '@outpost/shared';
import { signSessionToken } from '../../src/auth/session-token.js';

export interface DevTokenInput {
  email: string;
  name?: string;
  orgId?: string;
  role?: Role;
}

/** Signs in through `POST /api/v1/auth/dev-token` (dev mode) and returns the token and user. */
export async function devToken(
  app: FastifyInstance,
  input: DevTokenInput,
): Promise<{ token: string; user: User; expiresAt: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/dev-token',
    payload: { name: input.name ?? input.email.split('@')[0], ...input },
  });
  if (res.statusCode !== 200) throw new Error(`dev-token failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A fresh RS256 key pair in the PEM shapes Clerk uses (CLERK_JWT_KEY is the public SPKI PEM). */
export function generateClerkKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export interface ClerkClaims {
  sub: string;
  iss: string;
  azp: string;
  email?: string;
  name?: string;
  /** Active org; omit for a personal workspace. */
  o?: { id: string; rol: string; slg: string };
  /** Token lifetime relative to now; negative makes an expired token. */
  ttlSeconds?: number;
  /** Any claim to add or override (e.g. a bad `exp`). */
  extra?: Record<string, unknown>;
}

/** Signs a Clerk-shaped session token with `privateKeyPem`, as Clerk's Frontend API would. */
export function signClerkToken(privateKeyPem: string, claims: ClerkClaims): Promise<string> {
  const ttl = claims.ttlSeconds ?? 60;
  const now = Math.floor(Date.now() / 1000);
  // An expired token is issued in the past so its iat/nbf stay consistent.
  const issuedAt = ttl > 0 ? now : now + ttl - 60;
  return signSessionToken({
    privateKeyPem,
    kid: 'ins_test',
    issuer: claims.iss,
    azp: claims.azp,
    sub: claims.sub,
    email: claims.email ?? `${claims.sub}@example.com`,
    name: claims.name ?? claims.sub,
    org: claims.o,
    now: issuedAt,
    ttlSeconds: ttl > 0 ? ttl : 60,
    extra: claims.extra,
  });
}

/** A publishable key for the instance whose Frontend API is `issuer` (as Clerk encodes it). */
export function publishableKeyFor(issuer: string): string {
  return `pk_test_${Buffer.from(`${new URL(issuer).host}$`).toString('base64')}`;
}

/** The environment of a clerk-mode server for this key pair (issuer derived from the publishable key). */
export function clerkEnv(
  keys: { publicKeyPem: string },
  issuer: string,
  authorizedParties: string,
): Record<string, string> {
  return {
    CLERK_JWT_KEY: keys.publicKeyPem,
    CLERK_SECRET_KEY: 'sk_test_networkless',
    CLERK_PUBLISHABLE_KEY: publishableKeyFor(issuer),
    CLERK_AUTHORIZED_PARTIES: authorizedParties,
  };
}

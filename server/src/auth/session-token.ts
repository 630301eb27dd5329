import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import {
  emailKey,
  orgIdSchema,
  PERSONAL_ORG_PREFIX,
  roleFromProvider,
  type OrgId,
} from '@outpost/shared';
import type { Identity } from '../engine/types.js';
import { DEV_SUBJECT_PREFIX } from './types.js';

/**
 * Claims of a Clerk session token (v2) as far as Outpost reads them. Clerk puts the active
 * org in `o` (`rol` without the `org:` prefix); `email` and `name` are custom session claims
 * (configure them in the Clerk dashboard; dev tokens always carry them).
 */
export const sessionClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  sid: z.string().optional(),
  exp: z.number(),
  o: z
    .object({ id: z.string().min(1), rol: z.string().optional(), slg: z.string().optional() })
    .optional(),
  // v1 tokens carried the org flat; still accepted.
  org_id: z.string().min(1).optional(),
  org_role: z.string().optional(),
  email: z.string().optional(),
  /** Custom claim `{{user.email_verified}}`: whether Clerk verified `email` (README, step 3). */
  email_verified: z.unknown().optional(),
  name: z.string().optional(),
});
export type SessionClaims = z.infer<typeof sessionClaimsSchema>;

/** Clerk's org role as ours (one mapping, shared with the PWA). */
export const mapRole = roleFromProvider;

/** A user without an active org works in their own personal org (an org of one). */
export function personalOrgId(sub: string): OrgId {
  const readable = `${PERSONAL_ORG_PREFIX}${sub}`;
  const id = /^[A-Za-z0-9_-]{1,128}$/.test(readable)
    ? readable
    : `${PERSONAL_ORG_PREFIX}${createHash('sha256').update(sub).digest('hex').slice(0, 40)}`;
  return orgIdSchema.parse(id);
}

const emailSchema = z.email().max(320);

/** The identity a verified token speaks for. Throws (zod) when the org id is unusable. */
export function identityFromClaims(claims: SessionClaims): Identity & { expiresAt: number } {
  const orgClaim = claims.o?.id ?? claims.org_id;
  const orgId = orgClaim === undefined ? personalOrgId(claims.sub) : orgIdSchema.parse(orgClaim);
  // Your personal org is yours: you administer it.
  const role = orgClaim === undefined ? 'admin' : mapRole(claims.o?.rol ?? claims.org_role);
  const email = emailSchema.safeParse(claims.email);
  const name = claims.name?.trim();
  const unasserted = [
    ...(email.success ? [] : ['email' as const]),
    ...(name ? [] : ['name' as const]),
  ];
  return {
    externalId: claims.sub,
    ...(unasserted.length > 0 ? { unasserted } : {}),
    // Only a boolean true (a JWT template renders the shortcode as one); "true" is not.
    ...(email.success && claims.email_verified === true ? { emailVerified: true } : {}),
    // Without the custom claims we still need a syntactically valid, clearly fake address.
    email: email.success
      ? email.data
      : `${claims.sub.replace(/[^A-Za-z0-9._-]/g, '_')}@users.invalid`,
    // Made to follow the text rules when the profile is read (identityProfile), never refused.
    name: name || claims.sub,
    orgId,
    role,
    expiresAt: claims.exp * 1000,
  };
}

export interface SignSessionTokenInput {
  privateKeyPem: string;
  kid: string;
  issuer: string;
  azp: string;
  sub: string;
  email: string;
  name: string;
  /** Omitted → personal org. */
  org?: { id: string; rol: string; slg: string } | undefined;
  /** Seconds since the epoch. */
  now: number;
  ttlSeconds: number;
  /** Extra/overriding claims (tests forge bad tokens with these). */
  extra?: Record<string, unknown>;
}

/** Signs a Clerk-shaped RS256 session token (the shape `@clerk/backend` verifies). */
export async function signSessionToken(input: SignSessionTokenInput): Promise<string> {
  const payload: Record<string, unknown> = {
    sub: input.sub,
    sid: `sess_${randomBytes(12).toString('hex')}`,
    iss: input.issuer,
    azp: input.azp,
    iat: input.now,
    nbf: input.now - 5,
    exp: input.now + input.ttlSeconds,
    v: 2,
    email: input.email,
    name: input.name,
    ...(input.org ? { o: input.org } : {}),
    ...input.extra,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: input.kid })
    .sign(createPrivateKey(input.privateKeyPem));
}

/** Dev sign-in is by email: the same email is always the same dev user. */
export function devSubject(email: string): string {
  return `${DEV_SUBJECT_PREFIX}${createHash('sha256').update(emailKey(email)).digest('hex').slice(0, 24)}`;
}

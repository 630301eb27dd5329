import type { Config } from '../config.js';
import { DEV_AZP, DEV_ISSUER } from './types.js';

/**
 * What `@clerk/fastify`'s `authenticateRequest` needs to verify session tokens networklessly: the PEM
 * key (`jwtKey`), any non-empty secret key and a well-formed publishable key (it refuses to
 * start without them, even though neither is sent anywhere when `jwtKey` is set).
 */
export interface ClerkVerification {
  jwtKey: string;
  secretKey: string;
  publishableKey: string;
  /** Expected `iss`. */
  issuer: string;
  /** Allowed `azp` values; empty → not checked (Clerk's own behaviour). */
  authorizedParties: string[];
}

const PUBLISHABLE_KEY = /^pk_(test|live)_([A-Za-z0-9+/=_-]+)$/;

/** The Frontend API host a publishable key encodes (`pk_<env>_` + base64 of `"<host>$"`), or null. */
export function frontendApiOf(publishableKey: string): string | null {
  const m = PUBLISHABLE_KEY.exec(publishableKey.trim());
  if (!m) return null;
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  if (!decoded.endsWith('$')) return null;
  const host = decoded.slice(0, -1);
  return /^[A-Za-z0-9.-]+(:\d+)?$/.test(host) ? host : null;
}

/** Clerk session tokens are issued by the instance's Frontend API. */
export function issuerOf(publishableKey: string): string | null {
  const host = frontendApiOf(publishableKey);
  return host ? `https://${host}` : null;
}

/**
 * Dev mode feeds the same plugin: the generated dev public key is the `jwtKey`, and the
 * secret and publishable keys are fixed placeholders. The publishable key is a `pk_live_` one
 * so the plugin never attempts a development-instance ("dev browser") handshake; it names a
 * `.invalid` host, so nothing could ever be sent to it.
 */
export const DEV_PUBLISHABLE_KEY = `pk_live_${Buffer.from('dev.outpost.invalid$').toString('base64')}`;
export const DEV_SECRET_KEY = 'sk_live_outpost_dev_networkless';

export function devClerkVerification(devPublicKeyPem: string): ClerkVerification {
  return {
    jwtKey: devPublicKeyPem,
    secretKey: DEV_SECRET_KEY,
    publishableKey: DEV_PUBLISHABLE_KEY,
    issuer: DEV_ISSUER,
    authorizedParties: [DEV_AZP],
  };
}

/** Clerk mode: everything from the (already validated) configuration. */
export function clerkModeVerification(config: Config): ClerkVerification {
  const { CLERK_JWT_KEY, CLERK_SECRET_KEY, CLERK_PUBLISHABLE_KEY } = config;
  if (!CLERK_JWT_KEY || !CLERK_SECRET_KEY || !CLERK_PUBLISHABLE_KEY) {
    throw new Error(
      'AUTH_MODE=clerk needs CLERK_JWT_KEY, CLERK_SECRET_KEY and CLERK_PUBLISHABLE_KEY',
    );
  }
  const issuer = config.CLERK_ISSUER ?? issuerOf(CLERK_PUBLISHABLE_KEY);
  if (!issuer) throw new Error('CLERK_PUBLISHABLE_KEY is not a Clerk publishable key');
  return {
    // .env files often carry the PEM on one line with literal \n.
    jwtKey: CLERK_JWT_KEY.replace(/\\n/g, '\n'),
    secretKey: CLERK_SECRET_KEY,
    publishableKey: CLERK_PUBLISHABLE_KEY,
    issuer,
    authorizedParties: config.CLERK_AUTHORIZED_PARTIES ?? [],
  };
}

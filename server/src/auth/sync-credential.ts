import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Device sync credentials look like `osc_<id>.<secret>`. Only sha256(secret) is stored; the id
 * finds the row, the hash comparison is constant-time.
 */
export const SYNC_CREDENTIAL_PREFIX = 'osc_';
export const SYNC_CREDENTIAL_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface MintedCredential {
  id: string;
  secretHash: string;
  credential: string;
}

export function mintSyncCredential(): MintedCredential {
  const id = randomBytes(12).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return {
    id,
    secretHash: hashSecret(secret),
    credential: `${SYNC_CREDENTIAL_PREFIX}${id}.${secret}`,
  };
}

export function isSyncCredential(token: string): boolean {
  return token.startsWith(SYNC_CREDENTIAL_PREFIX);
}

export function parseSyncCredential(token: string): { id: string; secret: string } | null {
  const m = /^osc_([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,128})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

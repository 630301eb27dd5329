import { z } from 'zod';

const claimsSchema = z.object({ exp: z.number().finite().positive() });

/**
 * When a JWT-shaped token expires, in epoch ms, or null for tokens that are not JWTs (device
 * sync credentials) or carry no `exp`. The token has already been verified by
 * `app.resolveActor`; this reads the claim only to schedule the socket's expiry close.
 */
export function tokenExpiresAt(token: string): number | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const json: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    const parsed = claimsSchema.safeParse(json);
    return parsed.success ? parsed.data.exp * 1000 : null;
  } catch {
    return null;
  }
}

import { roleSchema, userSchema, type Role, type User } from '@outpost/shared';
import { z } from 'zod/mini';

/** `POST /api/v1/auth/dev-token` (dev/embedded mode only). */
export interface DevSignIn {
  email: string;
  name: string;
  orgId?: string;
  role?: Role;
}

const devTokenResponseSchema = z.object({
  token: z.string().check(z.minLength(1)),
  expiresAt: z.iso.datetime({ offset: true }),
  user: userSchema,
});
export type DevTokenResponse = z.infer<typeof devTokenResponseSchema>;

const errorBodySchema = z.object({ error: z.string(), code: z.optional(z.string()) });

export class AuthRequestError extends Error {
  override name = 'AuthRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export async function requestDevToken(
  input: DevSignIn,
  fetchFn: typeof fetch = fetch,
): Promise<DevTokenResponse> {
  let res: Response;
  try {
    res = await fetchFn('/api/v1/auth/dev-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
  } catch (cause) {
    throw new AuthRequestError('Cannot reach the server — check your connection.', 0, 'NETWORK', {
      cause,
    });
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = errorBodySchema.safeParse(body);
    throw new AuthRequestError(
      err.success ? err.data.error : `Sign-in failed (HTTP ${res.status})`,
      res.status,
      err.success ? err.data.code : undefined,
    );
  }
  return devTokenResponseSchema.parse(body);
}

/**
 * A token source for one dev identity: reuses the short-lived token until shortly before it
 * expires, then asks for a new one (the dev server gets-or-creates the same user).
 */
export function devTokenSource(
  user: User,
  opts: { fetch?: typeof fetch; now?: () => number; initial?: DevTokenResponse } = {},
) {
  const now = opts.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | null = opts.initial
    ? { token: opts.initial.token, expiresAt: Date.parse(opts.initial.expiresAt) }
    : null;
  let inflight: Promise<string> | null = null;
  return async function getToken(): Promise<string> {
    if (cached && cached.expiresAt - now() > 10_000) return cached.token;
    inflight ??= requestDevToken(
      { email: user.email, name: user.name, orgId: user.orgId, role: roleSchema.parse(user.role) },
      opts.fetch,
    )
      .then((r) => {
        cached = { token: r.token, expiresAt: Date.parse(r.expiresAt) };
        return r.token;
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };
}

import { createOutpostClient } from '@outpost/api-client';
import { userSchema, type OrgId, type Role, type User } from '@outpost/shared';

export interface SignedIn {
  user: User;
  /** A valid session token and whose it is (what `createHttpTransport` asks for). */
  getToken(): Promise<{ token: string; userId: string }>;
}

/**
 * Signs in through the server's dev auth (`POST /api/v1/auth/dev-token`, AUTH_MODE=dev only),
 * with the generated REST client. The token is fetched again a minute before it expires —
 * with Clerk, `session.getToken()` plays this part.
 */
export async function signIn(
  baseUrl: string,
  input: { email: string; name: string; orgId: OrgId; role: Role },
): Promise<SignedIn> {
  const api = createOutpostClient({ baseUrl });
  let current: { token: string; expiresAt: number; user: User } | null = null;
  const refresh = async () => {
    const { data, error, response } = await api.POST('/api/v1/auth/dev-token', { body: input });
    if (!data)
      throw new Error(
        `dev sign-in failed: HTTP ${response.status} ${error?.code ?? ''} ${error?.error ?? ''} (is the server in dev auth mode?)`,
      );
    current = {
      token: data.token,
      expiresAt: Date.parse(data.expiresAt),
      user: userSchema.parse(data.user),
    };
    return current;
  };
  const first = await refresh();
  return {
    user: first.user,
    async getToken() {
      const c = current && current.expiresAt - Date.now() > 60_000 ? current : await refresh();
      return { token: c.token, userId: c.user.id };
    },
  };
}

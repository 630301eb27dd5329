import { ClerkProvider, SignIn, useAuth } from '@clerk/clerk-react';
import { userSchema } from '@outpost/shared';
import { useEffect, useState, type ReactNode } from 'react';
import type { Accounts } from './accounts';
import type { Session } from './session';

/**
 * Clerk sign-in, loaded as its own chunk only when VITE_CLERK_PUBLISHABLE_KEY is set. Our user
 * row (id, org, role) comes from `GET /api/v1/me` with the Clerk session token.
 */
export default function ClerkAuth(props: {
  publishableKey: string;
  accounts: Accounts;
  children: (session: Session) => ReactNode;
}) {
  return (
    <ClerkProvider publishableKey={props.publishableKey}>
      <ClerkSession accounts={props.accounts}>{props.children}</ClerkSession>
    </ClerkProvider>
  );
}

function ClerkSession({
  accounts,
  children,
}: {
  accounts: Accounts;
  children: (session: Session) => ReactNode;
}) {
  const { isLoaded, isSignedIn, getToken, orgId } = useAuth();
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!isLoaded || !isSignedIn) return;
    let cancelled = false;
    const token = async () => {
      const t = await getToken();
      if (!t) throw new Error('Clerk returned no session token');
      return t;
    };
    (async () => {
      const res = await fetch('/api/v1/me', {
        headers: { authorization: `Bearer ${await token()}` },
      });
      if (!res.ok) throw new Error(`Could not load your profile (HTTP ${res.status})`);
      const body = (await res.json()) as { user?: unknown };
      const user = userSchema.parse(body.user ?? body);
      accounts.signedIn(user, 'clerk');
      if (!cancelled) setSession({ user, mode: 'clerk', getToken: token });
    })().catch((err: unknown) => {
      if (!cancelled) setError(err instanceof Error ? err.message : String(err));
    });
    return () => {
      cancelled = true;
    };
  }, [isLoaded, isSignedIn, orgId, getToken, accounts]);

  // Offline start: Clerk cannot load without a network, but the last identity still works.
  const last = accounts.current();
  if (!isLoaded && last?.mode === 'clerk') {
    return children({
      user: last.user,
      mode: 'clerk',
      getToken: () => Promise.reject(new Error('Signing in…')),
    });
  }
  if (!isLoaded) return <p role="status">Loading sign-in…</p>;
  if (!isSignedIn) {
    return (
      <main className="center">
        {/* Virtual routing: the app already owns the URL hash for its own routes. */}
        <SignIn routing="virtual" />
      </main>
    );
  }
  if (error) return <p role="alert">{error}</p>;
  if (!session) return <p role="status">Signing in…</p>;
  return children(session);
}

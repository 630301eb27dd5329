import { lazy, Suspense, useState, useSyncExternalStore } from 'react';
import type { Accounts } from './app/auth/accounts';
import { devTokenSource, type DevTokenResponse } from './app/auth/dev-auth';
import { DevSignIn } from './app/auth/DevSignIn';
import type { Session } from './app/auth/session';
import type { InstallPrompt } from './app/pwa/install-prompt';
import type { Pwa } from './app/pwa/service-worker';
import { UpdateBanner } from './app/pwa/UpdateBanner';
import { Workspace } from './app/shell/Workspace';
import { ErrorBoundary } from './app/ui/ErrorBoundary';

// Clerk is a large SDK: its chunk is fetched only when a publishable key is configured.
const ClerkAuth = lazy(() => import('./app/auth/ClerkAuth'));
const clerkKey = import.meta.env.VITE_CLERK_PUBLISHABLE_KEY;

export interface AppServices {
  accounts: Accounts;
  pwa: Pwa;
  install: InstallPrompt;
}

/** Token sources outlive re-renders; one per user, seeded with the token sign-in just got. */
const tokenSources = new Map<string, () => Promise<string>>();

export function App(services: AppServices) {
  const { accounts, pwa } = services;
  useSyncExternalStore(accounts.subscribe, accounts.getSnapshot);
  const current = accounts.current();
  const [joining, setJoining] = useState<{ email: string; name: string } | null>(null);

  const workspace = (session: Session) => (
    <Workspace
      key={session.user.id}
      session={session}
      services={services}
      onJoinOrg={() => setJoining({ email: session.user.email, name: session.user.name })}
    />
  );

  let body;
  if (clerkKey) {
    body = (
      <Suspense fallback={<p role="status">Loading sign-in…</p>}>
        <ClerkAuth publishableKey={clerkKey} accounts={accounts}>
          {workspace}
        </ClerkAuth>
      </Suspense>
    );
  } else if (!current || joining) {
    body = (
      <DevSignIn
        accounts={accounts}
        initial={joining ?? undefined}
        onCancel={joining ? () => setJoining(null) : undefined}
        onSignedIn={(res: DevTokenResponse) => {
          tokenSources.set(res.user.id, devTokenSource(res.user, { initial: res }));
          accounts.signedIn(res.user, 'dev');
          setJoining(null);
        }}
      />
    );
  } else {
    let getToken = tokenSources.get(current.user.id);
    if (!getToken) {
      getToken = devTokenSource(current.user);
      tokenSources.set(current.user.id, getToken);
    }
    body = workspace({ user: current.user, mode: 'dev', getToken });
  }

  return (
    <ErrorBoundary what="the app">
      <UpdateBanner pwa={pwa} />
      {body}
    </ErrorBoundary>
  );
}

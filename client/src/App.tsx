import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import type { Accounts } from './app/auth/accounts';
import { devTokenSource, type DevTokenResponse } from './app/auth/dev-auth';
import { DevSignIn } from './app/auth/DevSignIn';
import type { Session } from './app/auth/session';
import type { InstallPrompt } from './app/pwa/install-prompt';
import type { Pwa } from './app/pwa/service-worker';
import { UpdateBanner } from './app/pwa/UpdateBanner';
import { unsavedTexts, type UnsavedText } from './app/ui/drafts';
import { orgLabel } from './app/auth/token-org';
import type { LeftBehind } from './app/shell/LeftBehindNotice';
import { ErrorBoundary } from './app/ui/ErrorBoundary';
import { UnsavedOnSignOut } from './app/auth/UnsavedOnSignOut';
import { Skeleton } from './app/ui/Skeleton';
import { focusNextWorkspace } from './app/shell/workspace-focus';
import { navigate } from './app/shell/router';
import { loadWorkspace } from './app/shell/load-workspace';

// The workspace is its own chunk (`loadWorkspace`): a first visit paints the sign-in form without
// waiting for it, and the chunk is fetched and run while the person fills the form in
// (`usePrepareWorkspace`), so "Sign in" does not wait for it either. Signed in, it was asked for
// before the app's code ran (`early-workspace.ts`).
const Workspace = lazy(() => loadWorkspace().then((m) => ({ default: m.Workspace })));

/**
 * While a sign-in form shows, the workspace's chunk is loaded once the person starts on it (a
 * key, a tap, a field filled in). Not at first paint: that would compete with the form's own
 * loading, and a visitor who never signs in would pay for it.
 */
function usePrepareWorkspace(signingIn: boolean): void {
  useEffect(() => {
    if (!signingIn) return;
    const events = ['keydown', 'pointerdown', 'input'] as const;
    const stop = () => events.forEach((e) => document.removeEventListener(e, start, true));
    function start() {
      stop();
      // Failing here (offline, a new deploy) changes nothing: the lazy import tries again.
      loadWorkspace().catch(() => undefined);
    }
    events.forEach((e) => document.addEventListener(e, start, true));
    return stop;
  }, [signingIn]);
}
// Clerk is a large SDK: its chunk exists only in builds configured with a publishable key
// (Vite inlines the variable, so without one this import is dead code and never emitted).
const clerkKey = import.meta.env.VITE_CLERK_PUBLISHABLE_KEY;
const ClerkAuth = clerkKey ? lazy(() => import('./app/auth/ClerkAuth')) : null;

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
  usePrepareWorkspace(!current);
  // "Join another organization…" replaces the workspace with the sign-in form: what its fields
  // held unsaved is taken as it opens, to show in the org joined or on coming back.
  const [joining, setJoining] = useState<{
    email: string;
    name: string;
    /** The account the form was opened from, and what its fields held. */
    userId: string;
    from: LeftBehind;
  } | null>(null);
  // Unsaved text taken when the join form opened is shown wherever the form leads: back to the
  // same workspace, or into the org joined or continued in.
  // Another account's workspace starts at its project list (the screen the form was opened on
  // belongs to the org left).
  const leaveJoin = (toUserId: string | undefined) => {
    if (!joining) return;
    const back = toUserId === joining.userId;
    if (joining.from.drafts.length > 0) setLeftBehind({ ...joining.from, back });
    if (!back) navigate({ name: 'projects' });
    setJoining(null);
  };
  // Signed out or switched to another org (here or in another tab) with text typed and not
  // saved: the workspace goes with its fields, so their text is shown to copy rather than
  // dropped — on the sign-in screen, or as a notice in the org switched to.
  const id = current?.user.id ?? null;
  const [last, setLast] = useState({ id, orgId: current?.user.orgId ?? null });
  const [dropped, setDropped] = useState<UnsavedText[]>([]);
  const [leftBehind, setLeftBehind] = useState<LeftBehind | null>(null);
  // Signed out (here or in another tab): the sign-in form says so until someone signs in. Not
  // kept: a reload shows the plain form.
  const [signedOut, setSignedOut] = useState(false);
  if (id !== last.id) {
    setLast({ id, orgId: current?.user.orgId ?? null });
    setSignedOut(id === null && last.id !== null);
    const texts = last.id === null ? [] : unsavedTexts();
    setDropped(id === null ? texts : []);
    // A notice not yet dismissed stays until something else was left behind.
    if (id !== null && last.orgId !== null && texts.length > 0)
      setLeftBehind({ from: orgLabel(last.orgId), drafts: texts });
    if (id === null) setLeftBehind(null);
  }

  const workspace = (session: Session) => (
    <Suspense fallback={<Skeleton label="Opening your workspace" rows={6} />}>
      <Workspace
        key={session.user.id}
        session={session}
        services={services}
        onJoinOrg={() =>
          setJoining({
            email: session.user.email,
            name: session.user.name,
            userId: session.user.id,
            from: { from: orgLabel(session.user.orgId), drafts: unsavedTexts() },
          })
        }
        leftBehind={leftBehind}
        onLeftBehindDone={() => setLeftBehind(null)}
      />
    </Suspense>
  );

  let body;
  if (clerkKey && ClerkAuth) {
    body = (
      <Suspense fallback={<p role="status">Loading sign-in…</p>}>
        <ClerkAuth publishableKey={clerkKey} accounts={accounts} signedOut={signedOut}>
          {workspace}
        </ClerkAuth>
      </Suspense>
    );
  } else if (!current || joining) {
    body = (
      <>
        <DevSignIn
          accounts={accounts}
          // The drafts' notice says it already ("You were signed out. What you had typed…").
          signedOut={!current && signedOut && dropped.length === 0}
          notice={
            !current && dropped.length > 0 ? (
              <UnsavedOnSignOut drafts={dropped} onDismiss={() => setDropped([])} />
            ) : undefined
          }
          initial={joining ? { email: joining.email, name: joining.name } : undefined}
          onClose={
            joining
              ? () => {
                  focusNextWorkspace('switcher');
                  leaveJoin(accounts.current()?.user.id);
                }
              : undefined
          }
          onSignedIn={(res: DevTokenResponse) => {
            // Signed in or joined: the workspace's first screen takes focus on its heading (the
            // Sign in button that had it is gone; focus fell to the page, and Tab began at the top).
            focusNextWorkspace('heading');
            tokenSources.set(res.user.id, devTokenSource(res.user, { initial: res }));
            leaveJoin(res.user.id);
            accounts.signedIn(res.user, 'dev');
          }}
        />
      </>
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

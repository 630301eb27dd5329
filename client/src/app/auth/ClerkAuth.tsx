import {
  ClerkProvider,
  OrganizationList,
  SignIn,
  useAuth,
  useClerk,
  useOrganizationList,
} from '@clerk/clerk-react';
import { roleFromProvider, userSchema } from '@outpost/shared';
import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Accounts } from './accounts';
import {
  IdentityProviderContext,
  PendingProviderContext,
  type IdentityProvider,
  type ProviderOrg,
  type ProviderSession,
} from './provider';
import type { Session } from './session';
import { tokenMatchesOrg } from './token-org';
import { focusNextWorkspace } from '../shell/workspace-focus';
import { forgetSignedOut, noteSignedOut, SignedOutNotice, wasSignedOut } from './SignedOutNotice';
import { UnsavedOnSignOut } from './UnsavedOnSignOut';
import { unsavedTexts, type UnsavedText } from '../ui/drafts';
import { DocumentTitle } from '../ui/use-document-title';

/**
 * Clerk sign-in, loaded as its own chunk only when VITE_CLERK_PUBLISHABLE_KEY is set. Our user
 * row (id, org, role) comes from `GET /api/v1/me` with the Clerk session token; Clerk owns the
 * session (sign-out) and the organizations (switcher, join, create).
 */
export default function ClerkAuth(props: {
  publishableKey: string;
  accounts: Accounts;
  /** Just signed out (here or in another tab): Clerk's sign-in screen says so. */
  signedOut?: boolean;
  children: (session: Session) => ReactNode;
}) {
  return (
    <ClerkProvider publishableKey={props.publishableKey}>
      <ClerkSession accounts={props.accounts} signedOut={props.signedOut}>
        {props.children}
      </ClerkSession>
    </ClerkProvider>
  );
}

/** Clerk's sign-out callback: in place of its after-sign-out navigation, nothing — we stay. */
function stayOnThisPage(): void {}

/**
 * Signed out of the device while Clerk could not load (an offline start): Clerk's session is
 * still on, and would sign the person straight back in. Noted on the device (surviving a
 * reload or a closed tab) until Clerk, loaded, has ended it.
 */
const SESSION_TO_END = 'outpost-clerk-session-to-end';

function sessionToEnd(): boolean {
  try {
    return localStorage.getItem(SESSION_TO_END) === '1';
  } catch {
    return false;
  }
}

function noteSessionToEnd(end: boolean): void {
  try {
    if (end) localStorage.setItem(SESSION_TO_END, '1');
    else localStorage.removeItem(SESSION_TO_END);
  } catch {
    // Storage refused: this page still ends it once Clerk loads (state below).
  }
}

export function ClerkSession({
  accounts,
  signedOut = false,
  children,
}: {
  accounts: Accounts;
  signedOut?: boolean;
  children: (session: Session) => ReactNode;
}) {
  const { isLoaded, isSignedIn, getToken, orgId } = useAuth();
  const clerk = useClerk();
  const orgList = useOrganizationList({ userMemberships: { infinite: true } });
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [joining, setJoining] = useState(false);
  // The device's accounts, as dev mode follows them: the identity an offline start opens with,
  // and a sign-out made in another tab (below).
  useSyncExternalStore(accounts.subscribe, accounts.getSnapshot);
  const last = accounts.current();
  // A sign-out made before Clerk loaded ends Clerk's session as soon as it has (not signing in).
  const [toEnd, setToEnd] = useState(sessionToEnd);
  // Offline start: Clerk cannot load without a network, but the last identity still works.
  const offline = !isLoaded && last?.mode === 'clerk' && !toEnd;
  // Signed out in another tab: the device's copy is gone, and so is this tab's workspace, even
  // while Clerk (offline, or not loaded) still holds the session that tab is ending. Until Clerk
  // says it ended, nobody is signed back in here.
  const [leftElsewhere, setLeftElsewhere] = useState(false);
  const shown = session?.user.id ?? (offline ? last.user.id : null);
  useEffect(() => {
    if (shown === null) return;
    return accounts.onRemovedElsewhere((ids) => {
      if (!ids.includes(shown)) return;
      noteSignedOut();
      // That tab opened before Clerk loaded: it noted that Clerk's session is to end, and
      // this tab ends it too if Clerk loads here first.
      setToEnd(sessionToEnd());
      setLeftElsewhere(true);
    });
  }, [accounts, shown]);
  if (leftElsewhere && isLoaded && !isSignedIn) setLeftElsewhere(false);
  // Signed out (in another tab too) with text typed and not saved: the workspace goes with its
  // fields, so their text is shown to copy above Clerk's sign-in, as the dev form shows it — and
  // above "Your Clerk session ends…" after an offline start. Read while the workspace is still
  // mounted, in the render that replaces it.
  const inside =
    !leftElsewhere && ((isLoaded && isSignedIn === true && session !== null) || offline);
  const [wasInside, setWasInside] = useState(inside);
  const [dropped, setDropped] = useState<UnsavedText[]>([]);
  if (inside !== wasInside) {
    setWasInside(inside);
    setDropped(inside ? [] : unsavedTexts());
  }
  // Signed out, the page stays (see `signOut` below): whoever signs in next gets their own
  // workspace once the server says who they are, never the one just left.
  if ((leftElsewhere || (isLoaded && !isSignedIn)) && session !== null) setSession(null);

  const [endFailed, setEndFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!toEnd || !isLoaded) return;
    let cancelled = false;
    const ended = () => {
      noteSessionToEnd(false);
      if (!cancelled) setToEnd(false);
    };
    if (!isSignedIn) ended();
    else
      clerk.signOut(stayOnThisPage).then(ended, (err: unknown) => {
        // Still noted: the next page load tries again.
        if (!cancelled) setEndFailed(err instanceof Error ? err.message : String(err));
      });
    return () => {
      cancelled = true;
    };
  }, [toEnd, isLoaded, isSignedIn, clerk]);
  const endWhenLoaded = useMemo<ProviderSession>(
    () => ({
      signOut: () => {
        noteSignedOut();
        noteSessionToEnd(true);
        setToEnd(true);
        return Promise.resolve();
      },
    }),
    [],
  );

  useEffect(() => {
    if (!isLoaded || !isSignedIn || toEnd || leftElsewhere) return;
    let cancelled = false;
    // Clerk refreshes its token before it expires; asking each time always gets the current one.
    const current = async () => {
      const t = await getToken();
      if (!t) throw new Error('Clerk returned no session token');
      return t;
    };
    (async () => {
      const res = await fetch('/api/v1/me', {
        headers: { authorization: `Bearer ${await current()}` },
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
        throw new Error(
          typeof body?.error === 'string'
            ? body.error
            : `Could not load your profile (HTTP ${res.status})`,
        );
      }
      const body = (await res.json()) as { user?: unknown };
      const user = userSchema.parse(body.user ?? body);
      // Clerk's token follows its active org: while a switch is under way the old workspace
      // must not push its org's changes with the new org's token.
      const token = async () => {
        const t = await current();
        if (!tokenMatchesOrg(t, user.orgId)) throw new Error('Switching organization…');
        return t;
      };
      accounts.signedIn(user, 'clerk');
      forgetSignedOut();
      if (!cancelled) {
        setError(null);
        setJoining(false);
        setSession({ user, mode: 'clerk', getToken: token });
      }
    })().catch((err: unknown) => {
      if (!cancelled) setError(err instanceof Error ? err.message : String(err));
    });
    return () => {
      cancelled = true;
    };
  }, [isLoaded, isSignedIn, toEnd, leftElsewhere, orgId, getToken, accounts]);

  const memberships = orgList.isLoaded ? orgList.userMemberships.data : undefined;
  const provider = useMemo<IdentityProvider>(
    () => ({
      organizations:
        memberships?.map((m): ProviderOrg => ({
          id: m.organization.id,
          name: m.organization.name,
          role: roleFromProvider(m.role),
        })) ?? null,
      switchOrg: (id) => clerk.setActive({ organization: id }),
      // Called once this device's copy is removed (`signOutOfDevice`). Left to itself Clerk
      // would then load its after-sign-out address, and the text typed and not saved (shown to
      // copy above the sign-in screen, never stored) would go with the page: its callback runs
      // in place of that navigation, so the page stays and Clerk reports the session ended.
      signOut: () => {
        noteSignedOut();
        return clerk.signOut(stayOnThisPage);
      },
      openJoin: () => setJoining(true),
    }),
    [memberships, clerk],
  );

  // Signed out: what was typed and not saved to copy (it says the sign-out already), or that.
  const signedOutNotice =
    dropped.length > 0 ? (
      <UnsavedOnSignOut drafts={dropped} onDismiss={() => setDropped([])} />
    ) : (
      <SignedOutNotice />
    );
  if (offline && !leftElsewhere) {
    return (
      // Its sign-out ends Clerk's session once Clerk has loaded (see `toEnd`).
      <PendingProviderContext.Provider value={endWhenLoaded}>
        {children({
          user: last.user,
          mode: 'clerk',
          getToken: () => Promise.reject(new Error('Signing in…')),
        })}
      </PendingProviderContext.Provider>
    );
  }
  if (toEnd) {
    return (
      <main className="center stack">
        {signedOutNotice}
        {endFailed ? (
          <p role="alert" className="notice bad">
            Your Clerk session could not be ended yet ({endFailed}): reload this page to try again.
            Until it ends, opening Outpost in this browser signs you back in.
          </p>
        ) : (
          <p role="status">
            {isLoaded
              ? 'Ending your Clerk session…'
              : 'Your Clerk session ends as soon as Clerk can be reached.'}
          </p>
        )}
      </main>
    );
  }
  if (leftElsewhere) {
    return (
      <main className="center stack">
        {signedOutNotice}
        <p role="status">
          Your Clerk session ends from the tab you signed out in, once Clerk can be reached there.
        </p>
      </main>
    );
  }
  if (!isLoaded) return <p role="status">Loading sign-in…</p>;
  if (!isSignedIn) {
    return (
      <main className="center stack">
        {dropped.length > 0 ? (
          // It says the sign-out already ("You were signed out. What you had typed…").
          <UnsavedOnSignOut drafts={dropped} onDismiss={() => setDropped([])} />
        ) : (
          (signedOut || wasSignedOut()) && <SignedOutNotice />
        )}
        <DocumentTitle title="Sign in" />
        {/* Virtual routing: the app already owns the URL hash for its own routes. */}
        <SignIn routing="virtual" />
      </main>
    );
  }
  if (joining) {
    return (
      <main className="center stack" aria-label="Join or create an organization">
        {/* Clerk's own list: pending invitations to accept, suggestions, and "Create". */}
        <OrganizationList
          hidePersonal={false}
          afterSelectOrganizationUrl="#/"
          afterSelectPersonalUrl="#/"
          afterCreateOrganizationUrl="#/"
        />
        <button
          type="button"
          onClick={() => {
            // Back where the user came from: the org switcher, not the page's top.
            focusNextWorkspace('switcher');
            setJoining(false);
          }}
        >
          Back to your workspace
        </button>
      </main>
    );
  }
  if (error) return <p role="alert">{error}</p>;
  if (!session) return <p role="status">Signing in…</p>;
  return (
    <IdentityProviderContext.Provider value={provider}>
      {children(session)}
    </IdentityProviderContext.Provider>
  );
}

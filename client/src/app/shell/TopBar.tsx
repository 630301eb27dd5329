import { useEffect, useRef, useSyncExternalStore, type Ref, type RefObject } from 'react';
import { isPersonalOrg } from '@outpost/shared';
import type { Accounts } from '../auth/accounts';
import { useIdentityProvider, type IdentityProvider } from '../auth/provider';
import { orgLabel } from '../auth/token-org';
import type { InstallPrompt } from '../pwa/install-prompt';
import { useEngine } from '../engine/context';
import { href, navigate } from './router';
import { focusNextWorkspace, takeWorkspaceFocus } from './workspace-focus';
import { initials } from '../ui/format';
import { MenuButton } from '../ui/MenuButton';
import { ROLE_LABEL } from '../ui/RoleOptions';

const JOIN = '__join__';
const PERSONAL = '__personal__';

interface Props {
  accounts: Accounts;
  install: InstallPrompt;
  onJoinOrg(): void;
  onSignOut(): void;
  /** The account button (its menu holds Sign out), for focus to come back to. */
  accountButtonRef?: Ref<HTMLButtonElement>;
  /** The search screen is open (its entry shows as current). */
  searching?: boolean;
}

export function TopBar({
  accounts,
  install,
  onJoinOrg,
  onSignOut,
  accountButtonRef,
  searching = false,
}: Props) {
  const { session } = useEngine();
  const provider = useIdentityProvider();
  const state = useSyncExternalStore(accounts.subscribe, accounts.getSnapshot);
  const installState = useSyncExternalStore(install.subscribe, install.getSnapshot);
  // The same person in other orgs on this device (each org is a separate identity and replica).
  const mine = state.accounts.filter((a) => a.user.email === session.user.email);
  // Back from "Join another organization…" (Escape, or Clerk's "Back to your workspace"):
  // focus returns to the switcher.
  const switcher = useRef<HTMLSelectElement>(null);
  const orgName =
    provider?.organizations?.find((o) => o.id === session.user.orgId)?.name ??
    orgLabel(session.user.orgId);
  useEffect(() => {
    if (takeWorkspaceFocus('switcher')) switcher.current?.focus();
  }, []);

  return (
    <header className="topbar">
      <a className="brand" href="#/">
        <img src="/icons/icon-192.png" alt="" width="28" height="28" />
        <h1>Outpost</h1>
      </a>
      {provider ? (
        <ProviderOrgSwitcher provider={provider} orgId={session.user.orgId} selectRef={switcher} />
      ) : (
        <select
          ref={switcher}
          aria-label="Organization"
          value={session.user.id}
          onChange={(e) => {
            const value = e.target.value;
            if (value !== JOIN) return openWorkspace(() => accounts.switchTo(value));
            // The screen stays where it is: backing out of the form comes back to it.
            onJoinOrg();
          }}
        >
          {/* The org's name alone: on a phone the closed select has room for little more (the
              role in it shows in the account menu). */}
          {mine.map((a) => (
            <option key={a.user.id} value={a.user.id}>
              {orgLabel(a.user.orgId)}
            </option>
          ))}
          <option value={JOIN}>Join another organization…</option>
        </select>
      )}
      <a
        className="search-entry"
        href={href({ name: 'search' })}
        aria-current={searching ? 'page' : undefined}
        aria-label="Search all tasks"
        title="Search all tasks (/)"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" width="18" height="18">
          <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M13 13l4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <span className="label">Search</span>
      </a>
      {installState.canInstall && (
        <button type="button" className="install" onClick={() => void install.install()}>
          {/* On a phone the icon alone, as Search: the words took the org switcher's room. */}
          <svg aria-hidden="true" viewBox="0 0 20 20" width="18" height="18">
            <path
              d="M10 3v9m-4-4 4 4 4-4M4 16h12"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span className="label">Install app</span>
        </button>
      )}
      {/* Who is signed in, and Sign out, in one compact menu (as Linear, Todoist, Things). */}
      <MenuButton
        className="account"
        label={`Account: ${session.user.name}`}
        buttonRef={accountButtonRef}
        heading={
          <>
            <span className="name">{session.user.name}</span>
            <span className="muted">{session.user.email}</span>
            <span className="muted">
              {ROLE_LABEL[session.user.role]} in {orgName}
            </span>
          </>
        }
        actions={[{ label: 'Sign out', run: onSignOut }]}
      >
        {/* An avatar, drawn from the initials (styles.css): a picture of the person, not the
            button's label, which is "Account: <name>" (a voice user says "click Account"). */}
        <span
          className="avatar medium"
          data-initials={initials(session.user.name, session.user.email)}
        />
      </MenuButton>
    </header>
  );
}

/**
 * Another org is another workspace, opened by both switchers (dev and Clerk) through here: it
 * starts at its project list, with focus on its heading — the switcher that had focus leaves
 * with the old workspace.
 */
function openWorkspace(open: () => unknown): void {
  navigate({ name: 'projects' });
  focusNextWorkspace('heading');
  void open();
}

/**
 * Clerk mode: the organizations are Clerk's. Switching makes one Clerk's active organization;
 * its tokens then speak for it and the workspace reopens as that org's member.
 */
function ProviderOrgSwitcher({
  provider,
  orgId,
  selectRef,
}: {
  provider: IdentityProvider;
  orgId: string;
  selectRef: RefObject<HTMLSelectElement | null>;
}) {
  const personal = isPersonalOrg(orgId);
  const orgs = provider.organizations ?? [];
  return (
    <select
      ref={selectRef}
      aria-label="Organization"
      value={personal ? PERSONAL : orgId}
      onChange={(e) => {
        const value = e.target.value;
        if (value === JOIN) return provider.openJoin();
        openWorkspace(() => provider.switchOrg(value === PERSONAL ? null : value));
      }}
    >
      <option value={PERSONAL}>Personal workspace</option>
      {!personal && !orgs.some((o) => o.id === orgId) && <option value={orgId}>{orgId}</option>}
      {orgs.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
      <option value={JOIN}>Join or create an organization…</option>
    </select>
  );
}

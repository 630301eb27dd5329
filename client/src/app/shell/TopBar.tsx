import { useSyncExternalStore } from 'react';
import type { Accounts } from '../auth/accounts';
import type { InstallPrompt } from '../pwa/install-prompt';
import { useEngine } from '../engine/context';
import { navigate } from './router';

const JOIN = '__join__';

interface Props {
  accounts: Accounts;
  install: InstallPrompt;
  onJoinOrg(): void;
  onSignOut(): void;
}

export function TopBar({ accounts, install, onJoinOrg, onSignOut }: Props) {
  const { session } = useEngine();
  const state = useSyncExternalStore(accounts.subscribe, accounts.getSnapshot);
  const installState = useSyncExternalStore(install.subscribe, install.getSnapshot);
  // The same person in other orgs on this device (each org is a separate identity and replica).
  const mine = state.accounts.filter((a) => a.user.email === session.user.email);

  return (
    <header className="topbar">
      <a className="brand" href="#/">
        <img src="/icons/icon-192.png" alt="" width="28" height="28" />
        <h1>Outpost</h1>
      </a>
      <select
        aria-label="Organization"
        value={session.user.id}
        onChange={(e) => {
          // Another org is another workspace: start it at its project list.
          navigate({ name: 'projects' });
          if (e.target.value === JOIN) onJoinOrg();
          else accounts.switchTo(e.target.value);
        }}
      >
        {mine.map((a) => (
          <option key={a.user.id} value={a.user.id}>
            {a.user.orgId} ({a.user.role})
          </option>
        ))}
        <option value={JOIN}>Join another organization…</option>
      </select>
      {installState.canInstall && (
        <button type="button" onClick={() => void install.install()}>
          Install app
        </button>
      )}
      <span className="user">
        <span className="muted">{session.user.name}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </span>
    </header>
  );
}

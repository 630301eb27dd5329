import { ORG_ID_MAX, roleSchema, USER_EMAIL_MAX, USER_NAME_MAX, type Role } from '@outpost/shared';
import {
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
  type FormEvent,
  type ReactNode,
} from 'react';
import { isTooLong, LengthHint } from '../ui/LengthHint';
import { RoleOptions } from '../ui/RoleOptions';
import { useBrowserOnline } from '../ui/use-browser-online';
import type { Accounts } from './accounts';
import { orgLabel } from './token-org';
import { SignedOutNotice } from './SignedOutNotice';
import { AuthRequestError, requestDevToken, type DevTokenResponse } from './dev-auth';
import { useDocumentTitle } from '../ui/use-document-title';

interface Props {
  accounts: Accounts;
  /** Called with the server's answer so the session can reuse the token it just got. */
  onSignedIn(res: DevTokenResponse): void;
  /** Just signed out: said above the form, and focus starts there. */
  signedOut?: boolean;
  /** Said in the same place instead (the text a sign-out left unsaved, which says it). */
  notice?: ReactNode;
  /** Prefill (e.g. "join another org" keeps the same person). */
  initial?: { email?: string; name?: string };
  /**
   * Set when there is a workspace to go back to ("join another org"): called on Cancel or
   * Escape, and after continuing as a known account.
   */
  onClose?(): void;
}

const OFFLINE = 'You’re offline: signing in needs a connection.';

/**
 * Dev/embedded sign-in: pick a person this device knows, or create one (name, email, org,
 * role). The server signs a Clerk-shaped token for it; no password in dev mode.
 */
export function DevSignIn({
  accounts,
  onSignedIn,
  signedOut = false,
  notice,
  initial,
  onClose,
}: Props) {
  const state = useSyncExternalStore(accounts.subscribe, accounts.getSnapshot);
  useDocumentTitle(onClose ? 'Join an organization' : 'Sign in');
  const [name, setName] = useState(initial?.name ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [orgId, setOrgId] = useState('');
  const [role, setRole] = useState<Role>('admin');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const hintId = useId();
  const offlineId = useId();
  // Offline the form says so before a click: the server signs the token. The button stays
  // pressable, as `navigator.onLine` is false with no network even when the server is this
  // machine (127.0.0.1), which still answers.
  const online = useBrowserOnline();
  // Text past a field's limit is kept and refused (never cut): sign-in waits until it fits.
  const tooLong =
    isTooLong(name, USER_NAME_MAX) ||
    isTooLong(email, USER_EMAIL_MAX) ||
    isTooLong(orgId, ORG_ID_MAX);
  // Joining another org keeps the person: the organization is the one field left to type.
  const orgField = useRef<HTMLInputElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  const joining = initial !== undefined;
  // A first sign-in on this device (no one to continue as): the form is all there is, so its
  // first field takes focus and typing starts at once.
  const firstOnDevice = state.accounts.length === 0;
  useEffect(() => {
    if (joining) orgField.current?.focus();
    // Just signed out: the notice takes focus (what happened, read out first).
    else if (!signedOut && firstOnDevice) nameField.current?.focus();
    // Once, as the screen opens: an account listed later does not move focus.
  }, [joining]);

  async function submit(input: { email: string; name: string; orgId?: string; role?: Role }) {
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await requestDevToken(input));
    } catch (err) {
      setError(
        err instanceof AuthRequestError && err.code === 'NETWORK' && !navigator.onLine
          ? OFFLINE
          : err instanceof AuthRequestError
            ? err.message
            : 'Sign-in failed. Try again.',
      );
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (tooLong) return;
    void submit({ email: email.trim(), name: name.trim(), orgId: orgId.trim() || undefined, role });
  }

  return (
    <main
      className="center stack"
      onKeyDown={
        onClose
          ? (e) => {
              if (e.key === 'Escape') onClose();
            }
          : undefined
      }
    >
      <header className="row">
        <img src="/icons/icon-192.png" width="40" height="40" alt="" />
        <h1 style={{ margin: 0 }}>Outpost</h1>
      </header>
      {notice ?? (signedOut && <SignedOutNotice />)}
      {state.accounts.length > 0 && (
        <section className="panel" aria-labelledby="known-heading">
          <h2 id="known-heading">Continue as</h2>
          <ul className="list">
            {state.accounts.map((a) => (
              <li key={a.user.id} className="row">
                <span className="grow">
                  <strong>{a.user.name}</strong>{' '}
                  <span className="muted">
                    · {orgLabel(a.user.orgId)} · {a.user.role}
                  </span>
                </span>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => {
                    accounts.switchTo(a.user.id);
                    onClose?.();
                  }}
                  aria-label={`Continue as ${a.user.name} in ${orgLabel(a.user.orgId)}`}
                >
                  Continue
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form
        className="panel stack"
        onSubmit={onSubmit}
        aria-labelledby="signin-heading"
        aria-describedby={error ? errorId : undefined}
      >
        <h2 id="signin-heading">Sign in (development mode)</h2>
        <p className="muted">
          No password here: the local server signs a token for whoever you say you are.
        </p>
        <label>
          Name
          <input
            ref={nameField}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="name"
            aria-invalid={isTooLong(name, USER_NAME_MAX) || undefined}
            aria-describedby={`${hintId}-name`}
          />
          <LengthHint id={`${hintId}-name`} length={name.length} max={USER_NAME_MAX} />
        </label>
        <label>
          Email
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="email"
            aria-invalid={isTooLong(email, USER_EMAIL_MAX) || undefined}
            aria-describedby={`${hintId}-email`}
          />
          <LengthHint id={`${hintId}-email`} length={email.length} max={USER_EMAIL_MAX} />
        </label>
        <label>
          Organization
          <span className="hint">Letters, digits, _ and -. Empty: a personal workspace.</span>
          <input
            value={orgId}
            ref={orgField}
            onChange={(e) => setOrgId(e.target.value)}
            pattern="[A-Za-z0-9_\-]+"
            aria-invalid={isTooLong(orgId, ORG_ID_MAX) || undefined}
            aria-describedby={`${hintId}-org`}
          />
          <LengthHint id={`${hintId}-org`} length={orgId.length} max={ORG_ID_MAX} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(roleSchema.parse(e.target.value))}>
            <RoleOptions />
          </select>
        </label>
        {!online && error !== OFFLINE && (
          <p id={offlineId} role="status" className="notice warn">
            {OFFLINE}
          </p>
        )}
        {error && (
          <p id={errorId} role="alert" className="notice bad">
            {error}
          </p>
        )}
        <div className="row">
          <button
            type="submit"
            className="primary"
            disabled={busy || tooLong}
            aria-describedby={!online && error !== OFFLINE ? offlineId : undefined}
          >
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          {onClose && (
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </main>
  );
}

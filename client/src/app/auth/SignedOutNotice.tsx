import { useEffect, useRef } from 'react';
import { useBrowserOnline } from '../ui/use-browser-online';

/**
 * "You’re signed out", above the sign-in screen once this device's copy was removed — the dev
 * form's and Clerk's alike. Signing out took the page away under the reader: focus starts on
 * what happened (read out first), then moves on from there. Offline it says that signing in
 * waits for a connection, rather than promising the data back at once.
 */
export function SignedOutNotice() {
  const online = useBrowserOnline();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="notice info" aria-labelledby="signed-out-heading">
      <div>
        <h2 id="signed-out-heading" ref={heading} tabIndex={-1} style={{ margin: 0 }}>
          You’re signed out
        </h2>
        <p style={{ margin: '4px 0 0' }}>
          {online
            ? 'This device’s copy of your data was removed. Sign in again and it comes back from the server.'
            : 'This device’s copy of your data was removed. You’re offline: signing in needs a connection. Once you’re back online, sign in again and your data comes back from the server.'}
        </p>
      </div>
    </section>
  );
}

/**
 * This tab's Clerk sign-out is noted for the pages after it (reloaded, Clerk's sign-in screen
 * still says it), until the next sign-in (per tab: another tab's sign-in screen is told from
 * memory). Only that it happened: the text typed and not saved stays in memory (ClerkAuth).
 */
const KEY = 'outpost-signed-out';

function sessionStorageOrNull(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** Notes that this tab signed out, its device copy removed (before the provider's sign-out). */
export function noteSignedOut(): void {
  try {
    sessionStorageOrNull()?.setItem(KEY, '1');
  } catch {
    // Storage refused: the next page shows the plain sign-in screen.
  }
}

/** This tab signed out and nobody signed in since. */
export function wasSignedOut(): boolean {
  try {
    return sessionStorageOrNull()?.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

/** Signed in again: the sign-in screens after this one are plain. */
export function forgetSignedOut(): void {
  try {
    sessionStorageOrNull()?.removeItem(KEY);
  } catch {
    // Nothing to forget.
  }
}

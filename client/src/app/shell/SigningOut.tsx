import { useEffect, useRef } from 'react';
import type { SignOutStep } from '../auth/sign-out';
import { UnsavedOnSignOut } from '../auth/UnsavedOnSignOut';
import type { UnsavedText } from '../ui/drafts';

/** Where a sign-out is: working, waiting on another tab, or stopped at a step (and why). */
export interface SignOutProgress {
  /** The replica's deletion waits for another tab or window to let go of the database. */
  blocked: boolean;
  /** Stopped: which step, and why in the reader's words. */
  failed: { step: SignOutStep; reason: string } | null;
}

interface Props {
  progress: SignOutProgress;
  /** What the screen's fields held unsaved as it went (shown once the device's copy is gone). */
  drafts: readonly UnsavedText[];
  onDismissDrafts(): void;
  /** The step that failed, once more. */
  onRetry(): void;
  /** Past the revoke step without it (it leaves with the replica holding it). */
  onSkip(): void;
  /** Back to the workspace: only before anything was removed. */
  onCancel(): void;
}

/**
 * What replaces the screen while signing out: what it is doing, what it waits for, or what
 * failed and the ways on — never a "Signing out…" with none. Cancel is offered only while
 * nothing was removed (the revoke step); after that the device's copy is gone or going.
 */
export function SigningOut({
  progress,
  drafts,
  onDismissDrafts,
  onRetry,
  onSkip,
  onCancel,
}: Props) {
  const { failed, blocked } = progress;
  const first = useRef<HTMLButtonElement>(null);
  // A failure takes the reader's focus to its first way on (the page under it went).
  useEffect(() => {
    if (failed) first.current?.focus();
  }, [failed]);

  if (!failed) {
    if (!blocked)
      return (
        <p role="status">Signing out and removing this account&rsquo;s data from the device…</p>
      );
    return (
      <div role="status" className="notice warn">
        <div>
          <p>
            <strong>Signing out waits for another tab.</strong> Another tab or window still has this
            account&rsquo;s data open (one running an older version of Outpost, perhaps). Close it,
            and signing out finishes here by itself.
          </p>
        </div>
      </div>
    );
  }
  return (
    <>
      <div role="alert" aria-labelledby="sign-out-failed" className="panel error-panel">
        <h2 id="sign-out-failed">Signing out did not finish</h2>
        <p>{whatFailed(failed.step, failed.reason)}</p>
        <div className="row">
          <button ref={first} type="button" className="primary" onClick={onRetry}>
            Try again
          </button>
          {failed.step === 'revoke' && (
            <>
              <button type="button" className="danger" onClick={onSkip}>
                Sign out anyway
              </button>
              <button type="button" onClick={onCancel}>
                Cancel
              </button>
            </>
          )}
        </div>
      </div>
      {/* The copy is gone, the screen with it: what its fields held is shown to copy, as the
          signed-out screen shows it (offline, Clerk's step may fail for a long while). */}
      {failed.step === 'provider' && drafts.length > 0 && (
        <UnsavedOnSignOut
          drafts={drafts}
          onDismiss={onDismissDrafts}
          message="What you had typed went with the screen and was not saved; copy it now if you need it."
        />
      )}
    </>
  );
}

function whatFailed(step: SignOutStep, reason: string): string {
  switch (step) {
    case 'revoke':
      return `This device’s sync access could not be withdrawn: ${reason}. Nothing was removed. “Sign out anyway” removes this device’s copy now, and the access with it.`;
    case 'wipe':
      return `This device’s copy of your data could not be removed: ${reason}. You are still signed in here.`;
    case 'provider':
      return `This device’s copy of your data was removed, but your Clerk session could not be ended: ${reason}. Until it is, opening Outpost in this browser signs you back in.`;
  }
}

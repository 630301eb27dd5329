import { deleteReplica } from '@outpost/sync';
import { openStoredReplica } from '../../sw/stored-replica';
import { localStorageOrNull } from '../ui/local-storage';
import { CredentialRequestError } from '../pwa/sync-credential';
import type { Accounts } from './accounts';
import type { ProviderSession } from './provider';
import type { Session } from './session';

export interface SignOutOptions {
  session: Session;
  accounts: Accounts;
  /** Clerk mode's provider (or its sign-out waiting for Clerk to load); null in dev mode. */
  provider: ProviderSession | null;
  /**
   * Withdraws the device's sync credential at the server (`revokeCredential`) before anything
   * is removed; `signal` aborts its request once sign-out stops waiting for it.
   */
  revoke?(signal: AbortSignal): Promise<void>;
  /**
   * Wipes the signed-in org's data (deletes the replica); the persisted query cache and unsent
   * journal go after it.
   */
  wipe(): Promise<void>;
  /** Deletes another identity's replica on this device (injected for tests). */
  wipeOther?(userId: string): Promise<void>;
  /** How long a network step (revoke, the provider's sign-out) may take; `STEP_TIMEOUT_MS`. */
  timeoutMs?: number;
}

/** A network step of sign-out gives up after this: a server or Clerk that does not answer. */
export const STEP_TIMEOUT_MS = 10_000;

/**
 * Where sign-out stopped, in order: `revoke` (nothing removed yet: Cancel is safe, and so is
 * skipping it), `wipe` (removing this device's copy failed; the account is still listed), or
 * `provider` (the copy is gone, but Clerk's session did not end).
 */
export type SignOutStep = 'revoke' | 'wipe' | 'provider';
const STEPS: readonly SignOutStep[] = ['revoke', 'wipe', 'provider'];

/** Sign-out stopped at `step`; `signOutOfDevice(options, step)` tries it again from there. */
export class SignOutError extends Error {
  override name = 'SignOutError';
  constructor(
    readonly step: SignOutStep,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** A step that did not answer within its time. */
export class StepTimeout extends Error {
  override name = 'StepTimeout';
  constructor(ms: number) {
    super(`No answer within ${Math.round(ms / 1000)} seconds`);
  }
}

/**
 * Why sign-out stopped, in the reader's words (it follows "could not be …: "). A request that
 * never reached the server or Clerk throws the browser's bare `TypeError` ("Failed to fetch",
 * "Load failed" in Safari, "NetworkError when attempting to fetch resource." in Firefox):
 * that says where it could not go instead. What the server or IndexedDB said is kept.
 */
export function signOutReason(err: SignOutError): string {
  const { cause, step } = err;
  const who = step === 'provider' ? 'Clerk' : 'the server';
  if (cause instanceof StepTimeout) return `${who} did not answer in time`;
  if (cause instanceof CredentialRequestError)
    return `the server answered with an error (HTTP ${cause.status})`;
  if (step === 'revoke' || (step === 'provider' && cause instanceof TypeError))
    return `${who} could not be reached`;
  return err.message || (cause instanceof Error ? cause.name : 'an unknown error');
}

/**
 * Runs `step` for at most `ms`: past it the step's signal aborts (its request stops) and the
 * returned promise rejects with `StepTimeout`, whatever the step does after.
 */
export function withTimeout<T>(ms: number, step: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      controller.abort();
      reject(new StepTimeout(ms));
    }, ms);
    step(controller.signal).then(
      (value) => (clearTimeout(timer), resolve(value)),
      (err: unknown) => (clearTimeout(timer), reject(err)),
    );
  });
}

/**
 * Signing out removes the identity's data from the device in both modes. In Clerk mode it also
 * ends Clerk's session — without that Clerk signs the user straight back in — and, as that
 * session covers all their organizations, it removes this person's other orgs from the device.
 * Every network step is bounded (`timeoutMs`); a step that fails rejects with `SignOutError`
 * naming it, and `from` starts again there (or past `revoke`, to go on without it).
 */
export async function signOutOfDevice(
  options: SignOutOptions,
  from: SignOutStep = 'revoke',
): Promise<void> {
  const { session, accounts, provider } = options;
  const ms = options.timeoutMs ?? STEP_TIMEOUT_MS;
  const start = STEPS.indexOf(from);
  const { revoke } = options;
  if (start <= 0 && revoke) {
    await withTimeout(ms, revoke).catch((err: unknown) => {
      throw new SignOutError('revoke', err);
    });
  }
  if (start <= 1) {
    try {
      await options.wipe();
    } catch (err) {
      // Still listed: Try again removes it, and a reload opens what is left of it.
      throw new SignOutError('wipe', err);
    }
    forgetLocalCopies(session.user.id);
    accounts.forget(session.user.id);
  }
  if (!provider) return;
  if (start <= 1) {
    const wipeOther = options.wipeOther ?? wipeStoredReplica;
    const others = accounts
      .getSnapshot()
      .accounts.filter((a) => a.mode === 'clerk' && a.user.externalId === session.user.externalId);
    for (const other of others) {
      await wipeOther(other.user.id).catch(() => undefined);
      forgetLocalCopies(other.user.id);
      accounts.forget(other.user.id);
    }
  }
  await withTimeout(ms, () => provider.signOut()).catch((err: unknown) => {
    throw new SignOutError('provider', err);
  });
}

async function wipeStoredReplica(userId: string): Promise<void> {
  const stored = await openStoredReplica({ userId, indexedDB: window.indexedDB });
  if ('replica' in stored) await deleteReplica(stored.replica);
}

/**
 * Everything the app keeps in localStorage for a person is under an `outpost-…` key with their
 * id as one of its `:`-separated parts — the persisted query cache (`data/queryClient.ts`), the
 * unsent journal (`engine/unsent-journal.ts`: titles of their writes), edits kept as a page
 * closed (`engine/kept-edits.ts`), the replica's sentinel,
 * deletes in their undo window, assignments told, tasks added here, the orders chosen for
 * projects — and leaves with their replica. (A sentinel left behind would make the next
 * sign-in take the deleted replica for one the browser evicted.) Orders remembered before
 * they were kept per person (an `outpost-sort:<org>:<project>` key) cannot be told apart:
 * they go at any sign-out.
 */
export function forgetLocalCopies(
  userId: string,
  storage: Storage | null = localStorageOrNull(),
): void {
  if (!storage) return;
  try {
    const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i));
    for (const key of keys)
      if (key !== null && (ownedBy(key, userId) || isUnownedSort(key))) storage.removeItem(key);
  } catch {
    // Storage disabled: nothing was persisted.
  }
}

function ownedBy(key: string, userId: string): boolean {
  return key.startsWith('outpost-') && key.split(':').slice(1).includes(userId);
}

function isUnownedSort(key: string): boolean {
  return key.startsWith('outpost-sort:') && key.split(':').length === 3;
}

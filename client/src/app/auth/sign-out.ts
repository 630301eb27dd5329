import { deleteReplica } from '@outpost/sync';
import { openStoredReplica } from '../../sw/stored-replica';
import { localStorageOrNull } from '../ui/local-storage';
import type { Accounts } from './accounts';
import type { IdentityProvider } from './provider';
import type { Session } from './session';

export interface SignOutOptions {
  session: Session;
  accounts: Accounts;
  /** Clerk mode's provider; null in dev mode. */
  provider: IdentityProvider | null;
  /**
   * Wipes the signed-in org's data (revokes the device credential, deletes the replica); the
   * persisted query cache and unsent journal go after it.
   */
  wipe(): Promise<void>;
  /** Deletes another identity's replica on this device (injected for tests). */
  wipeOther?(userId: string): Promise<void>;
}

/**
 * Signing out removes the identity's data from the device in both modes. In Clerk mode it also
 * ends Clerk's session — without that Clerk signs the user straight back in — and, as that
 * session covers all their organizations, it removes this person's other orgs from the device.
 */
export async function signOutOfDevice(options: SignOutOptions): Promise<void> {
  const { session, accounts, provider } = options;
  try {
    await options.wipe();
    forgetLocalCopies(session.user.id);
  } finally {
    accounts.forget(session.user.id);
  }
  if (!provider) return;
  const wipeOther = options.wipeOther ?? wipeStoredReplica;
  const others = accounts
    .getSnapshot()
    .accounts.filter((a) => a.mode === 'clerk' && a.user.externalId === session.user.externalId);
  for (const other of others) {
    await wipeOther(other.user.id).catch(() => undefined);
    forgetLocalCopies(other.user.id);
    accounts.forget(other.user.id);
  }
  await provider.signOut();
}

async function wipeStoredReplica(userId: string): Promise<void> {
  const stored = await openStoredReplica({ userId, indexedDB: window.indexedDB });
  if ('replica' in stored) await deleteReplica(stored.replica);
}

/**
 * Everything the app keeps in localStorage for a person is under an `outpost-…` key with their
 * id as one of its `:`-separated parts — the persisted query cache (`data/queryClient.ts`), the
 * unsent journal (`engine/unsent-journal.ts`: titles of their writes), the replica's sentinel,
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

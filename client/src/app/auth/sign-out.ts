import { deleteReplica } from '@outpost/sync';
import { openStoredReplica } from '../../sw/stored-replica';
import { queryCacheKey } from '../../data/queryClient';
import { unsentJournalKeys } from '../engine/unsent-journal';
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
    accounts.forget(other.user.id);
  }
  await provider.signOut();
}

async function wipeStoredReplica(userId: string): Promise<void> {
  const stored = await openStoredReplica({ userId, indexedDB: window.indexedDB });
  if ('replica' in stored) await deleteReplica(stored.replica);
  forgetLocalCopies(userId);
}

/**
 * The user's persisted query cache (`data/queryClient.ts`) and unsent journal
 * (`engine/unsent-journal.ts`: titles of their writes) leave with their replica.
 */
function forgetLocalCopies(userId: string): void {
  try {
    for (const key of [queryCacheKey(userId), ...unsentJournalKeys(userId)])
      localStorage.removeItem(key);
  } catch {
    // No storage here (or it is disabled): nothing was persisted.
  }
}

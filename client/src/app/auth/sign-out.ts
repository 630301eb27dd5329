import { deleteReplica, openStoredReplica } from '@outpost/sync';
import { queryCacheKey } from '../../data/queryClient';
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
   * persisted query cache goes after it.
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
    forgetQueryCache(session.user.id);
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
  forgetQueryCache(userId);
}

/** The user's persisted query cache (`data/queryClient.ts`) leaves with their replica. */
function forgetQueryCache(userId: string): void {
  try {
    localStorage.removeItem(queryCacheKey(userId));
  } catch {
    // No storage here (or it is disabled): nothing was persisted.
  }
}

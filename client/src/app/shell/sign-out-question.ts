import type { ConfirmRequest } from '../ui/confirm';

/**
 * What signing out asks, from the sync status: null when nothing is at stake (online, every
 * change sent). Signing out removes this workspace from the device, and signing in again needs
 * the network: offline, one tap on Sign out would leave nothing to work with until it is back.
 */
export function signOutQuestion({
  pending,
  online,
}: {
  pending: number;
  online: boolean;
}): ConfirmRequest | null {
  if (pending > 0)
    return {
      title: 'Sign out with unsent changes?',
      message: `${pending} ${pending === 1 ? 'change has' : 'changes have'} not reached the server yet and will be lost if you sign out now.${online ? '' : ' You are offline too: signing in again needs a connection.'}`,
      confirmLabel: 'Sign out anyway',
      danger: true,
    };
  if (!online)
    return {
      title: 'Sign out while offline?',
      message:
        'This workspace is removed from this device, and signing in again needs a connection: until you are back online you cannot open it here.',
      confirmLabel: 'Sign out anyway',
      danger: true,
    };
  return null;
}

/** A sign-out question whose reasons went away while it was open (the changes were sent). */
export const READY_TO_SIGN_OUT: ConfirmRequest = {
  title: 'Sign out?',
  message: 'Every change has reached the server.',
  confirmLabel: 'Sign out',
};

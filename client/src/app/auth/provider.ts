import type { Role } from '@outpost/shared';
import { createContext, useContext } from 'react';

/** An organization the signed-in user belongs to at the identity provider. */
export interface ProviderOrg {
  id: string;
  name: string;
  role: Role;
}

/**
 * What the identity provider (Clerk) owns in Clerk mode: the session itself and the user's
 * organizations. Dev mode has none (null): orgs are local identities in the accounts list.
 */
export interface IdentityProvider {
  /** The user's organizations at the provider; null while they load. */
  organizations: readonly ProviderOrg[] | null;
  /** Switches the provider's active organization (null: the personal workspace). */
  switchOrg(orgId: string | null): Promise<void>;
  /** Ends the provider's session (after the device's data is wiped). */
  signOut(): Promise<void>;
  /** Opens the provider's own join / create organization screen. */
  openJoin(): void;
}

export const IdentityProviderContext = createContext<IdentityProvider | null>(null);

export function useIdentityProvider(): IdentityProvider | null {
  return useContext(IdentityProviderContext);
}

/** What signing out needs of the provider: ending its session. */
export type ProviderSession = Pick<IdentityProvider, 'signOut'>;

/**
 * Clerk mode opened offline renders the last identity's workspace before Clerk loads, so with
 * no provider; signing out there still has a Clerk session to end, once Clerk can be reached
 * (see ClerkAuth's `endSessionWhenLoaded`).
 */
export const PendingProviderContext = createContext<ProviderSession | null>(null);

/** The session signing out ends: the provider's, or one it will end once loaded; null in dev mode. */
export function useProviderSession(): ProviderSession | null {
  const provider = useContext(IdentityProviderContext);
  const pending = useContext(PendingProviderContext);
  return provider ?? pending;
}

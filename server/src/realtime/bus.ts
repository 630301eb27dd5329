import type { OrgId } from '@outpost/shared';

/** A poke from another instance: the cursor only (its changes stay there; sockets here pull). */
export type PokeHandler = (orgId: OrgId, cursor: number) => void;

/**
 * Carries "org X's log reached cursor n" from the instance that committed to the other
 * instances; this instance's own sockets are poked beside it, not through it. Nothing to carry
 * without Redis; Redis pub/sub with it.
 */
export interface PokeBus {
  readonly kind: 'local' | 'redis';
  /** Tells the other instances (their sockets pull). */
  publish(orgId: OrgId, cursor: number): void;
  close(): Promise<void>;
}

/** One process: there is no other instance to tell. */
export const localBus: PokeBus = {
  kind: 'local',
  publish: () => {},
  close: async () => {},
};

import type { OrgId, PokeCarried } from '@outpost/shared';

/** `carried`: the commit's changes, delivered to this instance's sockets only. */
export type PokeHandler = (orgId: OrgId, cursor: number, carried: PokeCarried | null) => void;

/**
 * Carries "org X's log reached cursor n" from the instance that committed to every instance
 * with sockets in that org. In-process without Redis; through Redis pub/sub with it.
 */
export interface PokeBus {
  readonly kind: 'local' | 'redis';
  /** Other instances get the cursor only (their sockets pull). */
  publish(orgId: OrgId, cursor: number, carried: PokeCarried | null): void;
  close(): Promise<void>;
}

/** One process: a publication is delivered straight to the local sockets. */
export function localBus(deliver: PokeHandler): PokeBus {
  return {
    kind: 'local',
    publish: deliver,
    close: async () => {},
  };
}

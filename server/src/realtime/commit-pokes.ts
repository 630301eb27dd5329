import type { OrgId, PokeCarried } from '@outpost/shared';
import type { CommitListener, Committed } from '../engine/types.js';

/** Where a poke goes next (a `PokeCoalescer`). */
export interface PokeSink {
  offer(orgId: OrgId, cursor: number, carried?: PokeCarried | null): void;
}

export interface CommitPokesDeps {
  /** Whether this instance has sockets in the org. */
  hasRoom(orgId: OrgId): boolean;
  /** The engine's `carry`: what a poke to this instance's sockets may carry. */
  carry(orgId: OrgId, committed: Committed): Promise<PokeCarried | null>;
  /** This instance's sockets. */
  local: PokeSink;
  /** Other instances (through Redis), or null when this is the only one. */
  remote: PokeSink | null;
  onCarryError(err: unknown): void;
}

/**
 * What a commit of this instance pokes. Other instances first and at once: they get the cursor
 * only (their sockets pull), so they wait neither for this instance's activity read nor for its
 * own sockets' sends. Then this instance's sockets, with the commit's changes when the org has
 * sockets here (the engine applies the pull's activity window first). The returned promise holds
 * the writer's answer until this instance's sockets were poked.
 */
export function commitPokes(deps: CommitPokesDeps): CommitListener {
  return (orgId, cursor, committed) => {
    deps.remote?.offer(orgId, cursor);
    if (!deps.hasRoom(orgId)) return;
    if (!committed) return deps.local.offer(orgId, cursor);
    return deps.carry(orgId, committed).then(
      (carried) => deps.local.offer(orgId, cursor, carried),
      (err: unknown) => {
        deps.onCarryError(err);
        deps.local.offer(orgId, cursor);
      },
    );
  };
}

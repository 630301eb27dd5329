import { describe, expect, it } from 'vitest';
import type { OrgId, PokeCarried } from '@outpost/shared';
import type { Committed } from '../engine/types.js';
import { commitPokes, type PokeSink } from './commit-pokes.js';

const ORG = 'org_a' as OrgId;
const COMMITTED: Committed = { from: 6, changes: [] };
const CARRIED: PokeCarried = { from: 6, changes: [], activityFloor: 0 };

class Recorder implements PokeSink {
  readonly offers: [OrgId, number, PokeCarried | null][] = [];
  offer(orgId: OrgId, cursor: number, carried: PokeCarried | null = null): void {
    this.offers.push([orgId, cursor, carried]);
  }
}

function setup(room: boolean, carry: () => Promise<PokeCarried | null>) {
  const local = new Recorder();
  const remote = new Recorder();
  const errors: unknown[] = [];
  const listener = commitPokes({
    hasRoom: () => room,
    carry,
    local,
    remote,
    onCarryError: (err) => errors.push(err),
  });
  return { local, remote, errors, listener };
}

describe('commitPokes', () => {
  it('tells the other instances at commit, before the activity read for local sockets settles', async () => {
    let settle: (c: PokeCarried) => void = () => {};
    const { local, remote, listener } = setup(
      true,
      () => new Promise<PokeCarried>((resolve) => (settle = resolve)),
    );
    const held = listener(ORG, 7, COMMITTED);
    expect(remote.offers).toEqual([[ORG, 7, null]]);
    expect(local.offers).toEqual([]);
    settle(CARRIED);
    await held;
    expect(local.offers).toEqual([[ORG, 7, CARRIED]]);
    expect(remote.offers).toHaveLength(1);
  });

  it('pokes local sockets bare when the read fails, and nothing local without sockets here', async () => {
    const failing = setup(true, () => Promise.reject(new Error('disk')));
    await failing.listener(ORG, 8, COMMITTED);
    expect(failing.local.offers).toEqual([[ORG, 8, null]]);
    expect(failing.errors).toHaveLength(1);

    const reads: number[] = [];
    const empty = setup(false, async () => (reads.push(1), CARRIED));
    expect(empty.listener(ORG, 9, COMMITTED)).toBeUndefined();
    expect(empty.remote.offers).toEqual([[ORG, 9, null]]);
    expect(empty.local.offers).toEqual([]);
    expect(reads).toEqual([]);

    const bare = setup(true, async () => CARRIED);
    await bare.listener(ORG, 10, null);
    expect(bare.local.offers).toEqual([[ORG, 10, null]]);
  });
});

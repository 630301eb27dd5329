import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrgId, User } from '@outpost/shared';
import { Engine } from '../src/engine/engine.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';
import type { Actor, Identity } from '../src/engine/types.js';
import { EngineHarness } from './sync-harness.js';

const ORG = 'org_lookup' as OrgId;

/**
 * `upsertUser` runs on every authenticated request and socket push. A member seen before is
 * checked by its row's version alone; whatever writes the row (on this instance or another
 * sharing the store) is seen by the next call.
 */
describe('upsertUser: a member seen before', () => {
  let h: EngineHarness;
  let other: Engine;
  let admin: Actor;
  const identity: Identity = {
    externalId: 'ext_mia',
    email: 'mia@example.com',
    name: 'Mia',
    orgId: ORG,
    role: 'admin',
  };
  const stored = { roleFrom: 'stored' } as const;

  beforeEach(async () => {
    h = new EngineHarness();
    admin = await h.actor(ORG, 'admin', 'ada');
    // A second instance on the same file, as another server process would be.
    other = new Engine({ store: new SqliteStore({ dataDir: h.dir }), nodeId: 'srv-other' });
  });
  afterEach(async () => {
    await other.close();
    await h.close();
  });

  /** `h.engine` with its store's member searches counted. */
  function countingSearches(): { engine: Engine; searches: () => number } {
    let n = 0;
    const store = new Proxy(h.store, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop === 'listRows')
          return (...args: Parameters<Store['listRows']>) => (n++, target.listRows(...args));
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
    const engine = new Engine({ store, nodeId: 'srv-counted' });
    return { engine, searches: () => n };
  }

  it('is not searched for again while its row is unchanged', async () => {
    const { engine, searches } = countingSearches();
    await engine.upsertUser(identity, stored); // first sign-in: the row is written
    const first = await engine.upsertUser(identity, stored); // found and remembered
    const before = searches();
    const again = await engine.upsertUser(identity, stored);
    expect(again).toEqual(first);
    expect(searches()).toBe(before);
    // Another profile asserted by the token is another lookup (and a profile write).
    const renamed = await engine.upsertUser({ ...identity, name: 'Mia R.' }, stored);
    expect(renamed.name).toBe('Mia R.');
    expect(searches()).toBeGreaterThan(before);
  });

  it('sees a role change made on another instance at the next call', async () => {
    const mia = await h.engine.upsertUser(identity, stored);
    expect(mia.role).toBe('admin');
    await other.applyRest(admin, {
      kind: 'update',
      entity: 'user',
      entityId: mia.id,
      fields: { role: 'member' },
    });
    expect((await h.engine.upsertUser(identity, stored)).role).toBe('member');
  });

  it('sees a removal made on another instance at the next call', async () => {
    await h.engine.upsertUser(identity, stored);
    expect(
      await other.removeMember(ORG, identity.externalId, { requestId: 'wh_1', reason: 'removed' }),
    ).toBe(true);
    await expect(h.engine.upsertUser(identity, stored)).rejects.toMatchObject({
      code: 'MEMBER_REMOVED',
    });
  });

  it('hands out a copy: changing a returned user changes no later answer', async () => {
    const first: User = await h.engine.upsertUser(identity, stored);
    (first as { name: string }).name = 'changed by a caller';
    expect((await h.engine.upsertUser(identity, stored)).name).toBe('Mia');
  });
});

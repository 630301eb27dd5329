import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type EntityId, type OrgId } from '@outpost/shared';
import { purgeHistory } from '../src/engine/retention.js';
import type { Actor } from '../src/engine/types.js';
import {
  EngineHarness,
  FakeClient,
  newEntityId,
  projectFields,
  taskFields,
} from './sync-harness.js';

const ORG = 'org_purged' as OrgId;
const DAY = 24 * 60 * 60 * 1000;
const BY = { requestId: 'r1', reason: 'test' };

/**
 * A member removed so long ago that their user row's tombstone was purged
 * (TOMBSTONE_RETENTION_DAYS) is still removed: their sign-in is refused, not made a new member.
 * Added back, they are a new row (none is left to revive), and the client id of the device they
 * had is still theirs: what it kept unsent goes through, and nobody else can use it.
 */
describe('a member whose row was purged', () => {
  let h: EngineHarness;
  let ben: Actor;
  let device: FakeClient;
  let projectId: EntityId;
  beforeEach(async () => {
    h = new EngineHarness();
    ben = await h.actor(ORG, 'manager', 'ben');
    device = new FakeClient(ben, () => h.time);
    projectId = newEntityId();
    const first = await device.push(h, [
      device.make({
        type: 'project.create',
        entityId: projectId,
        fields: projectFields(ben.user.id),
      }),
    ]);
    expect(first.results).toEqual([{ id: 1, status: 'applied' }]);
    expect(await h.engine.removeMember(ORG, ben.user.externalId, BY)).toBe(true);
    h.time += 31 * DAY;
    await purgeHistory(h.store, { tombstoneDays: 30, activityDays: null }, h.time);
    expect(await h.store.getRow(ben.user.id)).toBeNull();
  });
  afterEach(() => h.close());

  it('stays removed: a sign-in is refused, and a membership event that is not a re-add adds nobody', async () => {
    await expect(h.actor(ORG, 'manager', 'ben')).rejects.toMatchObject({
      code: 'MEMBER_REMOVED',
      status: 403,
    });
    const again = await h.engine.syncMember({ ...identityOf(ben), role: 'manager' }, BY, {
      readd: false,
      eventAt: null,
    });
    expect(again).toMatchObject({ user: null, stillRemoved: true });
    // The same person is welcome in another org.
    await expect(h.actor('org_elsewhere' as OrgId, 'manager', 'ben')).resolves.toBeDefined();
  });

  it('a re-created membership adds them back as a new row', async () => {
    const back = await h.engine.syncMember({ ...identityOf(ben), role: 'manager' }, BY, {
      readd: true,
      eventAt: h.time,
    });
    expect(back.user).toMatchObject({ externalId: ben.user.externalId, role: 'manager' });
    expect(back.user!.id).not.toBe(ben.user.id);
    expect((await h.actor(ORG, 'manager', 'ben')).user.id).toBe(back.user!.id);
  });

  it('back through an invitation, they push and pull with the device they had; others cannot', async () => {
    const admin = await h.actor(ORG, 'admin', 'ana');
    await h.engine.applyRest(admin, {
      kind: 'create',
      entity: 'user',
      entityId: newEntityId(),
      fields: { email: 'ben@example.com', name: 'Ben', role: 'manager' },
    });
    const back = await h.actor(ORG, 'manager', 'ben');
    expect(back.user.id).not.toBe(ben.user.id);

    // Written offline, before the removal.
    const unsent = device.make({
      type: 'task.create',
      entityId: newEntityId(),
      fields: taskFields(projectId, 'Written offline'),
    });
    const pull = (actor: Actor) =>
      h.engine.pull(actor, {
        protocolVersion: PROTOCOL_VERSION,
        clientId: device.clientId,
        cursor: 0,
        limit: 100,
      });
    await expect(pull(back)).resolves.toMatchObject({ lastMutationId: 1 });
    const pushed = await h.engine.push(back, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: device.clientId,
      mutations: [unsent],
    });
    expect(pushed).toMatchObject({ lastMutationId: 2, results: [{ id: 2, status: 'applied' }] });
    expect(await h.engine.get(ORG, 'task', unsent.entityId)).toMatchObject({
      title: 'Written offline',
    });
    // The push bound the client id to his new row.
    expect(await h.store.getClient(device.clientId)).toMatchObject({
      userId: back.user.id,
      externalId: ben.user.externalId,
      lastMutationId: 2,
    });

    // Another member of the org, and the same person in another org, are still refused.
    await expect(pull(admin)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const elsewhere = await h.actor('org_other' as OrgId, 'manager', 'ben');
    await expect(pull(elsewhere)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });
});

function identityOf(actor: Actor) {
  return {
    externalId: actor.user.externalId,
    email: actor.user.email,
    name: actor.user.name,
    orgId: actor.orgId,
  };
}

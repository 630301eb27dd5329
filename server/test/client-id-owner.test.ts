import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type OrgId } from '@outpost/shared';
import { purgeHistory } from '../src/engine/retention.js';
import {
  EngineHarness,
  FakeClient,
  newEntityId,
  projectFields,
  taskFields,
} from './sync-harness.js';

const ORG = 'org_owner' as OrgId;
const DAY = 24 * 60 * 60 * 1000;

/**
 * A client id belongs to the person who first used it, not only to their user row: a member
 * removed long enough ago that their row's tombstone was purged, then added back as a new row,
 * still syncs from the device they had (what it kept unsent goes through), and nobody else can.
 */
describe('a client id outlives its owner\u2019s purged user row', () => {
  let h: EngineHarness;
  beforeEach(() => {
    h = new EngineHarness();
  });
  afterEach(() => h.close());

  it('the owner, back as a new row, pushes and pulls with it; another member is refused', async () => {
    const ben = await h.actor(ORG, 'manager', 'ben');
    const device = new FakeClient(ben, () => h.time);
    const projectId = newEntityId();
    const first = await device.push(h, [
      device.make({
        type: 'project.create',
        entityId: projectId,
        fields: projectFields(ben.user.id),
      }),
    ]);
    expect(first.results).toEqual([{ id: 1, status: 'applied' }]);
    // Written offline, while Ben is removed and his row's tombstone is purged.
    const unsent = device.make({
      type: 'task.create',
      entityId: newEntityId(),
      fields: taskFields(projectId, 'Written offline'),
    });
    expect(
      await h.engine.removeMember(ORG, ben.user.externalId, { requestId: 'r1', reason: 'test' }),
    ).toBe(true);
    h.time += 31 * DAY;
    await purgeHistory(h.store, { tombstoneDays: 30, activityDays: null }, h.time);
    expect(await h.store.getRow(ben.user.id)).toBeNull();

    const back = await h.actor(ORG, 'manager', 'ben');
    expect(back.user.id).not.toBe(ben.user.id);
    const pull = (actor: typeof ben) =>
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
    // The push bound the id to his new row.
    expect(await h.store.getClient(device.clientId)).toMatchObject({
      userId: back.user.id,
      externalId: ben.user.externalId,
      lastMutationId: 2,
    });

    // Another member of the org, and the same person in another org, are still refused.
    const cy = await h.actor(ORG, 'admin', 'cy');
    await expect(pull(cy)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const elsewhere = await h.actor('org_other' as OrgId, 'member', 'ben');
    await expect(pull(elsewhere)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });
});

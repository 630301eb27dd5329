import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  pullResponseSchema,
  pushResponseSchema,
  restStamp,
  type Activity,
  type EntityId,
  type HlcString,
  type OrgId,
} from '@outpost/shared';
import { storeLegs } from './helpers/store-legs.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';

/**
 * An offline edit that loses to a teammate's REST write names that teammate as the winner
 * (on no device), as it names a device's user: the REST write's stamp carries its writer.
 * Runs on SQLite, and on MongoDB when MONGODB_TEST_URI is set (the rule is the engine's, over
 * either store).
 */
const legs = storeLegs('rest-conflict-writer', 'restwin');

const P = '/api/v1/primary-data';

describe.each(legs)('a conflict lost to a REST write names its writer ($name)', (leg) => {
  const org = `org_restwin_${leg.name}` as OrgId;
  let t: TestApp;
  let env: Record<string, string>;
  let ana: { token: string; id: EntityId };
  let ben: { token: string; id: EntityId };
  const clientId = newClientId();
  const clock = new HybridLogicalClock(clientId);
  let nextId = 1;

  beforeAll(async () => {
    env = leg.env();
    t = await buildTestApp({ RATE_LIMIT_MAX: '100000', ...env });
    const a = await devToken(t.app, { email: 'ana@example.com', orgId: org, role: 'manager' });
    const b = await devToken(t.app, { email: 'ben@example.com', orgId: org, role: 'manager' });
    ana = { token: a.token, id: a.user.id };
    ben = { token: b.token, id: b.user.id };
  });
  afterAll(async () => {
    await t?.close();
    if (leg.drop && env['MONGODB_DB']) await leg.drop(env['MONGODB_DB']);
  });

  /** Ana's device pushes mutations already stamped (an offline edit is stamped when made). */
  async function push(mutations: Record<string, unknown>[]) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: bearer(ana.token),
      payload: {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: mutations.map((m) => ({ hlc: clock.now(), ...m, id: nextId++ })),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    return pushResponseSchema.parse(res.json()).results;
  }

  /** The org's conflict activities about `entityId`, as a pull brings them (schema-checked). */
  async function conflictsOf(entityId: string): Promise<Activity[]> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: bearer(ana.token),
      payload: { protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0, limit: 1000 },
    });
    expect(res.statusCode, res.body).toBe(200);
    return pullResponseSchema
      .parse(res.json())
      .changes.flatMap((c) => (c.entity === 'activity' && !c.deleted ? [c.row] : []))
      .filter((a) => a.action === 'conflict' && a.entityId === entityId);
  }

  async function createProject(name: string): Promise<{ id: EntityId; clock: HlcString }> {
    const id = newEntityId();
    const hlc = clock.now();
    const results = await push([
      {
        type: 'project.create',
        entityId: id,
        hlc,
        fields: { name, description: '', status: 'active', ownerId: ana.id },
      },
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied']);
    return { id, clock: hlc };
  }

  it('an edit stamped before a REST update names its writer as the winner', async () => {
    const p = await createProject('Garden');
    // Ana renames offline (stamped now), Ben renames through the API meanwhile.
    const offline = clock.now();
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `${P}/projects/${p.id}`,
      headers: bearer(ben.token),
      payload: { name: 'Ben’s garden' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // Back online, Ana's older rename loses to Ben's.
    const results = await push([
      {
        type: 'project.update',
        entityId: p.id,
        hlc: offline,
        fields: { name: 'Ana’s garden' },
        base: { name: p.clock },
      },
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied']);
    const [conflict, ...more] = await conflictsOf(p.id);
    expect(more).toEqual([]);
    expect(conflict?.changes).toEqual([
      expect.objectContaining({
        field: 'name',
        lost: 'Ana’s garden',
        to: 'Ben’s garden',
        winner: { userId: ben.id, clientId: null },
        loser: { userId: ana.id, clientId },
      }),
    ]);
  });

  it('an edit stamped before a REST delete names who deleted it', async () => {
    const p = await createProject('Shed');
    const offline = clock.now();
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `${P}/projects/${p.id}`,
      headers: bearer(ben.token),
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    await push([
      {
        type: 'project.update',
        entityId: p.id,
        hlc: offline,
        fields: { name: 'Tool shed' },
        base: { name: p.clock },
      },
    ]);
    const [conflict] = await conflictsOf(p.id);
    expect(conflict?.changes).toEqual([
      expect.objectContaining({
        field: 'name',
        lost: 'Tool shed',
        winner: { userId: ben.id, clientId: null },
        loser: { userId: ana.id, clientId },
      }),
    ]);
  });

  /** Ana's device pushes `mutations` as they are: the raw answer. */
  function send(mutations: Record<string, unknown>[]) {
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: bearer(ana.token),
      payload: { protocolVersion: PROTOCOL_VERSION, clientId, mutations },
    });
  }

  /**
   * A push stamped as another writer is refused whole (400 at the stamp), changes nothing, and
   * takes none of the device's mutation ids: its next push continues where it was.
   */
  async function expectRefusedStamp(hlc: HlcString, projectId: EntityId, name: string) {
    const head = await t.engine.head(org);
    const res = await send([
      { type: 'project.update', id: nextId, entityId: projectId, hlc, fields: { name: 'Forged' } },
    ]);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION',
      details: [
        {
          path: '/mutations/0/hlc',
          message: "must end in this push's client id: a stamp names the client that wrote it",
        },
      ],
    });
    expect(await t.engine.head(org)).toBe(head);
    const row = await t.app.inject({
      method: 'GET',
      url: `${P}/projects/${projectId}`,
      headers: bearer(ana.token),
    });
    expect(row.json()).toMatchObject({ name });
    expect(
      await push([{ type: 'project.update', entityId: projectId, fields: { description: 'ok' } }]),
    ).toEqual([expect.objectContaining({ status: 'applied' })]);
  }

  it('refuses a device stamp that claims to be a REST write, so no one is named falsely', async () => {
    const p = await createProject('Pond');
    await expectRefusedStamp(restStamp(clock.now(), ben.id), p.id, 'Pond');
  });

  it("refuses a stamp naming another user's device, so that device is never named for it", async () => {
    const p = await createProject('Orchard');
    // Ben's phone has pushed, so its client id is known to be Ben's.
    const benPhone = newClientId();
    const benClock = new HybridLogicalClock(benPhone);
    const bound = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: bearer(ben.token),
      payload: {
        protocolVersion: PROTOCOL_VERSION,
        clientId: benPhone,
        mutations: [
          {
            type: 'project.update',
            id: 1,
            entityId: p.id,
            hlc: benClock.now(),
            fields: { description: 'Ben' },
          },
        ],
      },
    });
    expect(bound.statusCode, bound.body).toBe(200);
    await expectRefusedStamp(benClock.now(), p.id, 'Orchard');
    // Ana's own other device is another client too.
    await expectRefusedStamp(new HybridLogicalClock(newClientId()).now(), p.id, 'Orchard');
    expect(await conflictsOf(p.id)).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  newClientId,
  newEntityId,
  type ClientId,
  type OrgId,
} from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';
import { stampedBy } from './helpers/stamps.js';

const ORG = 'org_refusals' as OrgId;

/**
 * Every way push and pull can be refused leaves the store as it was — no rows, no change-log
 * entries and no client-id binding (another user can still claim the client id afterwards).
 */
describe('refused push and pull change nothing', () => {
  let t: TestApp;
  let ana: string;
  let ben: string;
  let projectId: string;
  let anaId: string;
  const clock = new HybridLogicalClock('refusals');
  const benWatcher = newClientId();

  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_MAX: '100000', AUTH_FAILURE_LIMIT: '1000' });
    const a = await devToken(t.app, { email: 'ana@example.com', orgId: ORG, role: 'manager' });
    ana = a.token;
    anaId = a.user.id;
    ben = (await devToken(t.app, { email: 'ben@example.com', orgId: ORG, role: 'manager' })).token;
    // Both users' rows exist before the refusals, so only a refusal could move the head.
    for (const tok of [ana, ben])
      expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(tok) })).statusCode).toBe(
        200,
      );
    projectId = newEntityId();
  });
  afterAll(() => t.close());

  const post = (url: string, body: unknown, headers: Record<string, string> = bearer(ana)) =>
    t.app.inject({ method: 'POST', url: `/api/v1/sync/${url}`, headers, payload: body as object });

  const createProject = (id: number, entityId = projectId) => ({
    type: 'project.create',
    id,
    hlc: clock.now(),
    entityId,
    fields: { name: 'P', description: '', status: 'active', ownerId: anaId },
  });
  const pushBody = (clientId: ClientId, mutations: unknown[], v = PROTOCOL_VERSION) => ({
    protocolVersion: v,
    clientId,
    mutations: stampedBy(clientId, mutations),
  });
  const pullBody = (clientId: ClientId, cursor = 0, v = PROTOCOL_VERSION) => ({
    protocolVersion: v,
    clientId,
    cursor,
  });

  /**
   * Asserts nothing but audit entries was written since `head` (a 403 is recorded as an
   * `access-denied` activity by design) and that `clientId` is still free: Ben can claim it.
   */
  async function expectUnchanged(head: number, clientId: ClientId) {
    const since = await post('pull', pullBody(benWatcher, head), bearer(ben));
    const written = (since.json() as { changes: { entity: string; row: { action?: string } }[] })
      .changes;
    expect(
      written.filter((c) => !(c.entity === 'activity' && c.row.action === 'access-denied')),
    ).toEqual([]);
    const claim = await post('pull', pullBody(clientId), bearer(ben));
    expect(claim.statusCode, claim.body).toBe(200);
  }

  async function refused(
    route: 'push' | 'pull',
    status: number,
    body: (clientId: ClientId) => unknown,
    headers?: Record<string, string>,
  ) {
    const clientId = newClientId();
    const head = await t.engine.head(ORG);
    const res = await post(route, body(clientId), headers);
    expect(res.statusCode, res.body).toBe(status);
    await expectUnchanged(head, clientId);
    return res;
  }

  it('push without a token (401)', async () => {
    await refused('push', 401, (c) => pushBody(c, [createProject(1, newEntityId())]), {});
  });
  it('push with an invalid body (400 VALIDATION)', async () => {
    await refused('push', 400, (c) => pushBody(c, [{ ...createProject(1), type: 'nope' }]));
  });
  it('push from a newer client (409 SERVER_TOO_OLD)', async () => {
    await refused('push', 409, (c) => pushBody(c, [createProject(1)], PROTOCOL_VERSION + 1));
  });
  it("push and pull of another version whose body this server's schema refuses: told the version (409), not 400", async () => {
    // A newer client's mutation type or field, an older client's: the version speaks first.
    const newer = (c: ClientId) => ({
      ...pushBody(c, [{ ...createProject(1), type: 'project.archive' }], PROTOCOL_VERSION + 1),
      batchId: 'b1',
    });
    const older = (c: ClientId) => ({
      ...pushBody(c, [{ type: 'task.move', id: 1 }], MIN_PROTOCOL_VERSION - 1),
    });
    expect((await refused('push', 409, newer)).json()).toMatchObject({ code: 'SERVER_TOO_OLD' });
    expect((await refused('push', 409, older)).json()).toMatchObject({ code: 'CLIENT_TOO_OLD' });
    const newerPull = (c: ClientId) => ({ ...pullBody(c, 0, PROTOCOL_VERSION + 1), since: 'x' });
    const olderPull = (c: ClientId) => ({ ...pullBody(c, 0, MIN_PROTOCOL_VERSION - 1), v: 1 });
    expect((await refused('pull', 409, newerPull)).json()).toMatchObject({
      code: 'SERVER_TOO_OLD',
    });
    expect((await refused('pull', 409, olderPull)).json()).toMatchObject({
      code: 'CLIENT_TOO_OLD',
    });
    // A version that is no version at all is the body's problem: 400 as before.
    const res = await refused('push', 400, (c) => ({ ...pushBody(c, []), protocolVersion: 'x' }));
    expect(res.json()).toMatchObject({ code: 'VALIDATION' });
  });
  it('push with a gap (409 MUTATION_GAP)', async () => {
    const res = await refused('push', 409, (c) => pushBody(c, [createProject(2)]));
    expect(res.json()).toMatchObject({ code: 'MUTATION_GAP' });
  });
  it('push with a body in another charset (415)', async () => {
    const clientId = newClientId();
    const head = await t.engine.head(ORG);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: { ...bearer(ana), 'content-type': 'application/json; charset=latin1' },
      payload: JSON.stringify(pushBody(clientId, [createProject(1)])),
    });
    expect(res.statusCode).toBe(415);
    await expectUnchanged(head, clientId);
  });
  it("push to another user's client id (403): that user's progress is untouched", async () => {
    const bens = newClientId();
    expect(
      (await post('push', pushBody(bens, [createProject(1, newEntityId())]), bearer(ben)))
        .statusCode,
    ).toBe(200);
    const head = await t.engine.head(ORG);
    const res = await post('push', pushBody(bens, [createProject(2, newEntityId())]));
    expect(res.statusCode).toBe(403);
    await expectUnchanged(head, newClientId());
    const benPull = await post('pull', pullBody(bens), bearer(ben));
    expect(benPull.json()).toMatchObject({ lastMutationId: 1 });
  });
  /** A sync credential Ana's device `clientId` is issued. */
  async function credentialFor(clientId: string): Promise<string> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/credentials',
      headers: bearer(ana),
      payload: { clientId },
    });
    expect(res.statusCode).toBe(201);
    return (res.json() as { credential: string }).credential;
  }
  it('push with a sync credential issued for another client id (403)', async () => {
    const own = newClientId();
    const credential = await credentialFor(own);
    await refused('push', 403, (c) => pushBody(c, [createProject(1)]), bearer(credential));
    await refused('pull', 403, (c) => pullBody(c), bearer(credential));
  });

  it('pull with a sync credential, for its own client id (403, saying what a credential may do)', async () => {
    const own = newClientId();
    const credential = await credentialFor(own);
    const res = await refused('pull', 403, () => pullBody(own), bearer(credential));
    expect(res.json()).toMatchObject({
      code: 'FORBIDDEN',
      error:
        'A sync credential may only push and sign its own device out (POST /api/v1/auth/sign-out): POST /api/v1/sync/pull needs a session token',
    });
  });

  it('pull without a token (401)', async () => {
    await refused('pull', 401, (c) => pullBody(c), {});
  });
  it('pull with an invalid body (400 VALIDATION)', async () => {
    await refused('pull', 400, (c) => pullBody(c, -1));
  });
  it('pull from a newer client (409 SERVER_TOO_OLD)', async () => {
    await refused('pull', 409, (c) => pullBody(c, 0, PROTOCOL_VERSION + 1));
  });
  it('pull with a cursor ahead of the head (400 BAD_CURSOR) does not bind the client id', async () => {
    const res = await refused('pull', 400, (c) => pullBody(c, 1_000_000));
    expect(res.json()).toMatchObject({
      code: 'BAD_CURSOR',
      error: expect.stringMatching(/^`cursor` 1000000 is ahead of this org's log \(head \d+\)/),
    });
  });
  it("pull with another user's client id (403)", async () => {
    const bens = newClientId();
    expect((await post('pull', pullBody(bens), bearer(ben))).statusCode).toBe(200);
    const res = await post('pull', pullBody(bens));
    expect(res.statusCode).toBe(403);
    expect((await post('pull', pullBody(bens), bearer(ben))).statusCode).toBe(200);
  });
  it('a successful pull binds the client id (control)', async () => {
    const mine = newClientId();
    expect((await post('pull', pullBody(mine))).statusCode).toBe(200);
    expect((await post('pull', pullBody(mine), bearer(ben))).statusCode).toBe(403);
  });
});

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, WS_CLOSE, type OrgId, type User } from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, clerkEnv, generateClerkKeyPair, signClerkToken } from './helpers/auth.js';
import { clerkEvents, newWebhookSecret, signDelivery } from './helpers/webhooks.js';
import { WsTestClient } from './helpers/ws-client.js';

const iss = 'https://hooks-test.clerk.accounts.dev';
const azp = 'https://app.example.com';

describe('Clerk webhooks', () => {
  const keys = generateClerkKeyPair();
  const secret = newWebhookSecret();
  let t: TestApp;
  let url: string;

  beforeAll(async () => {
    t = await buildTestApp({
      ...clerkEnv(keys, iss, azp),
      CLERK_WEBHOOK_SECRET: secret,
      WS_HEARTBEAT_MS: '60000',
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  const deliver = (event: unknown, opts?: Parameters<typeof signDelivery>[2]) => {
    const d = signDelivery(secret, event, opts);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/clerk',
      headers: d.headers,
      payload: d.payload,
    });
  };
  const token = (sub: string, orgId: string, rol: string, email = `${sub}@example.com`) =>
    signClerkToken(keys.privateKeyPem, {
      sub,
      iss,
      azp,
      email,
      name: sub,
      o: { id: orgId, rol, slg: orgId },
    });
  const members = async (orgId: string) =>
    (await t.engine.list(orgId as OrgId, { entity: 'user', filter: {}, limit: 100 }))
      .items as User[];

  it('organizationMembership.created adds the member with Clerk\u2019s role; a replay changes nothing', async () => {
    const event = clerkEvents.membership('created', {
      orgId: 'org_hk1',
      userId: 'user_hk1',
      role: 'org:admin',
      email: 'ana@example.com',
    });
    const first = await deliver(event, { id: 'msg_replay_1' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ received: true, duplicate: false });
    expect(await members('org_hk1')).toEqual([
      expect.objectContaining({
        externalId: 'user_hk1',
        email: 'ana@example.com',
        name: 'Ana Lima',
        role: 'admin',
      }),
    ]);
    const head = await t.engine.head('org_hk1' as OrgId);
    // The same delivery again (Svix retries keep the id), even re-signed with a new timestamp.
    const again = await deliver(event, { id: 'msg_replay_1' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, outcome: first.json().outcome });
    expect(await t.engine.head('org_hk1' as OrgId)).toBe(head);
    expect(await t.engine.membership.webhook('msg_replay_1')).toMatchObject({
      type: 'organizationMembership.created',
      outcome: expect.stringContaining('user_hk1'),
    });
  });

  it('organizationMembership.updated changes the role; user.updated the name and verified email in every org', async () => {
    for (const orgId of ['org_hk2', 'org_hk3']) {
      expect(
        (
          await deliver(
            clerkEvents.membership('created', {
              orgId,
              userId: 'user_hk2',
              role: 'org:member',
              email: 'ben@example.com',
            }),
          )
        ).statusCode,
      ).toBe(200);
    }
    const up = await deliver(
      clerkEvents.membership('updated', {
        orgId: 'org_hk2',
        userId: 'user_hk2',
        role: 'org:manager',
        email: 'ben@example.com',
      }),
    );
    expect(up.json().outcome).toContain('manager');
    expect((await members('org_hk2'))[0]).toMatchObject({ role: 'manager' });
    expect((await members('org_hk3'))[0]).toMatchObject({ role: 'member' });

    const renamed = await deliver(
      clerkEvents.user('updated', {
        userId: 'user_hk2',
        email: 'ben@new.example.com',
        first: 'Benjamin',
        last: 'Ng',
      }),
    );
    expect(renamed.json().outcome).toContain('2 org(s)');
    for (const orgId of ['org_hk2', 'org_hk3']) {
      expect((await members(orgId))[0]).toMatchObject({
        name: 'Benjamin Ng',
        email: 'ben@new.example.com',
      });
    }
    // An unverified address is never taken over; user.created is applied the same way.
    await deliver(
      clerkEvents.user('created', {
        userId: 'user_hk2',
        email: 'evil@example.com',
        first: 'Benjamin',
        last: 'Ng',
        verified: false,
      }),
    );
    expect((await members('org_hk2'))[0]).toMatchObject({ email: 'ben@new.example.com' });
    const replay = signDelivery(
      secret,
      clerkEvents.user('updated', {
        userId: 'user_hk2',
        email: 'x@example.com',
        first: 'X',
        last: 'Y',
      }),
      { id: 'msg_user_replay' },
    );
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/clerk',
      headers: replay.headers,
      payload: replay.payload,
    });
    const head = await t.engine.head('org_hk2' as OrgId);
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/clerk',
      headers: replay.headers,
      payload: replay.payload,
    });
    expect(second.json()).toMatchObject({ duplicate: true });
    expect(await t.engine.head('org_hk2' as OrgId)).toBe(head);
  });

  it('organizationMembership.deleted: the removed member\u2019s credential, token and socket stop working at once', async () => {
    const tk = await token('user_hk4', 'org_hk4', 'org:member', 'cy@example.com');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(tk) });
    expect(me.statusCode).toBe(200);
    const clientId = newClientId();
    const cred = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/credentials',
        headers: bearer(tk),
        payload: { clientId },
      })
    ).json() as { credential: string };
    const socket = await WsTestClient.join(url, { token: tk, clientId });
    const credSocket = await WsTestClient.join(url, { token: cred.credential, clientId });

    const res = await deliver(
      clerkEvents.membership('deleted', {
        orgId: 'org_hk4',
        userId: 'user_hk4',
        role: 'org:member',
        email: 'cy@example.com',
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().outcome).toContain('removed');

    expect((await socket.closed).code).toBe(WS_CLOSE.memberRemoved);
    expect((await credSocket.closed).code).toBe(WS_CLOSE.memberRemoved);
    // The next request with the device credential (its sign-out, valid for itself) is refused.
    const push = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: bearer(cred.credential),
      payload: { clientId },
    });
    expect(push.statusCode).toBe(401);
    expect(push.json()).toMatchObject({ details: { reason: 'credential-revoked' } });
    const again = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(tk) });
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({
      code: 'MEMBER_REMOVED',
      details: { reason: 'member-removed' },
    });
    // Never silently re-created.
    expect(await members('org_hk4')).toEqual([]);
    const late = await WsTestClient.open(url);
    late.send({ type: 'hello', protocolVersion: 1, clientId: newClientId(), token: tk });
    expect((await late.closed).code).toBe(WS_CLOSE.memberRemoved);

    // A membership.updated that arrives after the removal does not bring them back; being
    // added again (a newer membership.created) does.
    await deliver(
      clerkEvents.membership('updated', {
        orgId: 'org_hk4',
        userId: 'user_hk4',
        role: 'org:admin',
        email: 'cy@example.com',
      }),
    );
    expect(await members('org_hk4')).toEqual([]);
    await deliver(
      clerkEvents.membership('created', {
        orgId: 'org_hk4',
        userId: 'user_hk4',
        role: 'org:member',
        email: 'cy@example.com',
      }),
    );
    expect(await members('org_hk4')).toEqual([expect.objectContaining({ externalId: 'user_hk4' })]);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(tk) })).statusCode,
    ).toBe(200);
  });

  it('user.deleted removes the user from every org; organization.deleted removes every member', async () => {
    for (const orgId of ['org_hk5', 'org_hk6']) {
      await deliver(
        clerkEvents.membership('created', {
          orgId,
          userId: 'user_hk5',
          role: 'org:member',
          email: 'dee@example.com',
        }),
      );
    }
    await deliver(
      clerkEvents.membership('created', {
        orgId: 'org_hk6',
        userId: 'user_hk6',
        role: 'org:admin',
        email: 'eve@example.com',
      }),
    );
    const gone = await deliver(clerkEvents.deleted('user', 'user_hk5'));
    expect(gone.json().outcome).toContain('removed from 2 org(s)');
    expect(await members('org_hk5')).toEqual([]);
    expect((await members('org_hk6')).map((u) => u.externalId)).toEqual(['user_hk6']);

    expect(
      (await deliver(clerkEvents.organization('created', 'org_hk7'))).json().outcome,
    ).toContain('noted');
    expect((await deliver(clerkEvents.organization('updated', 'org_hk6'))).statusCode).toBe(200);
    const orgGone = await deliver(clerkEvents.deleted('organization', 'org_hk6'));
    expect(orgGone.json().outcome).toContain('1 member(s) removed');
    expect(await members('org_hk6')).toEqual([]);
  });

  describe('refusals change nothing', () => {
    const event = () =>
      clerkEvents.membership('created', {
        orgId: 'org_bad',
        userId: 'user_bad',
        role: 'org:admin',
        email: 'mal@example.com',
      });
    const unchanged = async (id: string) => {
      expect(await members('org_bad')).toEqual([]);
      expect(await t.engine.membership.webhook(id)).toBeNull();
    };

    it('a bad signature is 401', async () => {
      const d = signDelivery(newWebhookSecret(), event(), { id: 'msg_bad_sig' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks/clerk',
        headers: d.headers,
        payload: d.payload,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({
        code: 'WEBHOOK_UNVERIFIED',
        details: { reason: 'bad-signature' },
      });
      await unchanged('msg_bad_sig');
    });

    it('a body changed after signing is 401', async () => {
      const d = signDelivery(secret, event(), { id: 'msg_tampered' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks/clerk',
        headers: d.headers,
        payload: d.payload.replace('org:admin', 'org:member'),
      });
      expect(res.statusCode).toBe(401);
      await unchanged('msg_tampered');
    });

    it('a stale timestamp is 401 even when correctly signed', async () => {
      const res = await deliver(event(), {
        id: 'msg_stale',
        timestampSeconds: Math.floor(Date.now() / 1000) - 3600,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ details: { reason: 'stale-timestamp' } });
      await unchanged('msg_stale');
    });

    it('missing Svix headers are 400', async () => {
      const d = signDelivery(secret, event(), { id: 'msg_noheaders' });
      const { ['svix-signature']: _dropped, ...headers } = d.headers;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks/clerk',
        headers,
        payload: d.payload,
      });
      expect(res.statusCode).toBe(400);
      await unchanged('msg_noheaders');
    });

    it('an unknown (signed) event type is 422', async () => {
      const res = await deliver(
        { object: 'event', type: 'session.created', data: { id: 'sess_1' } },
        { id: 'msg_unknown' },
      );
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'WEBHOOK_EVENT_UNSUPPORTED' });
      await unchanged('msg_unknown');
    });

    it('a known type with an invalid payload is 400', async () => {
      const res = await deliver(
        { object: 'event', type: 'organizationMembership.created', data: { id: 'x' } },
        { id: 'msg_invalid' },
      );
      expect(res.statusCode).toBe(400);
      await unchanged('msg_invalid');
    });
  });

  it('is documented in OpenAPI with its Svix headers', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<
        string,
        { post?: { tags?: string[]; parameters?: { name: string }[]; requestBody?: unknown } }
      >;
    };
    const op = doc.paths['/api/v1/webhooks/clerk']?.post;
    expect(op?.tags).toEqual(['webhooks']);
    expect(op?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['svix-id', 'svix-timestamp', 'svix-signature']),
    );
    expect(op?.requestBody).toBeDefined();
  });
});

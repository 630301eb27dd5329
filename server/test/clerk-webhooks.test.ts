import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, PROTOCOL_VERSION, WS_CLOSE, type OrgId } from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, clerkEnv, signClerkToken } from './helpers/auth.js';
import { clerkApp } from './helpers/clerk-app.js';
import { clerkEvents, newWebhookSecret, signDelivery } from './helpers/webhooks.js';
import { WsTestClient } from './helpers/ws-client.js';

describe('Clerk webhooks', () => {
  const clerk = clerkApp({
    iss: 'https://hooks-test.clerk.accounts.dev',
    env: { WS_HEARTBEAT_MS: '60000' },
    listen: true,
  });
  const { keys, secret, iss, azp, deliver, token, users: members } = clerk;

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
    const head = await clerk.t.engine.head('org_hk1' as OrgId);
    // The same delivery again (Svix retries keep the id), even re-signed with a new timestamp.
    const again = await deliver(event, { id: 'msg_replay_1' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, outcome: first.json().outcome });
    expect(await clerk.t.engine.head('org_hk1' as OrgId)).toBe(head);
    expect(await clerk.t.engine.membership.webhook('msg_replay_1')).toMatchObject({
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
    // A name with control characters follows the text rules of a typed name; nothing left → kept.
    const rename = (first: string, last: string) =>
      deliver(
        clerkEvents.user('updated', {
          userId: 'user_hk2',
          email: 'ben@new.example.com',
          first,
          last,
        }),
      );
    expect((await rename('Ben\u0000jamin\n', 'Ng-Li\u001b')).statusCode).toBe(200);
    expect((await members('org_hk2'))[0]).toMatchObject({ name: 'Benjamin Ng-Li' });
    expect((await rename('\u0007', '\u0000')).statusCode).toBe(200);
    expect((await members('org_hk2'))[0]).toMatchObject({ name: 'Benjamin Ng-Li' });
    expect((await rename('Benjamin', 'Ng')).statusCode).toBe(200);
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
    await clerk.t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/clerk',
      headers: replay.headers,
      payload: replay.payload,
    });
    const head = await clerk.t.engine.head('org_hk2' as OrgId);
    const second = await clerk.t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/clerk',
      headers: replay.headers,
      payload: replay.payload,
    });
    expect(second.json()).toMatchObject({ duplicate: true });
    expect(await clerk.t.engine.head('org_hk2' as OrgId)).toBe(head);
  });

  it('a session token without the email and name claims keeps the ones the webhooks gave', async () => {
    // README step 3 (the custom claims) skipped, step 4 (webhooks) done: the webhook's email
    // and name were replaced by the placeholder and the Clerk id on the member's next request,
    // and back on the next delivery — a write (and a poke to the org) each way.
    const event = clerkEvents.membership('created', {
      orgId: 'org_hk_claims',
      userId: 'user_hk_claims',
      role: 'org:member',
      email: 'dee@example.com',
    });
    expect((await deliver(event)).statusCode).toBe(200);
    const [before] = await members('org_hk_claims');
    expect(before).toMatchObject({ email: 'dee@example.com', name: 'Ana Lima' });
    const bare = await signClerkToken(keys.privateKeyPem, {
      sub: 'user_hk_claims',
      iss,
      azp,
      o: { id: 'org_hk_claims', rol: 'org:member', slg: 'org_hk_claims' },
      extra: { email: undefined, name: undefined },
    });
    const me = await clerk.t.app.inject({ url: '/api/v1/me', headers: bearer(bare) });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ email: 'dee@example.com', name: 'Ana Lima' });
    expect((await members('org_hk_claims'))[0]).toEqual(before);

    // A first sign-in without them still gets the placeholder (README step 3).
    const newcomer = await signClerkToken(keys.privateKeyPem, {
      sub: 'user_hk_bare',
      iss,
      azp,
      o: { id: 'org_hk_claims', rol: 'org:member', slg: 'org_hk_claims' },
      extra: { email: undefined, name: undefined },
    });
    const first = await clerk.t.app.inject({ url: '/api/v1/me', headers: bearer(newcomer) });
    expect(first.json().user).toMatchObject({
      email: 'user_hk_bare@users.invalid',
      name: 'user_hk_bare',
    });
    // A token that does carry them still updates the row.
    const full = await token(
      'user_hk_claims',
      'org_hk_claims',
      'org:member',
      'dee@new.example.com',
    );
    const updated = await clerk.t.app.inject({ url: '/api/v1/me', headers: bearer(full) });
    expect(updated.json().user).toMatchObject({
      email: 'dee@new.example.com',
      name: 'user_hk_claims',
    });

    // A membership event whose identifier is not an email (a phone sign-in) and that has no
    // name changes the role and keeps the email and name the member has.
    const byPhone = clerkEvents.membership('updated', {
      orgId: 'org_hk_claims',
      userId: 'user_hk_claims',
      role: 'org:manager',
      email: '+15551234567',
      first: '',
      last: '',
    });
    expect((await deliver(byPhone)).statusCode).toBe(200);
    expect(
      (await members('org_hk_claims')).find((u) => u.externalId === 'user_hk_claims'),
    ).toMatchObject({ email: 'dee@new.example.com', name: 'user_hk_claims', role: 'manager' });
  });

  it('organizationMembership.deleted: the removed member\u2019s credential, token and socket stop working at once', async () => {
    const tk = await token('user_hk4', 'org_hk4', 'org:member', 'cy@example.com');
    const me = await clerk.t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(tk) });
    expect(me.statusCode).toBe(200);
    const clientId = newClientId();
    const cred = (
      await clerk.t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/credentials',
        headers: bearer(tk),
        payload: { clientId },
      })
    ).json() as { credential: string };
    const socket = await WsTestClient.join(clerk.url, { token: tk, clientId });
    const credSocket = await WsTestClient.join(clerk.url, { token: cred.credential, clientId });

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
    const push = await clerk.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: bearer(cred.credential),
      payload: { clientId },
    });
    expect(push.statusCode).toBe(401);
    expect(push.json()).toMatchObject({ details: { reason: 'credential-revoked' } });
    const again = await clerk.t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(tk),
    });
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({
      code: 'MEMBER_REMOVED',
      details: { reason: 'member-removed' },
    });
    // Never silently re-created.
    expect(await members('org_hk4')).toEqual([]);
    const late = await WsTestClient.open(clerk.url);
    late.send({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      clientId: newClientId(),
      token: tk,
    });
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
      (await clerk.t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(tk) }))
        .statusCode,
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

  it('every event type is applied once: a replay (same svix-id, new timestamp) changes nothing', async () => {
    const setup = (orgId: string, userId: string, role = 'org:member') =>
      deliver(
        clerkEvents.membership('created', { orgId, userId, role, email: `${userId}@example.com` }),
      );
    const cases: { event: unknown; orgs: string[]; before?: () => Promise<unknown> }[] = [
      {
        event: clerkEvents.user('created', {
          userId: 'user_rp1',
          email: 'rp1@example.com',
          first: 'Rae',
          last: 'One',
        }),
        orgs: ['org_rp1'],
        before: () => setup('org_rp1', 'user_rp1'),
      },
      {
        event: clerkEvents.user('updated', {
          userId: 'user_rp2',
          email: 'rp2@example.com',
          first: 'Rae',
          last: 'Two',
        }),
        orgs: ['org_rp2'],
        before: () => setup('org_rp2', 'user_rp2'),
      },
      {
        event: clerkEvents.deleted('user', 'user_rp3'),
        orgs: ['org_rp3'],
        before: () => setup('org_rp3', 'user_rp3'),
      },
      { event: clerkEvents.organization('created', 'org_rp4'), orgs: ['org_rp4'] },
      { event: clerkEvents.organization('updated', 'org_rp5'), orgs: ['org_rp5'] },
      {
        event: clerkEvents.deleted('organization', 'org_rp6'),
        orgs: ['org_rp6'],
        before: () => setup('org_rp6', 'user_rp6'),
      },
      {
        event: clerkEvents.membership('created', {
          orgId: 'org_rp7',
          userId: 'user_rp7',
          role: 'org:admin',
          email: 'rp7@example.com',
        }),
        orgs: ['org_rp7'],
      },
      {
        event: clerkEvents.membership('updated', {
          orgId: 'org_rp8',
          userId: 'user_rp8',
          role: 'org:manager',
          email: 'rp8@example.com',
        }),
        orgs: ['org_rp8'],
        before: () => setup('org_rp8', 'user_rp8'),
      },
      {
        event: clerkEvents.membership('deleted', {
          orgId: 'org_rp9',
          userId: 'user_rp9',
          role: 'org:member',
          email: 'rp9@example.com',
        }),
        orgs: ['org_rp9'],
        before: () => setup('org_rp9', 'user_rp9'),
      },
    ];
    const types = cases.map((c) => (c.event as { type: string }).type);
    expect(new Set(types).size).toBe(9);
    for (const [i, c] of cases.entries()) {
      await c.before?.();
      const snapshot = async () =>
        Promise.all(
          c.orgs.map(async (o) => ({
            head: await clerk.t.engine.head(o as OrgId),
            rows: await members(o),
          })),
        );
      const before = await snapshot();
      const id = `msg_every_${i}`;
      const first = await deliver(c.event, { id });
      expect(first.statusCode, types[i]).toBe(200);
      expect(first.json(), types[i]).toMatchObject({ duplicate: false });
      const applied = await snapshot();
      // Each type that names rows wrote them (org events keep no record: only the receipt).
      if (!types[i]!.startsWith('organization.') || types[i] === 'organization.deleted')
        expect(applied, `${types[i]} changed something`).not.toEqual(before);
      expect(await clerk.t.engine.membership.webhook(id), types[i]).toMatchObject({
        type: types[i],
      });
      const replay = await deliver(c.event, {
        id,
        timestampSeconds: Math.floor(Date.now() / 1000) + 30,
      });
      expect(replay.json(), types[i]).toMatchObject({ duplicate: true });
      expect(await snapshot(), `${types[i]} replayed`).toEqual(applied);
    }
  });

  describe('the failed-auth throttle leaves webhooks alone', () => {
    // Guessing an HMAC-SHA256 signature is hopeless, so counting bad signatures protects
    // nothing; blocking by IP would let someone else's bad bearers (a shared egress or an
    // untrusted proxy) delay a removal.
    let th: TestApp;
    beforeAll(async () => {
      th = await buildTestApp({
        ...clerkEnv(keys, iss, azp),
        CLERK_WEBHOOK_SECRET: secret,
        AUTH_FAILURE_LIMIT: '3',
        AUTH_FAILURE_WINDOW_MS: '60000',
      });
    });
    afterAll(() => th.close());
    const send = (d: { headers: Record<string, string>; payload: string }, ip: string) =>
      th.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks/clerk',
        remoteAddress: ip,
        headers: d.headers,
        payload: d.payload,
      });
    const me = (ip: string) =>
      th.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        remoteAddress: ip,
        headers: bearer('not.a.token'),
      });

    it('bad signatures do not count toward it', async () => {
      for (let i = 0; i < 5; i++)
        expect((await send(signDelivery(newWebhookSecret(), { i }), '10.7.0.1')).statusCode).toBe(
          401,
        );
      expect((await me('10.7.0.1')).statusCode).toBe(401);
    });

    it('an address it blocks still delivers signed webhooks', async () => {
      for (let i = 0; i < 3; i++) await me('10.7.0.2');
      expect((await me('10.7.0.2')).statusCode).toBe(429);
      const res = await send(
        signDelivery(
          secret,
          clerkEvents.membership('created', {
            orgId: 'org_th1',
            userId: 'user_th1',
            role: 'org:member',
            email: 'th@example.com',
          }),
        ),
        '10.7.0.2',
      );
      expect(res.statusCode).toBe(200);
    });
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
      expect(await clerk.t.engine.membership.webhook(id)).toBeNull();
    };

    it('a bad signature is 401', async () => {
      const d = signDelivery(newWebhookSecret(), event(), { id: 'msg_bad_sig' });
      const res = await clerk.t.app.inject({
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
      const res = await clerk.t.app.inject({
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

    it('a missing Svix header is 401 (unsigned)', async () => {
      const d = signDelivery(secret, event(), { id: 'msg_noheaders' });
      const { ['svix-signature']: _dropped, ...headers } = d.headers;
      const res = await clerk.t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks/clerk',
        headers,
        payload: d.payload,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ details: { reason: 'missing-signature' } });
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

    it('a signed body with a __proto__ or constructor.prototype key is 400 naming where', async () => {
      const payload = JSON.stringify(event());
      const cases = [
        [
          'msg_proto',
          payload.replace('"data":{', '"data":{"__proto__":{"admin":true},'),
          '/data/__proto__',
        ],
        [
          'msg_ctor',
          payload.replace('"data":{', '"data":{"constructor":{"prototype":{"admin":true}},'),
          '/data/constructor/prototype',
        ],
        [
          'msg_proto_escaped',
          payload.replace('"data":{', '"data":{"\\u005f_proto__":1,'),
          '/data/__proto__',
        ],
      ] as const;
      for (const [id, body, path] of cases) {
        expect(body).not.toBe(payload);
        const res = await deliver(null, { id, body });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json()).toMatchObject({ code: 'VALIDATION', details: [{ path }] });
        await unchanged(id);
      }
    });

    it('a body over 512 KiB is 413 naming the limit', async () => {
      const big = { ...event(), padding: 'x'.repeat(512 * 1024) };
      const res = await deliver(big, { id: 'msg_big' });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        error: 'The request body is larger than this endpoint accepts: at most 524288 bytes',
        details: { limit: 'body', maxBytes: 524288 },
      });
      await unchanged('msg_big');
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
    const doc = (await clerk.t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<
        string,
        {
          post?: {
            tags?: string[];
            security?: unknown;
            parameters?: { name: string }[];
            requestBody?: unknown;
          };
        }
      >;
      components: { securitySchemes: Record<string, unknown> };
    };
    const op = doc.paths['/api/v1/webhooks/clerk']?.post;
    expect(op?.tags).toEqual(['webhooks']);
    // svix-signature is the security scheme's header; the other two are parameters.
    expect(op?.security).toEqual([{ svixSignature: [] }]);
    expect(doc.components.securitySchemes['svixSignature']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'svix-signature',
    });
    expect(op?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['svix-id', 'svix-timestamp']),
    );
    expect(op?.requestBody).toBeDefined();
  });
});

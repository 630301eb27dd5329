import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, PROTOCOL_VERSION, WS_CLOSE, type OrgId } from '@outpost/shared';
import { devSubject } from '../src/auth/session-token.js';
import { storeLegs } from './helpers/store-legs.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer } from './helpers/auth.js';
import { clerkApp } from './helpers/clerk-app.js';
import { clerkEvents } from './helpers/webhooks.js';
import { WsTestClient } from './helpers/ws-client.js';

/**
 * One email, one member: a first sign-in (a new Clerk user id) whose email a member of the org
 * already has never makes a second member. It takes the member over only when that member has
 * no identity-provider id yet (a dev sign-in's) and the token says the email is verified; else
 * it is refused 403 EMAIL_IN_USE and nothing is written. A membership event of such a user adds
 * no one, nor brings back a removed member whose email another member now has. Runs on SQLite, and on MongoDB when MONGODB_TEST_URI is set (the engine's logic).
 */
const legs = storeLegs('email-in-use', 'emailuse');

describe.each(legs)('a new sign-in with a member\u2019s email ($name)', (leg) => {
  const clerk = clerkApp({
    iss: 'https://email-in-use.clerk.accounts.dev',
    env: { WS_HEARTBEAT_MS: '60000' },
    leg,
    listen: true,
  });
  const { users } = clerk;
  const token = (sub: string, orgId: string, email: string, extra: Record<string, unknown> = {}) =>
    clerk.token(sub, orgId, 'org:member', email, extra);
  const me = async (tok: string) => clerk.t.app.inject({ url: '/api/v1/me', headers: bearer(tok) });

  it('is refused 403 EMAIL_IN_USE when the member has a Clerk id of their own, verified or not', async () => {
    const orgId = 'org_eiu_clerk';
    const first = await me(await token('user_eiuold', orgId, 'ana@example.com'));
    expect(first.statusCode, first.body).toBe(200);
    const before = await users(orgId);
    const head = await clerk.t.engine.head(orgId as OrgId);

    for (const extra of [{}, { email_verified: true }]) {
      const res = await me(await token('user_eiunew', orgId, 'ANA@Example.com', extra));
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json()).toMatchObject({
        code: 'EMAIL_IN_USE',
        details: { reason: 'email-in-use', orgId },
        error: expect.stringContaining('ask one of its admins to remove that member'),
      });
    }
    expect(await users(orgId)).toEqual(before);
    expect(await clerk.t.engine.head(orgId as OrgId)).toBe(head);

    // Clerk's membership event for the new user adds no second member either.
    const hook = await clerk.deliver(
      clerkEvents.membership('created', {
        orgId,
        userId: 'user_eiunew',
        role: 'org:member',
        email: 'ana@example.com',
      }),
    );
    expect(hook.statusCode, hook.body).toBe(200);
    expect(hook.json().outcome).toContain(`not added: the member ${before[0]!.id}`);
    expect(await users(orgId)).toEqual(before);
    // …so the sign-in after it is still refused, not let in as a member the event made.
    const again = await me(await token('user_eiunew', orgId, 'ana@example.com'));
    expect(again.json()).toMatchObject({ code: 'EMAIL_IN_USE' });
    // The socket's hello: 4013 email_in_use (not 4003 forbidden, which a client retries), with
    // the same message (docs/protocol.md).
    const socket = await WsTestClient.open(clerk.url);
    socket.send({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      clientId: newClientId(),
      token: await token('user_eiunew', orgId, 'ana@example.com'),
    });
    const closed = await socket.waitClosed();
    expect(closed.code).toBe(WS_CLOSE.emailInUse);
    expect(closed.reason).toContain('already has the email ana@example.com');
    expect(socket.messages[0]).toMatchObject({
      type: 'error',
      code: 'email_in_use',
      message: again.json().error,
    });
    // …a close code of its own, which the AsyncAPI document lists.
    const asyncapi = (await clerk.t.app.inject({ url: '/asyncapi.json' })).json<{
      channels: { sync: { 'x-close-codes': Record<string, number> } };
    }>();
    expect(asyncapi.channels.sync['x-close-codes']).toMatchObject({ emailInUse: 4013 });
  });

  it('does not add a removed member back while another member has their email, nor change anything', async () => {
    const orgId = 'org_eiu_readd';
    const deliver = async (type: 'created' | 'deleted', userId: string) => {
      const res = await clerk.deliver(
        clerkEvents.membership(type, {
          orgId,
          userId,
          role: 'org:member',
          email: 'ray@example.com',
        }),
      );
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ outcome: string }>().outcome;
    };
    expect((await me(await token('user_eiurold', orgId, 'ray@example.com'))).statusCode).toBe(200);
    await deliver('deleted', 'user_eiurold');
    // The email is free again: a new account with it becomes the member.
    expect((await me(await token('user_eiurnew', orgId, 'ray@example.com'))).statusCode).toBe(200);
    const before = await users(orgId);
    expect(before).toEqual([expect.objectContaining({ externalId: 'user_eiurnew' })]);
    const head = await clerk.t.engine.head(orgId as OrgId);

    // Added again in Clerk: not a second member with the email, and the outcome says who has it.
    expect(await deliver('created', 'user_eiurold')).toContain(
      `not added again: the member ${before[0]!.id} now has their email`,
    );
    expect(await users(orgId)).toEqual(before);
    expect(await clerk.t.engine.head(orgId as OrgId)).toBe(head);
    const old = await me(await token('user_eiurold', orgId, 'ray@example.com'));
    expect(old.json()).toMatchObject({ code: 'MEMBER_REMOVED' });

    // Once that member is removed, the same event adds them back (it was not refused as stale).
    await deliver('deleted', 'user_eiurnew');
    expect(await deliver('created', 'user_eiurold')).toContain('is member');
    expect(await users(orgId)).toEqual([expect.objectContaining({ externalId: 'user_eiurold' })]);
  });

  it('takes over a member made by a dev sign-in once the token says the email is verified', async () => {
    const orgId = 'org_eiu_dev';
    const dev = await clerk.t.engine.upsertUser({
      externalId: devSubject('dee@example.com'),
      email: 'dee@example.com',
      name: 'Dee',
      orgId: orgId as OrgId,
      role: 'member',
    });
    const head = await clerk.t.engine.head(orgId as OrgId);

    // Unverified (no claim, or not a boolean true): refused, and told how to get in.
    for (const extra of [{}, { email_verified: false }, { email_verified: 'true' }]) {
      const res = await me(await token('user_eiudee', orgId, 'dee@example.com', extra));
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json()).toMatchObject({
        code: 'EMAIL_IN_USE',
        error: expect.stringContaining('email_verified: true'),
      });
    }
    expect(await clerk.t.engine.head(orgId as OrgId)).toBe(head);

    const res = await me(
      await token('user_eiudee', orgId, 'dee@example.com', { email_verified: true }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user).toMatchObject({ id: dev.id, externalId: 'user_eiudee' });
    expect(await users(orgId)).toEqual([
      expect.objectContaining({ id: dev.id, externalId: 'user_eiudee', email: 'dee@example.com' }),
    ]);
    // Linked for good: the next token needs no claim.
    expect((await me(await token('user_eiudee', orgId, 'dee@example.com'))).statusCode).toBe(200);
  });
});

describe('a dev sign-in with the email of a member who has a Clerk id', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('gets no token: 403 EMAIL_IN_USE, as the OpenAPI of the dev-token route says', async () => {
    const orgId = 'org_eiu_devmode' as OrgId;
    await t.engine.upsertUser({
      externalId: 'user_eiuclerk',
      email: 'eve@example.com',
      name: 'Eve',
      orgId,
      role: 'member',
    });
    const head = await t.engine.head(orgId);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-token',
      payload: { email: 'eve@example.com', name: 'Eve', orgId },
    });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json()).toMatchObject({ code: 'EMAIL_IN_USE', details: { orgId } });
    expect(await t.engine.head(orgId)).toBe(head);

    const doc = (await t.app.inject({ url: '/openapi.json' })).json<{
      paths: Record<string, { post: { responses: Record<string, { description: string }> } }>;
    }>();
    expect(doc.paths['/api/v1/auth/dev-token']!.post.responses['403']!.description).toContain(
      'EMAIL_IN_USE',
    );
  });
});

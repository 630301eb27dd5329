import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  memberActivitySchema,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  type OrgId,
  type User,
} from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import {
  bearer,
  clerkEnv,
  devToken,
  generateClerkKeyPair,
  signClerkToken,
} from './helpers/auth.js';

const users = async (t: TestApp, orgId: string) =>
  (await t.engine.list(orgId as OrgId, { entity: 'user', filter: {}, limit: 100 })).items as User[];

/** `POST /primary-data/users`: an admin invites someone by email. */
const inviteUser = (
  t: TestApp,
  token: string,
  payload: { email: string; name: string; role?: string },
) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/primary-data/users',
    headers: bearer(token),
    payload,
  });

describe('membership in dev mode: the stored role wins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const me = async (token: string) =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).json() as {
      role: string;
    };

  it('a role changed by an admin holds against the role the token claims', async () => {
    const admin = await devToken(t.app, {
      email: 'root@example.com',
      orgId: 'org_dev1',
      role: 'admin',
    });
    const member = await devToken(t.app, {
      email: 'mia@example.com',
      orgId: 'org_dev1',
      role: 'member',
    });
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/primary-data/users/${member.user.id}`,
      headers: bearer(admin.token),
      payload: { role: 'manager' },
    });
    expect(patch.statusCode).toBe(200);
    expect(await me(member.token)).toMatchObject({ role: 'manager' });
    // A dev token that claims admin does not promote its holder.
    const claimsAdmin = await devToken(t.app, {
      email: 'mia@example.com',
      orgId: 'org_dev1',
      role: 'admin',
    });
    expect(claimsAdmin.user.role).toBe('manager');
    expect(await me(claimsAdmin.token)).toMatchObject({ role: 'manager' });
    // Nor can an admin demote themselves (the org keeps its admin).
    const self = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/primary-data/users/${admin.user.id}`,
      headers: bearer(admin.token),
      payload: { role: 'member' },
    });
    expect(self.statusCode).toBe(409);
  });

  it('a removed member gets 403 with a reason, loses devices and is never re-created — until an admin invites their email again', async () => {
    const admin = await devToken(t.app, {
      email: 'root@example.com',
      orgId: 'org_dev2',
      role: 'admin',
    });
    const gone = await devToken(t.app, {
      email: 'gus@example.com',
      orgId: 'org_dev2',
      role: 'member',
    });
    const clientId = newClientId();
    const cred = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/credentials',
        headers: bearer(gone.token),
        payload: { clientId },
      })
    ).json() as { credential: string };
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/primary-data/users/${gone.user.id}`,
      headers: bearer(admin.token),
    });
    expect(del.statusCode).toBe(204);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(gone.token),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'MEMBER_REMOVED',
      details: { reason: 'member-removed' },
    });
    await expect(t.app.resolveActor(cred.credential, 'r')).rejects.toMatchObject({ status: 401 });
    // Signing in again (a fresh dev token) does not bring them back either.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-token',
      payload: { email: 'gus@example.com', name: 'Gus', orgId: 'org_dev2' },
    });
    expect(again.statusCode).toBe(403);
    expect((await users(t, 'org_dev2')).map((u) => u.email)).toEqual(['root@example.com']);
    // Nobody removes themselves.
    const self = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/primary-data/users/${admin.user.id}`,
      headers: bearer(admin.token),
    });
    expect(self.statusCode).toBe(409);

    // An admin adds them back by inviting their email again: their next sign-in takes it up
    // and brings back their own row (the same id), with the invitation's role.
    const reinvite = await inviteUser(t, admin.token, {
      email: 'Gus@example.com',
      name: 'Gus',
      role: 'manager',
    });
    expect(reinvite.statusCode).toBe(201);
    const back = await devToken(t.app, { email: 'gus@example.com', orgId: 'org_dev2' });
    expect(back.user).toMatchObject({ id: gone.user.id, role: 'manager' });
    expect(back.user.externalId).toBe(gone.user.externalId);
    // The invitation's email takes the identity's spelling, as any linked invitation does.
    expect((await users(t, 'org_dev2')).map((u) => u.email).sort()).toEqual([
      'gus@example.com',
      'root@example.com',
    ]);
  });

  it('a member added back syncs from the device they had: what it kept unsent goes through, and its client id is theirs again', async () => {
    const orgId = 'org_dev_back';
    const admin = await devToken(t.app, { email: 'root@example.com', orgId, role: 'admin' });
    const before = await devToken(t.app, { email: 'bo@example.com', orgId, role: 'member' });
    const clientId = newClientId();
    const hlc = new HybridLogicalClock(clientId);
    const sync = (token: string, path: 'push' | 'pull', body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/sync/${path}`,
        headers: bearer(token),
        payload: { protocolVersion: PROTOCOL_VERSION, clientId, ...body },
      });
    const project = await t.app.inject({
      method: 'POST',
      url: '/api/v1/primary-data/projects',
      headers: bearer(admin.token),
      payload: { name: 'Garden' },
    });
    const projectId = (project.json() as { id: string }).id;
    const create = (id: number, title: string, assigneeId: string | null = null) => ({
      id,
      type: 'task.create',
      entityId: newEntityId(),
      hlc: hlc.now(),
      fields: { projectId, title, notes: '', status: 'todo', assigneeId, dueDate: null },
    });
    // Bo's device syncs, then writes offline while an admin removes Bo and invites Bo again.
    expect(
      (await sync(before.token, 'push', { mutations: [create(1, 'Synced')] })).statusCode,
    ).toBe(200);
    // Assigned to himself, by the user id the device holds.
    const unsent = create(2, 'Written offline', before.user.id);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/primary-data/users/${before.user.id}`,
      headers: bearer(admin.token),
    });
    expect(del.statusCode).toBe(204);
    const reinvite = await inviteUser(t, admin.token, { email: 'bo@example.com', name: 'Bo' });
    expect(reinvite.statusCode).toBe(201);
    const back = await devToken(t.app, { email: 'bo@example.com', orgId });
    expect(back.user.id).toBe(before.user.id);

    // Back online, the device pulls, gets its sync credential and pushes what it kept.
    expect((await sync(back.token, 'pull', { cursor: 0 })).statusCode).toBe(200);
    const cred = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/credentials',
      headers: bearer(back.token),
      payload: { clientId },
    });
    expect(cred.statusCode).toBe(201);
    const pushed = await sync(back.token, 'push', { mutations: [unsent] });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(pushed.json()).toMatchObject({
      lastMutationId: 2,
      results: [{ id: 2, status: 'applied' }],
    });
    const tasks = await t.engine.list(orgId as OrgId, { entity: 'task', filter: {}, limit: 10 });
    expect(tasks.items.map((task) => (task as { title: string }).title).sort()).toEqual([
      'Synced',
      'Written offline',
    ]);
    expect(
      tasks.items.find((task) => (task as { title: string }).title === 'Written offline'),
    ).toMatchObject({ assigneeId: before.user.id });

    // Someone else, in the org or not, still cannot use that device's client id.
    const other = await devToken(t.app, { email: 'cy@example.com', orgId, role: 'admin' });
    expect((await sync(other.token, 'pull', { cursor: 0 })).statusCode).toBe(403);
  });

  it('removing a member or revoking an invitation unassigns their tasks, in the same change', async () => {
    const orgId = 'org_dev_unassign';
    const admin = await devToken(t.app, { email: 'root@example.com', orgId, role: 'admin' });
    const dee = await devToken(t.app, { email: 'dee@example.com', orgId, role: 'member' });
    const invited = (
      await inviteUser(t, admin.token, { email: 'eli@example.com', name: 'Eli' })
    ).json() as User;
    const rest = (method: 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
      t.app.inject({
        method,
        url: `/api/v1/primary-data/${url}`,
        headers: bearer(admin.token),
        ...(payload ? { payload } : {}),
      });
    const projectId = ((await rest('POST', 'projects', { name: 'Garden' })).json() as User).id;
    for (const [title, assigneeId] of [
      ['Water', dee.user.id],
      ['Weed', invited.id],
      ['Mow', admin.user.id],
    ] as const)
      expect((await rest('POST', 'tasks', { projectId, title, assigneeId })).statusCode).toBe(201);

    expect((await rest('DELETE', `users/${dee.user.id}`)).statusCode).toBe(204);
    expect((await rest('DELETE', `users/${invited.id}`)).statusCode).toBe(204);
    const tasks = await t.engine.list(orgId as OrgId, { entity: 'task', filter: {}, limit: 10 });
    const assignees = Object.fromEntries(
      tasks.items.map((task) => {
        const { title, assigneeId } = task as { title: string; assigneeId: string | null };
        return [title, assigneeId];
      }),
    );
    expect(assignees).toEqual({ Water: null, Weed: null, Mow: admin.user.id });
  });

  it('documents the Clerk webhook route but answers 404 while CLERK_WEBHOOK_SECRET is unset', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/clerk',
      headers: {
        'content-type': 'application/json',
        'svix-id': 'msg_1',
        'svix-timestamp': '1',
        'svix-signature': 'v1,x',
      },
      payload: '{}',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toContain('CLERK_WEBHOOK_SECRET');
  });

  it('last seen and the role source for admins only (members get 403)', async () => {
    const admin = await devToken(t.app, {
      email: 'seen-admin@example.com',
      orgId: 'org_seen',
      role: 'admin',
    });
    const member = await devToken(t.app, {
      email: 'seen-member@example.com',
      orgId: 'org_seen',
      role: 'member',
    });
    await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(member.token) });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/members/last-seen',
      headers: bearer(admin.token),
    });
    expect(res.statusCode).toBe(200);
    const body = memberActivitySchema.parse(res.json());
    expect(body.roleSource).toBe('local');
    expect(Object.keys(body.lastSeen).sort()).toEqual([admin.user.id, member.user.id].sort());
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/v1/members/last-seen',
      headers: bearer(member.token),
    });
    expect(refused.statusCode).toBe(403);
  });

  it('a user invited through REST is linked to their first sign-in by email', async () => {
    const admin = await devToken(t.app, {
      email: 'root@example.com',
      orgId: 'org_dev3',
      role: 'admin',
    });
    const invite = await inviteUser(t, admin.token, {
      email: 'ivy@example.com',
      name: 'Ivy',
      role: 'manager',
    });
    expect(invite.statusCode).toBe(201);
    const invited = invite.json() as User;
    expect(invited.externalId).toMatch(/^invited:/);
    const ivy = await devToken(t.app, {
      email: 'ivy@example.com',
      name: 'Ivy B',
      orgId: 'org_dev3',
    });
    expect(ivy.user).toMatchObject({ id: invited.id, role: 'manager', name: 'Ivy B' });
    expect(ivy.user.externalId).not.toMatch(/^invited:/);
    expect(await users(t, 'org_dev3')).toHaveLength(2);
  });

  describe('one user per email in an org (as sign-in compares them: case aside)', () => {
    const ORG = 'org_dev_emails';
    let admin: { token: string; user: User };
    const invite = (email: string, name = 'Someone') => inviteUser(t, admin.token, { email, name });
    /** What a refusal must leave as it was: the org's users and its change log's head. */
    const state = async () => {
      const pull = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/pull',
        headers: bearer(admin.token),
        payload: { protocolVersion: PROTOCOL_VERSION, clientId: newClientId(), cursor: 0 },
      });
      return { users: await users(t, ORG), head: pull.json().headCursor as number };
    };
    const refusedAs = (
      res: { statusCode: number; json(): unknown },
      email: string,
      what: string,
    ) => {
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({
        code: 'CONFLICT',
        error: expect.stringMatching(
          new RegExp(
            `^${email.replace(/[.+]/g, '\\$&')} is already the email of ${what} of this organization \\(user [0-9a-f-]{36}\\)`,
          ),
        ),
      });
    };

    beforeAll(async () => {
      admin = await devToken(t.app, { email: 'boss@example.com', orgId: ORG, role: 'admin' });
      await devToken(t.app, { email: 'mia@example.com', orgId: ORG });
    });

    it("refuses an invitation for a member's email, whatever its case, and changes nothing", async () => {
      const before = await state();
      for (const email of ['mia@example.com', 'MIA@Example.COM', 'boss@example.com']) {
        refusedAs(await invite(email), email, 'a member');
      }
      expect(await state()).toEqual(before);
    });

    it('refuses a second invitation for one email, and a PATCH giving a user a taken email', async () => {
      const first = await invite('Noa@example.com', 'Noa');
      expect(first.statusCode).toBe(201);
      const before = await state();
      refusedAs(await invite('noa@EXAMPLE.com'), 'noa@EXAMPLE.com', 'an invitation');
      const other = await invite('ola@example.com', 'Ola');
      const afterOla = await state();
      const patch = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/primary-data/users/${(other.json() as User).id}`,
        headers: bearer(admin.token),
        payload: { email: 'MIA@example.com' },
      });
      refusedAs(patch, 'MIA@example.com', 'a member');
      expect(await state()).toEqual(afterOla);
      expect(afterOla.users).toHaveLength(before.users.length + 1);
      // Its own email in another case is no conflict.
      const recased = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/primary-data/users/${(other.json() as User).id}`,
        headers: bearer(admin.token),
        payload: { email: 'Ola@example.com' },
      });
      expect(recased.statusCode).toBe(200);
    });

    it('of two invitations sent at once with one email, one is created and one refused', async () => {
      const [a, b] = await Promise.all([invite('twin@example.com'), invite('Twin@example.com')]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
      const twins = (await users(t, ORG)).filter(
        (u) => u.email.toLowerCase() === 'twin@example.com',
      );
      expect(twins).toHaveLength(1);
    });

    it('links an invitation to a sign-in whose email differs only in case', async () => {
      const invited = (await invite('Pia.Ray@Example.com', 'Pia')).json() as User;
      const pia = await devToken(t.app, {
        email: 'pia.ray@example.com',
        name: 'Pia R',
        orgId: ORG,
      });
      expect(pia.user).toMatchObject({ id: invited.id, name: 'Pia R' });
      expect(pia.user.externalId).not.toMatch(/^invited:/);
    });
  });
});

describe('membership in clerk mode: Clerk\u2019s role wins', () => {
  const keys = generateClerkKeyPair();
  const iss = 'https://members-test.clerk.accounts.dev';
  const azp = 'https://app.example.com';
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(clerkEnv(keys, iss, azp));
  });
  afterAll(() => t.close());

  const token = (sub: string, rol: string) =>
    signClerkToken(keys.privateKeyPem, {
      sub,
      iss,
      azp,
      email: `${sub}@example.com`,
      o: { id: 'org_ck1', rol, slg: 'ck' },
    });

  it('refuses REST role edits with a clear message and takes the role from the token', async () => {
    const admin = await token('user_ck_admin', 'admin');
    const memberToken = await token('user_ck_m', 'member');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(memberToken),
    });
    const member = (me.json() as { user: User }).user;
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/primary-data/users/${member.id}`,
      headers: bearer(admin),
      payload: { role: 'manager' },
    });
    expect(patch.statusCode).toBe(403);
    expect(patch.json()).toMatchObject({ code: 'ROLE_MANAGED_BY_PROVIDER' });
    expect(patch.json().error).toContain('Clerk');
    // Other fields are still editable.
    const rename = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/primary-data/users/${member.id}`,
      headers: bearer(admin),
      payload: { name: 'Renamed' },
    });
    expect(rename.statusCode).toBe(200);
    // Promoted in Clerk: the next token says manager, and that is the role.
    const promoted = await token('user_ck_m', 'manager');
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(promoted),
    });
    expect(after.json()).toMatchObject({
      role: 'manager',
      user: { id: member.id, role: 'manager' },
    });
    const activity = await t.app.inject({
      method: 'GET',
      url: '/api/v1/members/last-seen',
      headers: bearer(admin),
    });
    expect(activity.json()).toMatchObject({ roleSource: 'clerk' });
  });
});

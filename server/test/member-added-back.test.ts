import { describe, expect, it } from 'vitest';
import type { Activity, OrgId, Project, Task, User } from '@outpost/shared';
import { storeLegs } from './helpers/store-legs.js';
import { bearer } from './helpers/auth.js';
import { clerkApp } from './helpers/clerk-app.js';
import { clerkEvents } from './helpers/webhooks.js';

const P = '/api/v1/primary-data';

/**
 * A member removed and added back is the same person again: their old user row comes back
 * live (same id), so every device they had keeps working with the user id it holds, and their
 * history and projects stay theirs. Runs on SQLite, and on MongoDB when MONGODB_TEST_URI is set
 * (the logic is the engine's, over either store).
 */
const legs = storeLegs('member-added-back', 'back');

describe.each(legs)('a member removed and added back keeps their id ($name)', (leg) => {
  const clerk = clerkApp({ iss: 'https://back-test.clerk.accounts.dev', leg });
  const { deliver, token, users } = clerk;

  /** An org with an admin (Bea) and Ben, signed in, who owns a project. */
  async function orgWithBen(orgId: string) {
    const bea = await token(`user_bea_${orgId}`, orgId, 'org:admin', `bea.${orgId}@example.com`);
    const benSub = `user_ben_${orgId}`;
    const benEmail = `ben.${orgId}@example.com`;
    const benToken = await token(benSub, orgId, 'org:member', benEmail);
    const send = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      clerk.t.app.inject({
        method,
        url,
        headers: bearer(bea),
        ...(payload ? { payload } : {}),
      });
    const me = async (tk: string) =>
      clerk.t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(tk) });
    const ben = (await me(benToken)).json().user as User;
    const own = await send('POST', `${P}/projects`, { name: 'Ben’s garden', ownerId: ben.id });
    expect(own.statusCode, own.body).toBe(201);
    return { bea, benSub, benEmail, benToken, ben, send, me, ownProject: own.json() as Project };
  }

  it('an admin\u2019s invitation brings back the same row: what was given to the invitation moves to it', async () => {
    const orgId = `org_back_invite_${leg.name}`;
    const o = await orgWithBen(orgId);
    expect((await o.send('DELETE', `${P}/users/${o.ben.id}`)).statusCode).toBe(204);
    expect((await o.me(o.benToken)).statusCode).toBe(403);

    const invitation = await o.send('POST', `${P}/users`, {
      email: o.benEmail,
      name: 'Ben again',
    });
    expect(invitation.statusCode, invitation.body).toBe(201);
    const invited = invitation.json() as User;
    const project = await o.send('POST', `${P}/projects`, { name: 'Welcome', ownerId: invited.id });
    const task = await o.send('POST', `${P}/tasks`, {
      projectId: project.json().id,
      title: 'Say hello',
      assigneeId: invited.id,
    });
    expect(task.statusCode, task.body).toBe(201);

    // Ben's sign-in (the token his device already has) takes the invitation up: his old id.
    const back = await o.me(o.benToken);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().user).toMatchObject({
      id: o.ben.id,
      externalId: o.benSub,
      email: o.benEmail,
      // Clerk mode: the role is the provider's.
      role: 'member',
      createdAt: o.ben.createdAt,
    });
    const now = await users(orgId);
    expect(now.map((u) => u.id).sort()).toEqual(
      [o.ben.id, now.find((u) => u.externalId === `user_bea_${orgId}`)!.id].sort(),
    );
    expect(
      await clerk.t.engine.get(orgId as OrgId, 'task', (task.json() as Task).id),
    ).toMatchObject({ assigneeId: o.ben.id });
    expect(await clerk.t.engine.get(orgId as OrgId, 'project', project.json().id)).toMatchObject({
      ownerId: o.ben.id,
    });
    // The project he owned before is his again (a live owner).
    expect(await clerk.t.engine.get(orgId as OrgId, 'project', o.ownProject.id)).toMatchObject({
      ownerId: o.ben.id,
    });
    // His row's history (newest first) says he was added back, and why; the invitation's, where it went.
    const history = async (entityId: string) =>
      (await o.send('GET', `/api/v1/activities?entityId=${entityId}`)).json().data as Activity[];
    expect((await history(o.ben.id)).map((a) => a.action)).toEqual(['create', 'delete', 'create']);
    expect((await history(o.ben.id))[0]).toMatchObject({
      action: 'create',
      entity: 'user',
      reason: `added back: the invitation ${invited.id} for their email was made after they were removed, and they signed in`,
    });
    expect((await history(invited.id)).find((a) => a.action === 'delete')).toMatchObject({
      reason: `invitation taken up: the user ${o.ben.id} now has this email (from the identity provider) and keeps their role`,
    });

    // One email, one member: another identity with Ben's email is still refused.
    const other = await token(`user_other_${orgId}`, orgId, 'org:member', o.benEmail);
    const refused = await o.me(other);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'EMAIL_IN_USE' });
  });

  it('a plain invitation still links as before, and a removal after the invitation does not revive', async () => {
    const orgId = `org_back_rules_${leg.name}`;
    const o = await orgWithBen(orgId);
    // Someone never removed: their invitation is their row, as before.
    const ivy = await o.send('POST', `${P}/users`, {
      email: `ivy.${orgId}@example.com`,
      name: 'Ivy',
    });
    expect(ivy.statusCode, ivy.body).toBe(201);
    const ivyMe = await o.me(
      await token(`user_ivy_${orgId}`, orgId, 'org:member', `ivy.${orgId}@example.com`),
    );
    expect(ivyMe.json().user).toMatchObject({ id: ivy.json().id });

    // An invitation for Ben's new address, made while he was still a member; then removed.
    const newEmail = `ben.new.${orgId}@example.com`;
    expect((await o.send('POST', `${P}/users`, { email: newEmail, name: 'Ben' })).statusCode).toBe(
      201,
    );
    expect((await o.send('DELETE', `${P}/users/${o.ben.id}`)).statusCode).toBe(204);
    const late = await o.me(await token(o.benSub, orgId, 'org:member', newEmail));
    expect(late.statusCode).toBe(403);
    expect(late.json()).toMatchObject({ code: 'MEMBER_REMOVED' });
    expect((await users(orgId)).map((u) => u.id)).not.toContain(o.ben.id);
  });

  it('a Clerk membership re-created brings back the same row', async () => {
    const orgId = `org_back_hook_${leg.name}`;
    const o = await orgWithBen(orgId);
    const membership = (type: 'created' | 'deleted') =>
      deliver(
        clerkEvents.membership(type, {
          orgId,
          userId: o.benSub,
          role: 'org:member',
          email: o.benEmail,
        }),
      );
    expect((await membership('deleted')).statusCode).toBe(200);
    expect((await users(orgId)).map((u) => u.id)).not.toContain(o.ben.id);
    expect((await membership('created')).statusCode).toBe(200);
    expect((await users(orgId)).find((u) => u.externalId === o.benSub)).toMatchObject({
      id: o.ben.id,
    });
    expect((await o.me(o.benToken)).json().user).toMatchObject({ id: o.ben.id });
  });
});

import { describe, expect, it } from 'vitest';
import type { Activity, OrgId, Project, Task, User } from '@outpost/shared';
import { storeLegs } from './helpers/store-legs.js';
import { bearer } from './helpers/auth.js';
import { clerkApp } from './helpers/clerk-app.js';
import { clerkEvents } from './helpers/webhooks.js';

const P = '/api/v1/primary-data';

/**
 * The org holds each email once. The identity provider cannot be refused, so an email it gives
 * a member (a `user.updated` webhook, or the email in their token at sign-in) that a pending
 * invitation of the org holds takes the invitation up. Runs on SQLite, and on MongoDB when
 * MONGODB_TEST_URI is set (the logic is the engine's, over either store).
 */
const legs = storeLegs('invitation-taken-up', 'invite');

describe.each(legs)('a pending invitation taken up by a member ($name)', (leg) => {
  const clerk = clerkApp({ iss: 'https://invite-test.clerk.accounts.dev', leg });
  const { deliver, token, users } = clerk;

  /** An org with an admin (Bea) and a member (Ana); Bea invites `invited` and gives it a task and a project. */
  async function orgWithInvitation(orgId: string, invited: string) {
    const bea = await token(`user_bea_${orgId}`, orgId, 'org:admin', `bea.${orgId}@example.com`);
    const ana = `user_ana_${orgId}`;
    const joined = await deliver(
      clerkEvents.membership('created', {
        orgId,
        userId: ana,
        role: 'org:member',
        email: `ana.${orgId}@example.com`,
      }),
    );
    expect(joined.statusCode, joined.body).toBe(200);
    const send = (method: 'POST', url: string, payload: object) =>
      clerk.t.app.inject({ method, url, headers: bearer(bea), payload });
    const invitation = await send('POST', `${P}/users`, { email: invited, name: 'Ana at work' });
    expect(invitation.statusCode, invitation.body).toBe(201);
    const project = await send('POST', `${P}/projects`, {
      name: 'Onboarding',
      ownerId: invitation.json().id,
    });
    expect(project.statusCode, project.body).toBe(201);
    const task = await send('POST', `${P}/tasks`, {
      projectId: project.json().id,
      title: 'Read the handbook',
      assigneeId: invitation.json().id,
    });
    expect(task.statusCode, task.body).toBe(201);
    const anaRow = (await users(orgId)).find((u) => u.externalId === ana)!;
    return {
      ana,
      anaRow,
      bea,
      invitation: invitation.json() as User,
      project: project.json() as Project,
      task: task.json() as Task,
    };
  }

  async function expectTakenUp(
    orgId: string,
    o: Awaited<ReturnType<typeof orgWithInvitation>>,
    email: string,
  ) {
    const now = await users(orgId);
    // One user per email: Ana, with the new email and her own role; the invitation is gone.
    expect(now.filter((u) => u.email.trim().toLowerCase() === email.trim().toLowerCase())).toEqual([
      expect.objectContaining({ id: o.anaRow.id, email, role: 'member', externalId: o.ana }),
    ]);
    expect(now.map((u) => u.id)).not.toContain(o.invitation.id);
    // What was given to the invitation is hers.
    expect(await clerk.t.engine.get(orgId as OrgId, 'task', o.task.id)).toMatchObject({
      assigneeId: o.anaRow.id,
    });
    expect(await clerk.t.engine.get(orgId as OrgId, 'project', o.project.id)).toMatchObject({
      ownerId: o.anaRow.id,
    });
    // Whoever invited sees where it went, in the invitation's history.
    const history = await clerk.t.app.inject({
      method: 'GET',
      url: `/api/v1/activities?entityId=${o.invitation.id}`,
      headers: bearer(o.bea),
    });
    expect(history.statusCode, history.body).toBe(200);
    expect((history.json().data as Activity[]).find((a) => a.action === 'delete')).toMatchObject({
      entity: 'user',
      reason: `invitation taken up: the user ${o.anaRow.id} now has this email (from the identity provider) and keeps their role`,
    });
  }

  it('by a user.updated webhook giving the member its email (case aside); a replay changes nothing', async () => {
    const orgId = `org_inv_hook_${leg.name}`;
    const o = await orgWithInvitation(orgId, 'Ana.Work@Example.com');
    const event = clerkEvents.user('updated', {
      userId: o.ana,
      email: 'ana.work@example.com',
      first: 'Ana',
      last: 'Lima',
    });
    const res = await deliver(event);
    expect(res.statusCode, res.body).toBe(200);
    await expectTakenUp(orgId, o, 'ana.work@example.com');
    const head = await clerk.t.engine.head(orgId as OrgId);
    expect((await deliver(event)).statusCode).toBe(200);
    expect(await clerk.t.engine.head(orgId as OrgId)).toBe(head);
  });

  it('by the email in the member\u2019s token at sign-in', async () => {
    const orgId = `org_inv_token_${leg.name}`;
    const o = await orgWithInvitation(orgId, 'ana.signin@example.com');
    const me = await clerk.t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(await token(o.ana, orgId, 'org:member', 'ana.signin@example.com')),
    });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().user).toMatchObject({ id: o.anaRow.id, email: 'ana.signin@example.com' });
    await expectTakenUp(orgId, o, 'ana.signin@example.com');
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  type HlcString,
  type OrgId,
} from '@outpost/shared';
import { SqliteStore } from '../src/store/sqlite.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';

const P = '/api/v1/primary-data';

describe('REST primary data', () => {
  let t: TestApp;
  let admin: { token: string; user: { id: string; orgId: string } };
  let member: { token: string; user: { id: string } };
  const org = 'org_rest';

  const req = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    token: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: { ...bearer(token), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  /** The org's whole visible state: change-log head plus every project and task. */
  const snapshot = async () => ({
    head: await t.engine.head(org as OrgId),
    projects: (await t.engine.list(org as OrgId, { entity: 'project', filter: {}, limit: 1000 }))
      .items,
    tasks: (await t.engine.list(org as OrgId, { entity: 'task', filter: {}, limit: 1000 })).items,
  });

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await devToken(t.app, { email: 'admin@example.com', orgId: org, role: 'admin' });
    member = await devToken(t.app, { email: 'member@example.com', orgId: org, role: 'member' });
  });
  afterAll(() => t.close());

  it('creates a project with defaults, a Location and an ETag, and gets it back', async () => {
    const res = await req('POST', `${P}/projects`, admin.token, { name: 'Launch' });
    expect(res.statusCode).toBe(201);
    const project = res.json();
    expect(project).toMatchObject({
      name: 'Launch',
      description: '',
      status: 'active',
      ownerId: admin.user.id,
      orgId: org,
    });
    expect(res.headers.location).toBe(`${P}/projects/${project.id}`);
    expect(res.headers.etag).toBe(`"${project.version}"`);

    const got = await req('GET', `${P}/projects/${project.id}`, member.token);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(project);
    expect(got.headers.etag).toBe(`"${project.version}"`);
    expect(got.headers['cache-control']).toBe('private, no-cache');
    const cached = await req('GET', `${P}/projects/${project.id}`, member.token, undefined, {
      'if-none-match': `"${project.version}"`,
    });
    expect(cached.statusCode).toBe(304);
    // RFC 9110: a list, compared weakly; `*` matches any current row.
    for (const inm of [`"0", "${project.version}"`, `W/"${project.version}"`, '*']) {
      const res = await req('GET', `${P}/projects/${project.id}`, member.token, undefined, {
        'if-none-match': inm,
      });
      expect(res.statusCode, inm).toBe(304);
      expect(res.headers.etag, inm).toBe(`"${project.version}"`);
    }
    const stale = await req('GET', `${P}/projects/${project.id}`, member.token, undefined, {
      'if-none-match': `"0", W/"${project.version + 1}"`,
    });
    expect(stale.statusCode).toBe(200);
    // The list is split between quoted tags, not at every comma; `*` stands alone.
    for (const inm of [`"a,b", "${project.version}"`, ` , W/"x,y" ,"${project.version}"`]) {
      const res = await req('GET', `${P}/projects/${project.id}`, member.token, undefined, {
        'if-none-match': inm,
      });
      expect(res.statusCode, inm).toBe(304);
    }
    for (const inm of [`${project.version}`, `*, "0"`, `"${project.version}", *`, `"0" "1"`]) {
      const res = await req('GET', `${P}/projects/${project.id}`, member.token, undefined, {
        'if-none-match': inm,
      });
      expect(res.statusCode, inm).toBe(400);
      expect(res.json(), inm).toMatchObject({
        code: 'BAD_REQUEST',
        error: expect.stringMatching(/^If-None-Match must be/),
        details: { ifNoneMatch: inm },
      });
    }
    // Checked before the row is looked up, as If-Match is: a missing row is 400 too.
    const missing = await req('GET', `${P}/projects/${newEntityId()}`, member.token, undefined, {
      'if-none-match': '12',
    });
    expect(missing.statusCode).toBe(400);
  });

  it('accepts a client-supplied UUIDv7 id and creates tasks with defaults', async () => {
    const id = newEntityId();
    const project = (await req('POST', `${P}/projects`, admin.token, { id, name: 'Mine' })).json();
    expect(project.id).toBe(id);
    const task = await req('POST', `${P}/tasks`, member.token, {
      projectId: id,
      title: 'Write copy',
    });
    expect(task.statusCode).toBe(201);
    expect(task.json()).toMatchObject({
      projectId: id,
      title: 'Write copy',
      notes: '',
      status: 'todo',
      assigneeId: null,
      dueDate: null,
    });
    const again = await req('POST', `${P}/projects`, admin.token, { id, name: 'Dup' });
    expect(again.statusCode).toBe(409);
    // The same UUID in upper case would be a second row (ids compare as text): refused.
    const before = await snapshot();
    const upper = await req('POST', `${P}/projects`, admin.token, {
      id: id.toUpperCase(),
      name: 'Dup',
    });
    expect(upper.statusCode).toBe(400);
    expect(upper.json().details).toEqual([
      { path: '/id', message: 'must be a UUIDv7 in lower case, as generated' },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('finds a row by its id in upper case (UUIDs are case-insensitive) to read, update and delete it', async () => {
    const project = (await req('POST', `${P}/projects`, admin.token, { name: 'Cased' })).json();
    const task = (
      await req('POST', `${P}/tasks`, member.token, { projectId: project.id, title: 'Cased' })
    ).json();
    const UP = task.id.toUpperCase();
    const got = await req('GET', `${P}/tasks/${UP}`, member.token);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toEqual(task);
    const patched = await req(
      'PATCH',
      `${P}/tasks/${UP}`,
      member.token,
      { title: 'Up' },
      {
        'if-match': `"${task.version}"`,
      },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ id: task.id, title: 'Up' });
    const put = await req('PUT', `${P}/tasks/${UP}`, member.token, {
      projectId: project.id,
      title: 'Put',
      notes: '',
      status: 'doing',
      assigneeId: null,
      dueDate: null,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ id: task.id, title: 'Put', status: 'doing' });
    // Still one row of that UUID, in lower case.
    const titled = await req('GET', `${P}/tasks?projectId=${project.id}`, member.token);
    expect(titled.json().data.map((r: { id: string }) => r.id)).toEqual([task.id]);
    const deleted = await req('DELETE', `${P}/tasks/${UP}`, admin.token);
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await req('GET', `${P}/tasks/${task.id}`, member.token)).statusCode).toBe(404);
    expect((await req('GET', `${P}/tasks/${UP}`, member.token)).json()).toEqual({
      error: `No task ${UP}`,
      code: 'NOT_FOUND',
    });
  });

  it('a reference or an id filter in upper case names the row too, as a path does', async () => {
    const project = (await req('POST', `${P}/projects`, admin.token, { name: 'Refs' })).json();
    const PROJECT = project.id.toUpperCase();
    const MEMBER = member.user.id.toUpperCase();
    const created = await req('POST', `${P}/tasks`, member.token, {
      projectId: PROJECT,
      title: 'Referenced in upper case',
      assigneeId: MEMBER,
    });
    expect(created.statusCode, created.body).toBe(201);
    const task = created.json();
    // Stored as the rows' ids are, so the task is in the project and assigned to the member.
    expect(task).toMatchObject({ projectId: project.id, assigneeId: member.user.id });
    const patched = await req('PATCH', `${P}/tasks/${task.id}`, member.token, {
      assigneeId: admin.user.id.toUpperCase(),
    });
    expect(patched.json()).toMatchObject({ assigneeId: admin.user.id });
    const ids = async (query: string) =>
      (await req('GET', `${P}/tasks?${query}`, member.token))
        .json()
        .data.map((r: { id: string }) => r.id);
    expect(await ids(`projectId=${PROJECT}`)).toEqual([task.id]);
    expect(await ids(`projectId=${PROJECT}&assigneeId=${admin.user.id.toUpperCase()}`)).toEqual([
      task.id,
    ]);
    const owned = await req(
      'GET',
      `${P}/projects?ownerId=${admin.user.id.toUpperCase()}`,
      admin.token,
    );
    expect(owned.json().data.map((r: { id: string }) => r.id)).toContain(project.id);
    // A reference to no row is still refused, in either case, and changes nothing.
    const before = await snapshot();
    const missing = await req('POST', `${P}/tasks`, member.token, {
      projectId: newEntityId().toUpperCase(),
      title: 'Nowhere',
    });
    expect(missing.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('an id in upper case is yours for the permission rules too: removing yourself is refused', async () => {
    const res = await req('DELETE', `${P}/users/${admin.user.id.toUpperCase()}`, admin.token);
    expect(res.statusCode, res.body).toBe(409);
    expect((await req('GET', `${P}/users/${admin.user.id}`, admin.token)).statusCode).toBe(200);
  });

  it('a row stored in upper case before creates refused that is still the one its id names', async () => {
    const store = new SqliteStore({ dataDir: t.dataDir });
    const project = (await req('POST', `${P}/projects`, admin.token, { name: 'Legacy' })).json();
    const id = newEntityId().toUpperCase();
    const data = {
      ...project,
      id,
      name: 'Stored upper',
    };
    try {
      await store.transact((tx) =>
        tx.writeRow({
          entity: 'project',
          id,
          orgId: org as OrgId,
          data,
          clocks: { name: '000000000000001-00000-legacy' as HlcString },
          deleted: null,
        }),
      );
    } finally {
      await store.close();
    }
    const got = await req('GET', `${P}/projects/${id}`, member.token);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toMatchObject({ id, name: 'Stored upper' });
    expect((await req('GET', `${P}/projects/${id.toLowerCase()}`, member.token)).statusCode).toBe(
      404,
    );
    // A task can still be added to it and listed by it, by its id as stored.
    const task = await req('POST', `${P}/tasks`, member.token, { projectId: id, title: 'Old' });
    expect(task.statusCode, task.body).toBe(201);
    expect(task.json().projectId).toBe(id);
    const listed = await req('GET', `${P}/tasks?projectId=${id}`, member.token);
    expect(listed.json().data.map((r: { id: string }) => r.id)).toEqual([task.json().id]);
  });

  it('lists with equality filters and an opaque cursor, every row exactly once', async () => {
    const project = (await req('POST', `${P}/projects`, admin.token, { name: 'Paged' })).json();
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const status = i % 2 === 0 ? 'doing' : 'todo';
      made.push(
        (
          await req('POST', `${P}/tasks`, member.token, {
            projectId: project.id,
            title: `t${i}`,
            status,
            assigneeId: i === 0 ? member.user.id : null,
          })
        ).json().id,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `${P}/tasks?projectId=${project.id}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await req('GET', url, member.token);
      expect(page.statusCode).toBe(200);
      const body = page.json() as { data: { id: string }[]; nextCursor: string | null };
      expect(body.data.length).toBeLessThanOrEqual(3);
      seen.push(...body.data.map((r) => r.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual([...made].sort());
    expect(pages).toBe(3);

    // A cursor is a place in its own list: the tasks cursor is refused by the other lists.
    const first = (
      await req('GET', `${P}/tasks?projectId=${project.id}&limit=3`, member.token)
    ).json() as { nextCursor: string };
    for (const other of ['projects', 'users']) {
      const res = await req('GET', `${P}/${other}?cursor=${first.nextCursor}`, member.token);
      expect(res.statusCode, other).toBe(400);
      expect(res.json(), other).toEqual({
        error: `\`cursor\` is from another list (tasks, not ${other}): pass back a \`nextCursor\` of this one`,
        code: 'BAD_CURSOR',
      });
    }
    // One that does not decode is refused the same way, naming `cursor` first.
    const garbage = await req('GET', `${P}/tasks?cursor=garbage`, member.token);
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json()).toEqual({
      error: '`cursor` is not valid: pass back the `nextCursor` of a previous page',
      code: 'BAD_CURSOR',
    });
    // One made before cursors named their list and filters is refused, saying to start over.
    for (const older of [{ after: made[0] }, { after: made[0], of: 'task' }]) {
      const cursor = Buffer.from(JSON.stringify(older)).toString('base64url');
      const res = await req(
        'GET',
        `${P}/tasks?projectId=${project.id}&cursor=${cursor}`,
        member.token,
      );
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'BAD_CURSOR',
        error: expect.stringMatching(/^`cursor`/),
      });
    }

    const doing = (
      await req('GET', `${P}/tasks?projectId=${project.id}&status=doing`, member.token)
    ).json();
    expect(doing.data).toHaveLength(4);
    const unassigned = (
      await req('GET', `${P}/tasks?projectId=${project.id}&assigneeId=null`, member.token)
    ).json();
    expect(unassigned.data).toHaveLength(6);
    const mine = (await req('GET', `${P}/tasks?assigneeId=${member.user.id}`, member.token)).json();
    expect(mine.data.map((r: { id: string }) => r.id)).toEqual([made[0]]);
    const users = (await req('GET', `${P}/users?role=member`, admin.token)).json();
    expect(users.data.map((u: { id: string }) => u.id)).toContain(member.user.id);
  });

  it('a cursor is bound to the filters it was made for: other filters are 400 naming `cursor`', async () => {
    const project = (await req('POST', `${P}/projects`, admin.token, { name: 'Bound' })).json();
    const other = (await req('POST', `${P}/projects`, admin.token, { name: 'Other' })).json();
    for (let i = 0; i < 4; i++) {
      for (const status of ['todo', 'done'])
        await req('POST', `${P}/tasks`, member.token, {
          projectId: project.id,
          title: `${status}${i}`,
          status,
        });
    }
    const page = async (query: string) => {
      const res = await req('GET', `${P}/tasks?${query}`, member.token);
      return { status: res.statusCode, body: res.json() };
    };
    const first = await page(`projectId=${project.id}&status=todo&limit=2`);
    const cursor = encodeURIComponent(first.body.nextCursor as string);

    // The same filters, in any order, an id in other case, another limit: the next page.
    for (const same of [
      `projectId=${project.id}&status=todo&limit=2&cursor=${cursor}`,
      `status=todo&cursor=${cursor}&projectId=${project.id.toUpperCase()}&limit=5`,
    ]) {
      const next = await page(same);
      expect(next.status, same).toBe(200);
      expect(next.body.data.map((t: { title: string }) => t.title).sort(), same).toEqual([
        'todo2',
        'todo3',
      ]);
    }
    // Another value, a filter added or left out, another project: refused, never mixed.
    for (const changed of [
      `projectId=${project.id}&status=done&limit=2&cursor=${cursor}`,
      `projectId=${project.id}&limit=2&cursor=${cursor}`,
      `status=todo&limit=2&cursor=${cursor}`,
      `projectId=${project.id}&status=todo&assigneeId=null&cursor=${cursor}`,
      `projectId=${other.id}&status=todo&cursor=${cursor}`,
    ]) {
      const res = await page(changed);
      expect(res.status, changed).toBe(400);
      expect(res.body, changed).toEqual({
        code: 'BAD_CURSOR',
        error:
          '`cursor` was made for other filters of this list: pass it back with the filters of the page that gave it, or start again without a cursor',
      });
    }
  });

  it("a cursor is bound to its org: another org's cursor is 400 BAD_CURSOR, not a place in this org's list", async () => {
    const elsewhere = await devToken(t.app, {
      email: 'other@example.com',
      orgId: 'org_rest_elsewhere',
      role: 'admin',
    });
    for (const name of ['E1', 'E2', 'E3'])
      await req('POST', `${P}/projects`, elsewhere.token, { name });
    for (const name of ['O1', 'O2']) await req('POST', `${P}/projects`, admin.token, { name });
    const theirs = (await req('GET', `${P}/projects?limit=1`, elsewhere.token)).json() as {
      nextCursor: string;
    };
    const ours = (await req('GET', `${P}/projects?limit=1`, admin.token)).json() as {
      nextCursor: string;
    };
    // The same list (projects, no filters) in this org: refused, saying why.
    const res = await req('GET', `${P}/projects?limit=1&cursor=${theirs.nextCursor}`, admin.token);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'BAD_CURSOR',
      error:
        "`cursor` was made for another org's list: pass back a `nextCursor` of this org's list, or start again without a cursor",
    });
    // This org's own cursor still pages, and so does theirs in their org.
    expect(
      (await req('GET', `${P}/projects?cursor=${ours.nextCursor}`, admin.token)).statusCode,
    ).toBe(200);
    const next = await req('GET', `${P}/projects?cursor=${theirs.nextCursor}`, elsewhere.token);
    expect(next.json().data.map((p: { name: string }) => p.name)).toEqual(['E2', 'E3']);
    // A cursor made before cursors named their org: refused, saying to start again.
    const { o: _org, ...unbound } = JSON.parse(
      Buffer.from(ours.nextCursor, 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    const older = Buffer.from(JSON.stringify(unbound)).toString('base64url');
    const stale = await req('GET', `${P}/projects?cursor=${older}`, admin.token);
    expect(stale.statusCode).toBe(400);
    expect(stale.json()).toEqual({
      code: 'BAD_CURSOR',
      error:
        '`cursor` was made by an older server and does not say which list it was made for: start again without a cursor',
    });
  });

  it('PATCH changes some fields, PUT replaces all, If-Match guards both (412 leaves the row alone)', async () => {
    const project = (
      await req('POST', `${P}/projects`, admin.token, { name: 'Edit me', description: 'd' })
    ).json();
    const patched = await req(
      'PATCH',
      `${P}/projects/${project.id}`,
      admin.token,
      { status: 'archived' },
      { 'if-match': `"${project.version}"` },
    );
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Edit me', description: 'd', status: 'archived' });
    const v2 = patched.json().version;
    expect(v2).toBeGreaterThan(project.version);
    expect(patched.headers.etag).toBe(`"${v2}"`);

    const stale = await req(
      'PATCH',
      `${P}/projects/${project.id}`,
      admin.token,
      { name: 'Lost' },
      { 'if-match': `"${project.version}"` },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((await req('GET', `${P}/projects/${project.id}`, admin.token)).json().name).toBe(
      'Edit me',
    );

    const partialPut = await req('PUT', `${P}/projects/${project.id}`, admin.token, {
      name: 'Only name',
    });
    expect(partialPut.statusCode).toBe(400);
    const put = await req(
      'PUT',
      `${P}/projects/${project.id}`,
      admin.token,
      { name: 'Replaced', description: '', status: 'active', ownerId: admin.user.id },
      { 'if-match': `"${v2}"` },
    );
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ name: 'Replaced', description: '', status: 'active' });

    const badHeader = await req(
      'PATCH',
      `${P}/projects/${project.id}`,
      admin.token,
      { name: 'x' },
      { 'if-match': 'yesterday' },
    );
    expect(badHeader.statusCode).toBe(400);
  });

  it('a row sent back as it was read is taken when a user it names has been removed since', async () => {
    // Found by following the docs: GET a task, remove its assignee, PUT the task back with a
    // new title — the unchanged assigneeId was refused as "user … is deleted".
    const invited = (
      await req('POST', `${P}/users`, admin.token, {
        email: 'leaving@example.com',
        name: 'Leaving',
        role: 'member',
      })
    ).json();
    const project = (
      await req('POST', `${P}/projects`, admin.token, { name: 'Theirs', ownerId: invited.id })
    ).json();
    const task = (
      await req('POST', `${P}/tasks`, admin.token, {
        projectId: project.id,
        title: 'Theirs too',
        assigneeId: invited.id,
      })
    ).json();
    const other = (
      await req('POST', `${P}/tasks`, admin.token, { projectId: project.id, title: 'Unassigned' })
    ).json();
    expect((await req('DELETE', `${P}/users/${invited.id}`, admin.token)).statusCode).toBe(204);

    const { projectId, notes, status, assigneeId, dueDate } = (
      await req('GET', `${P}/tasks/${task.id}`, admin.token)
    ).json();
    const put = await req('PUT', `${P}/tasks/${task.id}`, admin.token, {
      projectId,
      title: 'Renamed',
      notes,
      status,
      assigneeId,
      dueDate,
    });
    expect(put.statusCode, put.body).toBe(200);
    // The removal unassigned the task (a project keeps its owner).
    expect(put.json()).toMatchObject({ title: 'Renamed', assigneeId: null });

    const got = (await req('GET', `${P}/projects/${project.id}`, admin.token)).json();
    expect(got.ownerId).toBe(invited.id);
    const putProject = await req('PUT', `${P}/projects/${project.id}`, admin.token, {
      name: 'Renamed project',
      description: got.description,
      status: got.status,
      ownerId: got.ownerId,
    });
    expect(putProject.statusCode, putProject.body).toBe(200);
    const patch = await req('PATCH', `${P}/projects/${project.id}`, admin.token, {
      ownerId: invited.id.toUpperCase(),
      description: 'Still theirs',
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json()).toMatchObject({ description: 'Still theirs', ownerId: invited.id });

    // Giving a row a reference to the removed user is still refused, and writes nothing.
    const before = await snapshot();
    const assign = await req('PATCH', `${P}/tasks/${other.id}`, admin.token, {
      assigneeId: invited.id,
    });
    expect(assign.statusCode).toBe(400);
    expect(assign.json()).toMatchObject({
      code: 'VALIDATION',
      details: [{ path: '/assigneeId', message: `assigneeId: user ${invited.id} is deleted` }],
    });
    const create = await req('POST', `${P}/tasks`, admin.token, {
      projectId: project.id,
      title: 'New',
      assigneeId: invited.id,
    });
    expect(create.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('a user sent back with the email they have is taken even when the identity provider gave another member that email', async () => {
    // The identity provider cannot be refused, so two members of one org may share an email
    // (a user.updated webhook giving a member another's email; a first sign-in with a member's
    // email is refused instead: email-in-use.test.ts); only a REST email change is refused for
    // it (protocol.md, Membership).
    const shared = 'shared@example.com';
    const one = await t.engine.upsertUser({
      externalId: 'ext_dup_one',
      email: shared,
      name: 'One',
      orgId: org as OrgId,
      role: 'member',
    });
    const two = await t.engine.upsertUser({
      externalId: 'ext_dup_two',
      email: 'two@example.com',
      name: 'Two',
      orgId: org as OrgId,
      role: 'member',
    });
    expect(
      await t.engine.syncProfile(
        'ext_dup_two',
        { email: shared },
        { requestId: 'msg_dup_two', reason: 'Clerk webhook user.updated (msg_dup_two)' },
      ),
    ).toBe(1);
    expect(two.id).not.toBe(one.id);
    const put = await req('PUT', `${P}/users/${one.id}`, admin.token, {
      email: shared,
      name: 'One renamed',
      role: 'manager',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ email: shared, name: 'One renamed', role: 'manager' });
    const recased = await req('PATCH', `${P}/users/${two.id}`, admin.token, {
      email: 'Shared@Example.com',
    });
    expect(recased.statusCode, recased.body).toBe(200);
    // Giving the email to a third user is still refused.
    const third = (
      await req('POST', `${P}/users`, admin.token, {
        email: 'third@example.com',
        name: 'Third',
        role: 'member',
      })
    ).json();
    const taken = await req('PATCH', `${P}/users/${third.id}`, admin.token, { email: shared });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'CONFLICT' });
  });

  it('If-Match follows RFC 9110: strong comparison, any of a list, `*` for a live row, 400 when malformed', async () => {
    const project = (await req('POST', `${P}/projects`, admin.token, { name: 'Guarded' })).json();
    const url = `${P}/projects/${project.id}`;
    const v = project.version as number;
    const before = await snapshot();
    const patch = (ifMatch: string) =>
      req('PATCH', url, admin.token, { name: 'Changed' }, { 'if-match': ifMatch });

    // A weak tag never matches, even naming the current version; nor does an unknown tag.
    for (const ifMatch of [`W/"${v}"`, `W/"${v}", W/"${v + 1}"`, '"yesterday"', `"0${v}"`]) {
      const res = await patch(ifMatch);
      expect(res.statusCode, ifMatch).toBe(412);
      expect(res.json(), ifMatch).toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { ifMatch, current: v },
      });
    }
    // Malformed (an unquoted version included) is a 400 naming the header.
    for (const ifMatch of [`${v}`, `"${v}" "${v + 1}"`, `*, "${v}"`, ',', `w/"${v}"`]) {
      const res = await patch(ifMatch);
      expect(res.statusCode, ifMatch).toBe(400);
      expect(res.json(), ifMatch).toMatchObject({ code: 'BAD_REQUEST', details: { ifMatch } });
    }
    expect(await snapshot()).toEqual(before);

    // Any member of a list may match.
    const listed = await patch(`"${v + 100}", W/"${v + 1}", "${v}"`);
    expect(listed.statusCode).toBe(200);
    const v2 = listed.json().version as number;
    // `*` matches the live row, whatever its version.
    expect((await patch('*')).statusCode).toBe(200);

    const delWeak = await req('DELETE', url, admin.token, undefined, { 'if-match': `W/"${v2}"` });
    expect(delWeak.statusCode).toBe(412);
    expect((await req('DELETE', url, admin.token, undefined, { 'if-match': '*' })).statusCode).toBe(
      204,
    );
    // A deleted or never-created row is 404 with or without a precondition (RFC 9110 §13.2.1:
    // a failure found before the request is processed takes precedence over preconditions).
    for (const target of [url, `${P}/projects/${newEntityId()}`]) {
      for (const method of ['PATCH', 'DELETE'] as const) {
        const body = method === 'PATCH' ? { name: 'x' } : undefined;
        const res = await req(method, target, admin.token, body, { 'if-match': '*' });
        expect(res.statusCode, `${method} ${target}`).toBe(404);
      }
    }
  });

  it('If-Match on a GET or HEAD of a row is evaluated too: 412 when no tag matches strongly', async () => {
    const project = (
      await req('POST', `${P}/projects`, admin.token, { name: 'Read guard' })
    ).json();
    const url = `${P}/projects/${project.id}`;
    const v = project.version as number;
    const read = (method: 'GET' | 'HEAD', headers: Record<string, string>) =>
      t.app.inject({ method, url, headers: { ...bearer(member.token), ...headers } });

    for (const method of ['GET', 'HEAD'] as const) {
      // A weak tag never matches, even naming the current version; nor does another version.
      for (const ifMatch of [`W/"${v}"`, `"${v + 1}"`, `"0", W/"${v}"`]) {
        const res = await read(method, { 'if-match': ifMatch });
        expect(res.statusCode, `${method} ${ifMatch}`).toBe(412);
        if (method === 'GET') {
          expect(res.json(), ifMatch).toMatchObject({
            code: 'PRECONDITION_FAILED',
            details: { ifMatch, current: v },
          });
        }
      }
      // The current ETag, any member of a list, or `*` matches: the row as without the header.
      for (const ifMatch of [`"${v}"`, `"0", "${v}"`, '*']) {
        const res = await read(method, { 'if-match': ifMatch });
        expect(res.statusCode, `${method} ${ifMatch}`).toBe(200);
        expect(res.headers['etag']).toBe(`"${v}"`);
      }
      // If-Match is evaluated before If-None-Match (RFC 9110 §13.2.2).
      const both = await read(method, { 'if-match': `"${v + 1}"`, 'if-none-match': `"${v}"` });
      expect(both.statusCode, method).toBe(412);
      const notModified = await read(method, { 'if-match': `"${v}"`, 'if-none-match': `"${v}"` });
      expect(notModified.statusCode, method).toBe(304);
    }
    // Malformed is 400 before the row is looked up; a missing row is 404 whatever it names.
    const bad = await read('GET', { 'if-match': `${v}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST', details: { ifMatch: `${v}` } });
    const missing = await t.app.inject({
      method: 'GET',
      url: `${P}/projects/${newEntityId()}`,
      headers: { ...bearer(member.token), 'if-match': '"1"' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('If-None-Match on a write, or If-Match on a create, is 400 naming it, and nothing is written', async () => {
    const project = (await req('POST', `${P}/projects`, admin.token, { name: 'Kept' })).json();
    const url = `${P}/projects/${project.id}`;
    const current = `"${project.version as number}"`;
    const before = await snapshot();
    const full = { name: 'Over', description: '', status: 'active', ownerId: admin.user.id };
    const writes: [string, () => Promise<{ statusCode: number; json(): unknown }>][] = [];
    for (const ifNoneMatch of ['*', current, '"0"', 'garbage']) {
      const h = { 'if-none-match': ifNoneMatch };
      writes.push(
        [
          `POST ${ifNoneMatch}`,
          () => req('POST', `${P}/projects`, admin.token, { name: 'New' }, h),
        ],
        [`PUT ${ifNoneMatch}`, () => req('PUT', url, admin.token, full, h)],
        [`PATCH ${ifNoneMatch}`, () => req('PATCH', url, admin.token, { name: 'Over' }, h)],
        [`DELETE ${ifNoneMatch}`, () => req('DELETE', url, admin.token, undefined, h)],
      );
    }
    for (const [what, write] of writes) {
      const res = await write();
      expect(res.statusCode, what).toBe(400);
      const ifNoneMatch = what.slice(what.indexOf(' ') + 1);
      expect(res.json(), what).toEqual({
        code: 'BAD_REQUEST',
        error: `If-None-Match is read on GET only, not on ${what.split(' ')[0]}: send If-Match with the ETag you hold (a PUT never creates)`,
        details: { ifNoneMatch },
      });
    }
    expect(await snapshot()).toEqual(before);
    // A create has no row to match: If-Match is refused there too.
    for (const ifMatch of ['*', current]) {
      const res = await req(
        'POST',
        `${P}/projects`,
        admin.token,
        { name: 'New' },
        { 'if-match': ifMatch },
      );
      expect(res.statusCode, ifMatch).toBe(400);
      expect(res.json(), ifMatch).toEqual({
        code: 'BAD_REQUEST',
        error:
          'If-Match is read on PUT, PATCH and DELETE of a row, not on a create: a new row has no ETag to match',
        details: { ifMatch },
      });
    }
    expect(await snapshot()).toEqual(before);
    // On a GET it is the 304 it always was.
    const got = await req('GET', url, admin.token, undefined, { 'if-none-match': current });
    expect(got.statusCode).toBe(304);
  });

  it('DELETE tombstones the row: 204, then 404 and gone from lists; If-Match mismatch is 412', async () => {
    const project = (await req('POST', `${P}/projects`, admin.token, { name: 'Doomed' })).json();
    expect(
      (
        await req('DELETE', `${P}/projects/${project.id}`, admin.token, undefined, {
          'if-match': '"999999"',
        })
      ).statusCode,
    ).toBe(412);
    const del = await req('DELETE', `${P}/projects/${project.id}`, admin.token);
    expect(del.statusCode).toBe(204);
    expect((await req('GET', `${P}/projects/${project.id}`, admin.token)).statusCode).toBe(404);
    const list = (await req('GET', `${P}/projects?name=Doomed`, admin.token)).json();
    expect(list.data).toEqual([]);
    expect((await req('DELETE', `${P}/projects/${project.id}`, admin.token)).statusCode).toBe(404);
  });

  it('a role without permission gets 403 and the denial is audited', async () => {
    const audit = vi.spyOn(t.engine, 'audit');
    try {
      const before = await snapshot();
      const res = await req('POST', `${P}/projects`, member.token, { name: 'Not allowed' });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
      expect(audit).toHaveBeenCalledWith(
        expect.objectContaining({ user: expect.objectContaining({ id: member.user.id }) }),
        expect.objectContaining({ action: 'access-denied', entity: 'project' }),
      );
      const after = await snapshot();
      expect(after.projects).toEqual(before.projects);
      // The denial is an activity in the org's log, visible to every member through pull.
      const pull = await req('POST', '/api/v1/sync/pull', admin.token, {
        protocolVersion: PROTOCOL_VERSION,
        clientId: newClientId(),
        cursor: before.head,
      });
      const denied = pull
        .json()
        .changes.filter(
          (c: { entity: string; row: { action: string } }) =>
            c.entity === 'activity' && c.row.action === 'access-denied',
        );
      expect(denied).toHaveLength(1);
      // A create sent without an id names no row: the id the server would have made is not one.
      expect(denied[0].row).toMatchObject({
        actorId: member.user.id,
        entity: 'project',
        entityId: null,
      });
      // One sent with its id names the row it tried to create.
      const id = newEntityId();
      const named = await req('POST', `${P}/projects`, member.token, { id, name: 'Not allowed' });
      expect(named.statusCode).toBe(403);
      const page = await req('GET', `/api/v1/activities?entityId=${id}`, admin.token);
      expect(page.json().data).toEqual([
        expect.objectContaining({ action: 'access-denied', entityId: id }),
      ]);
    } finally {
      audit.mockRestore();
    }
  });

  it('refuses a sync credential on every REST route', async () => {
    const cred = (
      await req('POST', '/api/v1/sync/credentials', admin.token, { clientId: newClientId() })
    ).json();
    const res = await req('GET', `${P}/projects`, cred.credential);
    expect(res.statusCode).toBe(403);
    expect((await req('POST', `${P}/projects`, cred.credential, { name: 'x' })).statusCode).toBe(
      403,
    );
  });

  it.each([
    [
      'malformed JSON',
      () =>
        t.app.inject({
          method: 'POST',
          url: `${P}/projects`,
          headers: { ...bearer(admin.token), 'content-type': 'application/json' },
          payload: '{"name": "x",',
        }),
      400,
    ],
    [
      'wrong types',
      () => req('POST', `${P}/projects`, admin.token, { name: 42, status: 'open' }),
      400,
    ],
    [
      'unknown fields',
      () => req('POST', `${P}/projects`, admin.token, { name: 'x', color: 'red' }),
      400,
    ],
    ['an empty name', () => req('POST', `${P}/projects`, admin.token, { name: '   ' }), 400],
    ['a NUL in a name', () => req('POST', `${P}/projects`, admin.token, { name: 'a\u0000b' }), 400],
    [
      'a line break inside a name',
      () => req('POST', `${P}/projects`, admin.token, { name: 'two\nlines' }),
      400,
    ],
    [
      'an escape code in a description',
      () => req('POST', `${P}/projects`, admin.token, { name: 'x', description: '\u001b[2Jgone' }),
      400,
    ],
    [
      'an unpaired surrogate in a title (PATCH)',
      async () =>
        req(
          'PATCH',
          `${P}/tasks/${(await req('GET', `${P}/tasks?limit=1`, admin.token)).json().data[0].id}`,
          admin.token,
          { title: 'half \ud83d' },
        ),
      400,
    ],
    [
      'a C1 control in notes (PUT)',
      async () => {
        const task = (await req('GET', `${P}/tasks?limit=1`, admin.token)).json().data[0];
        const { projectId, title, status, assigneeId, dueDate } = task;
        return req('PUT', `${P}/tasks/${task.id}`, admin.token, {
          ...{ projectId, title, status, assigneeId, dueDate },
          notes: 'next\u0085line',
        });
      },
      400,
    ],
    [
      'a control character in a user name',
      () => req('POST', `${P}/users`, admin.token, { email: 'ctl@example.com', name: 'Ana\u0007' }),
      400,
    ],
    [
      'a non-UUIDv7 id',
      () => req('POST', `${P}/projects`, admin.token, { id: 'abc', name: 'x' }),
      400,
    ],
    [
      'a task in a missing project',
      () => req('POST', `${P}/tasks`, admin.token, { projectId: newEntityId(), title: 'x' }),
      400,
    ],
    [
      'an empty PATCH',
      async () =>
        req(
          'PATCH',
          `${P}/projects/${(await req('GET', `${P}/projects?limit=1`, admin.token)).json().data[0].id}`,
          admin.token,
          {},
        ),
      400,
    ],
    ['a bad cursor', () => req('GET', `${P}/projects?cursor=not-a-cursor`, admin.token), 400],
    ['a limit over 200', () => req('GET', `${P}/projects?limit=500`, admin.token), 400],
    ['an unknown filter', () => req('GET', `${P}/projects?color=red`, admin.token), 400],
    ['a bad id in the path', () => req('GET', `${P}/projects/123`, admin.token), 400],
    [
      'an unknown id',
      () => req('PATCH', `${P}/projects/${newEntityId()}`, admin.token, { name: 'x' }),
      404,
    ],
  ])('refuses %s with a coded 4xx and changes nothing', async (_name, send, status) => {
    const before = await snapshot();
    const res = await send();
    expect(res.statusCode).toBe(status);
    const body = res.json();
    expect(typeof body.error).toBe('string');
    expect(typeof body.code).toBe('string');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an empty text filter naming it (it could match no row), and takes one character', async () => {
    for (const [list, filter] of [
      ['projects', 'name'],
      ['tasks', 'title'],
      ['users', 'email'],
      ['users', 'name'],
      ['users', 'externalId'],
    ]) {
      const res = await req('GET', `${P}/${list}?${filter}=`, admin.token);
      expect(res.statusCode, `${list}?${filter}=`).toBe(400);
      expect(res.json().details).toEqual([
        { path: `/${filter}`, message: 'Too small: expected string to have >=1 characters' },
      ]);
      expect((await req('GET', `${P}/${list}?${filter}=x`, admin.token)).statusCode).toBe(200);
    }
  });

  it('a control character is refused naming the field and the rule', async () => {
    const res = await req('POST', `${P}/projects`, admin.token, { name: 'a\u0000b' });
    expect(res.json()).toMatchObject({
      code: 'VALIDATION',
      details: [
        { path: '/name', message: expect.stringMatching(/^Invalid text: no control characters/) },
      ],
    });
  });

  it('refuses a due date outside the years 1900–9999, or one that does not exist, naming the field; takes the bounds', async () => {
    const projectId = (await req('GET', `${P}/projects?limit=1`, admin.token)).json().data[0].id;
    const before = await snapshot();
    for (const dueDate of ['0000-01-01', '0042-03-01', '1899-12-31', '2023-02-29', '2024-04-31']) {
      const res = await req('POST', `${P}/tasks`, admin.token, { projectId, title: 'x', dueDate });
      expect(res.statusCode, dueDate).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'VALIDATION',
        details: [{ path: '/dueDate', message: expect.stringMatching(/^Invalid (ISO )?date/) }],
      });
    }
    expect(await snapshot()).toEqual(before);
    for (const dueDate of ['1900-01-01', '2024-02-29', '9999-12-31']) {
      const res = await req('POST', `${P}/tasks`, admin.token, { projectId, title: 'x', dueDate });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id;
      const patch = await req('PATCH', `${P}/tasks/${id}`, admin.token, { dueDate: '0999-01-01' });
      expect(patch.statusCode).toBe(400);
      expect((await req('GET', `${P}/tasks/${id}`, admin.token)).json()).toMatchObject({ dueDate });
    }
  });

  it('a due date not shaped YYYY-MM-DD is told the shape (as a push is), a day that does not exist that it does not', async () => {
    const projectId = (await req('GET', `${P}/projects?limit=1`, admin.token)).json().data[0].id;
    const before = await snapshot();
    const cases: [string, string][] = [
      ['2024-02-03T00:00:00Z', 'Invalid date: expected YYYY-MM-DD'],
      ['2024-2-3', 'Invalid date: expected YYYY-MM-DD'],
      ['2023-02-29', 'Invalid date: no such day in the calendar (YYYY-MM-DD)'],
    ];
    for (const [dueDate, message] of cases) {
      const res = await req('POST', `${P}/tasks`, admin.token, { projectId, title: 'x', dueDate });
      expect(res.statusCode, dueDate).toBe(400);
      expect(res.json().details, dueDate).toEqual([{ path: '/dueDate', message }]);
      // A list filtered by such a date is told the same (it said "Invalid ISO date").
      const listed = await req('GET', `${P}/tasks?dueDate=${dueDate}`, admin.token);
      expect(listed.statusCode, dueDate).toBe(400);
      expect(listed.json().details, dueDate).toEqual([{ path: '/dueDate', message }]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('keeps emoji, right-to-left text, combining marks and the line breaks of notes intact', async () => {
    const text = 'Café 👍🏽 👨‍👩‍👧 مرحبا שלום e\u0301 \u202eabc\u202c 漢字 𝒜';
    const project = await req('POST', `${P}/projects`, admin.token, {
      name: text,
      description: 'a\n\tb\r\n',
    });
    expect(project.statusCode, project.body).toBe(201);
    const task = await req('POST', `${P}/tasks`, admin.token, {
      projectId: project.json().id,
      title: text,
      notes: `${text}\n\tsecond line`,
    });
    expect(task.statusCode, task.body).toBe(201);
    const got = (await req('GET', `${P}/tasks/${task.json().id}`, member.token)).json();
    expect(got).toMatchObject({ title: text, notes: `${text}\n\tsecond line` });
    expect(
      (await req('GET', `${P}/projects/${project.json().id}`, member.token)).json(),
    ).toMatchObject({
      name: text,
      description: 'a\n\tb\r\n',
    });
  });

  it('a name the identity provider asserts is made to follow the text rules: it never blocks sign-in', async () => {
    const odd = await devToken(t.app, {
      email: 'odd@example.com',
      name: 'Odd\u0007Name',
      orgId: org,
      role: 'member',
    });
    const me = await req('GET', '/api/v1/me', odd.token);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().user).toMatchObject({ name: 'OddName' });
    const blank = await devToken(t.app, {
      email: 'only.controls@example.com',
      name: '\u0000\u0001',
      orgId: org,
      role: 'member',
    });
    expect(blank.user).toMatchObject({ name: 'only.controls' });
  });

  it('validation errors carry details naming the field', async () => {
    const res = await req('POST', `${P}/projects`, admin.token, { name: 'x', status: 'open' });
    expect(res.json()).toMatchObject({ code: 'VALIDATION' });
    expect(JSON.stringify(res.json().details)).toContain('status');
  });

  it('a list by filters it does not take names the first 20 and counts the rest', async () => {
    const filter = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, 'x']));
    const refused = await t.engine.list(org as OrgId, { entity: 'task', filter, limit: 10 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({
      code: 'VALIDATION',
      details: { unknownFilters: Array.from({ length: 20 }, (_, i) => `f${i}`) },
    });
    expect((refused as Error).message).toMatch(
      /^Cannot filter tasks by f0, f1, .*f19; and 30 more \(allowed: /,
    );
  });
});

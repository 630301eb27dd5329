import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newClientId, PROTOCOL_VERSION } from '@outpost/shared';
import { DEV_KEYS_FILE, loadOrCreateDevKeys } from '../src/auth/dev-keys.js';
import { DEV_AZP, DEV_ISSUER } from '../src/auth/types.js';
import { buildAuthTestApp, type TestApp } from './helpers/app.js';
import {
  bearer,
  clerkEnv,
  devToken,
  generateClerkKeyPair,
  signClerkToken,
} from './helpers/auth.js';

describe('dev key pair', () => {
  it('is created once even when several loaders race on one DATA_DIR', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-keys-'));
    try {
      const all = await Promise.all(Array.from({ length: 6 }, () => loadOrCreateDevKeys(dir)));
      expect(new Set(all.map((k) => k.publicKeyPem)).size).toBe(1);
      expect(new Set(all.map((k) => k.kid)).size).toBe(1);
      const again = await loadOrCreateDevKeys(dir);
      expect(again.kid).toBe(all[0]!.kid);
      const stat = await fs.stat(path.join(dir, DEV_KEYS_FILE));
      expect(stat.mode & 0o077).toBe(0);
      expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('dev auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildAuthTestApp({}, async (app) => {
      await app.register(async (scope) => {
        scope.get(
          '/test/admin-only',
          {
            preHandler: [scope.authenticate, scope.requireRole('admin')],
            config: { auditEntity: 'project' },
          },
          async () => ({ ok: true }),
        );
      });
    });
  });
  afterAll(() => t.close());

  it('signs in by email into a personal org as admin, and /me answers with that identity', async () => {
    const { token, user, expiresAt } = await devToken(t.app, {
      email: 'ana@example.com',
      name: 'Ana',
    });
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    expect(user).toMatchObject({ email: 'ana@example.com', name: 'Ana', role: 'admin' });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { id: user.id },
      org: { id: user.orgId, personal: true },
      role: 'admin',
    });
  });

  it('the same email is the same user; an org and role can be chosen', async () => {
    const a = await devToken(t.app, { email: 'ben@example.com' });
    const b = await devToken(t.app, { email: 'BEN@example.com' });
    expect(b.user.externalId).toBe(a.user.externalId);
    const inOrg = await devToken(t.app, {
      email: 'ben@example.com',
      orgId: 'org_team',
      role: 'manager',
    });
    expect(inOrg.user).toMatchObject({ orgId: 'org_team', role: 'manager' });
    const member = await devToken(t.app, { email: 'cy@example.com', orgId: 'org_team' });
    expect(member.user.role).toBe('member');
  });

  it('refuses a bad dev-token request with 400 and unknown fields', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-token',
      payload: { email: 'x@example.com', name: 'X', admin: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION' });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-token',
      payload: { email: 'not-an-email', name: 'X' },
    });
    expect(bad.statusCode).toBe(400);
  });

  const forged = async (claims: Partial<Parameters<typeof signClerkToken>[1]>, key?: string) => {
    const keys = JSON.parse(await fs.readFile(path.join(t.dataDir, DEV_KEYS_FILE), 'utf8')) as {
      privateKeyPem: string;
    };
    return signClerkToken(key ?? keys.privateKeyPem, {
      sub: 'user_dev_x',
      iss: DEV_ISSUER,
      azp: DEV_AZP,
      ...claims,
    });
  };

  it('accepts a token it signed itself (control for the refusals below)', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(await forged({})),
    });
    expect(res.statusCode).toBe(200);
  });

  it('verifies a session token once, not on every request that presents it', async () => {
    // Clerk's per-request context hashes the publishable key (SHA-1) each time it is built;
    // a token verified before is remembered until it expires, so no request rebuilds it.
    const token = await forged({});
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    try {
      for (let i = 0; i < 3; i++) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: bearer(token),
        });
        expect(res.statusCode).toBe(200);
      }
      expect(digest.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      digest.mockRestore();
    }
  });

  it.each([
    [
      'forged signature',
      () => forged({}, generateClerkKeyPair().privateKeyPem),
      'token-invalid-signature',
    ],
    ['expired', () => forged({ ttlSeconds: -120 }), 'token-expired'],
    ['wrong issuer', () => forged({ iss: 'https://evil.example.com' }), 'token-invalid-issuer'],
    [
      'wrong authorized party',
      () => forged({ azp: 'https://evil.example.com' }),
      'token-invalid-authorized-parties',
    ],
    ['garbage', async () => 'not.a.jwt', undefined],
    ['not a JWT', async () => 'ak_forged0123456789', 'token-malformed'],
  ])('refuses a %s token with 401 and a reason', async (_name, make, reason) => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(await make()),
    });
    expect(res.statusCode).toBe(401);
    const body = res.json();
    expect(body.code).toBe('UNAUTHENTICATED');
    expect(typeof body.details.reason).toBe('string');
    if (reason) expect(body.details.reason).toBe(reason);
  });

  it('refuses a missing or malformed Authorization header with 401', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'missing-token' },
    });
    const basic = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Basic abc' },
    });
    expect(basic.statusCode).toBe(401);
  });

  it('requireRole refuses other roles with 403 and audits the denial', async () => {
    const admin = await devToken(t.app, {
      email: 'root@example.com',
      orgId: 'org_roles',
      role: 'admin',
    });
    expect(
      (await t.app.inject({ method: 'GET', url: '/test/admin-only', headers: bearer(admin.token) }))
        .statusCode,
    ).toBe(200);

    const spy = vi.spyOn(t.engine, 'audit');
    try {
      const member = await devToken(t.app, {
        email: 'm@example.com',
        orgId: 'org_roles',
        role: 'member',
      });
      const res = await t.app.inject({
        method: 'GET',
        url: '/test/admin-only',
        headers: bearer(member.token),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
      expect(spy).toHaveBeenCalledWith(
        expect.objectContaining({
          user: expect.objectContaining({ id: member.user.id }),
          orgId: 'org_roles',
        }),
        expect.objectContaining({ action: 'access-denied', entity: 'project' }),
      );
    } finally {
      spy.mockRestore();
    }
  });
});

describe('sync credentials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildAuthTestApp();
  });
  afterAll(() => t.close());

  const requestCredential = (token: string, clientId: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/credentials',
      headers: bearer(token),
      payload: { clientId },
    });
  const issue = async (token: string, clientId = newClientId()) => {
    const res = await requestCredential(token, clientId);
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; credential: string; clientId: string; expiresAt: string };
  };

  it('issues a 30-day credential that authenticates as the user but is refused outside push', async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const cred = await issue(ana.token);
    expect(cred.credential).toMatch(/^osc_/);
    const days = (Date.parse(cred.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const actor = await t.app.resolveActor(cred.credential, 'req-1');
    expect(actor).toMatchObject({
      via: 'sync-credential',
      clientId: cred.clientId,
      orgId: ana.user.orgId,
      user: { id: ana.user.id },
    });

    const spy = vi.spyOn(t.engine, 'audit');
    try {
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: bearer(cred.credential),
      });
      expect(me.statusCode).toBe(403);
      expect(spy).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ action: 'access-denied' }),
      );
      const more = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/credentials',
        headers: bearer(cred.credential),
        payload: { clientId: cred.clientId },
      });
      expect(more.statusCode).toBe(403);
    } finally {
      spy.mockRestore();
    }
  });

  it('tells a credential refused a session route what it may do and which route needs a session', async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const cred = await issue(ana.token);
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/sync/credentials/${cred.id}`,
      headers: bearer(cred.credential),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'FORBIDDEN',
      error:
        'A sync credential may only push and sign its own device out (POST /api/v1/auth/sign-out): DELETE /api/v1/sync/credentials/{id} needs a session token',
    });
    // Refused before anything changed: the credential still works.
    expect((await t.engine.credentials.find(cred.id))!.revokedAt).toBeNull();
  });

  it('a wrong secret, a revoked and an expired credential are 401', async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const cred = await issue(ana.token);
    const wrong = cred.credential.replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    await expect(t.app.resolveActor(wrong, 'r')).rejects.toMatchObject({
      status: 401,
      details: { reason: 'credential-invalid' },
    });

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/sync/credentials/${cred.id}`,
      headers: bearer(ana.token),
    });
    expect(del.statusCode).toBe(204);
    await expect(t.app.resolveActor(cred.credential, 'r')).rejects.toMatchObject({
      status: 401,
      details: { reason: 'credential-revoked' },
    });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(cred.credential),
    });
    expect(res.statusCode).toBe(401);

    const old = await issue(ana.token);
    const stored = await t.engine.credentials.find(old.id);
    await t.engine.credentials.create({
      ...stored!,
      id: 'expiredcred',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const expired = `osc_expiredcred.${old.credential.split('.')[1]}`;
    await expect(t.app.resolveActor(expired, 'r')).rejects.toMatchObject({
      status: 401,
      details: { reason: 'credential-expired' },
    });
  });

  it('revoking is idempotent: a repeat is 204 and keeps the first revocation', async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const cred = await issue(ana.token);
    const revoke = () =>
      t.app.inject({
        method: 'DELETE',
        url: `/api/v1/sync/credentials/${cred.id}`,
        headers: bearer(ana.token),
      });
    expect((await revoke()).statusCode).toBe(204);
    const first = (await t.engine.credentials.find(cred.id))!.revokedAt;
    expect(first).not.toBeNull();
    // A retry whose first answer was lost: the credential is revoked either way.
    const again = await revoke();
    expect(again.statusCode).toBe(204);
    expect(again.body).toBe('');
    expect((await t.engine.credentials.find(cred.id))!.revokedAt).toBe(first);
  });

  it('lets a credential sign its own device out under the UUID in upper case, as the OpenAPI says, and no other', async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const cred = await issue(ana.token);
    const signOut = (clientId: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-out',
        headers: bearer(cred.credential),
        payload: { clientId },
      });
    const other = await signOut(newClientId());
    expect(other.statusCode).toBe(403);
    const upper = await signOut(cred.clientId.toUpperCase());
    expect(upper.statusCode, upper.body).toBe(200);
    expect(upper.json()).toEqual({ revoked: 1 });
    await expect(t.app.resolveActor(cred.credential, 'r')).rejects.toMatchObject({
      details: { reason: 'credential-revoked' },
    });
  });

  it("cannot revoke another user's credential (404) and sign-out revokes all of a device's credentials", async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const ben = await devToken(t.app, { email: 'ben@example.com' });
    const clientId = newClientId();
    const c1 = await issue(ana.token, clientId);
    const c2 = await issue(ana.token, clientId);
    const other = await issue(ana.token);

    const steal = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/sync/credentials/${c1.id}`,
      headers: bearer(ben.token),
    });
    expect(steal.statusCode).toBe(404);
    await expect(t.app.resolveActor(c1.credential, 'r')).resolves.toMatchObject({
      via: 'sync-credential',
    });

    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: bearer(ana.token),
      payload: { clientId },
    });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ revoked: 2 });
    await expect(t.app.resolveActor(c1.credential, 'r')).rejects.toMatchObject({ status: 401 });
    await expect(t.app.resolveActor(c2.credential, 'r')).rejects.toMatchObject({ status: 401 });
    await expect(t.app.resolveActor(other.credential, 'r')).resolves.toMatchObject({
      via: 'sync-credential',
    });
  });

  it("a sign-out naming the device's client id in upper case revokes its credentials too", async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const clientId = newClientId();
    const cred = await issue(ana.token, clientId);
    const other = await issue(ana.token);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: bearer(ana.token),
      payload: { clientId: clientId.toUpperCase() },
    });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toEqual({ revoked: 1 });
    await expect(t.app.resolveActor(cred.credential, 'r')).rejects.toMatchObject({ status: 401 });
    await expect(t.app.resolveActor(other.credential, 'r')).resolves.toMatchObject({
      via: 'sync-credential',
    });
  });

  it('a credential can sign its own device out, not another', async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const cred = await issue(ana.token);
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: bearer(cred.credential),
      payload: { clientId: newClientId() },
    });
    expect(elsewhere.statusCode).toBe(403);
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: bearer(cred.credential),
      payload: { clientId: cred.clientId },
    });
    expect(own.json()).toEqual({ revoked: 1 });
  });

  it("is not issued for a client id that is another user's (its pushes are refused anyway)", async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const bo = await devToken(t.app, { email: 'bo@example.com' });
    const clientId = newClientId();
    // Ana's device pulls first: the client id is hers.
    const actor = await t.app.resolveActor(ana.token, 'req-own');
    await t.engine.pull(actor, { protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 });
    const create = vi.spyOn(t.engine.credentials, 'create');
    try {
      const res = await requestCredential(bo.token, clientId);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        code: 'FORBIDDEN',
        error: 'This client id belongs to another user or org: use a client id of your own',
      });
      expect(create).not.toHaveBeenCalled();
    } finally {
      create.mockRestore();
    }
    expect((await issue(ana.token, clientId)).clientId).toBe(clientId);
  });
});

describe('clerk mode', () => {
  const keys = generateClerkKeyPair();
  const iss = 'https://test-instance.clerk.accounts.dev';
  const azp = 'https://app.example.com';
  let t: TestApp;
  beforeAll(async () => {
    // No CLERK_ISSUER: the expected issuer is the one the publishable key names.
    t = await buildAuthTestApp(clerkEnv(keys, iss, azp));
  });
  afterAll(() => t.close());

  it('verifies Clerk tokens networklessly and maps org role', async () => {
    expect(t.config.authMode).toBe('clerk');
    const token = await signClerkToken(keys.privateKeyPem, {
      sub: 'user_2abc',
      iss,
      azp,
      email: 'ana@example.com',
      name: 'Ana',
      o: { id: 'org_2xyz', rol: 'org:admin', slg: 'acme' },
    });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      org: { id: 'org_2xyz', personal: false },
      role: 'admin',
      user: { externalId: 'user_2abc', email: 'ana@example.com' },
    });

    // The token's name follows the text rules of a typed name; a bad one never refuses sign-in.
    for (const [sub, name, stored] of [
      ['user_2nm1', `Ana\r\nLopez\u001b[0m ${'x'.repeat(300)}`, `Ana Lopez[0m ${'x'.repeat(187)}`],
      ['user_2nm2', `${'y'.repeat(199)}👍 and a lone \ud800`, 'y'.repeat(199)],
      ['user_2nm3', '\u0000', 'nameless'],
    ] as const) {
      const odd = await signClerkToken(keys.privateKeyPem, {
        sub,
        iss,
        azp,
        email: sub === 'user_2nm3' ? 'nameless@example.com' : `${sub}@example.com`,
        name,
        o: { id: 'org_2xyz', rol: 'org:member', slg: 'acme' },
      });
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(odd) });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user.name).toBe(stored);
    }

    const mgr = await signClerkToken(keys.privateKeyPem, {
      sub: 'user_2def',
      iss,
      azp,
      o: { id: 'org_2xyz', rol: 'manager', slg: 'acme' },
    });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(mgr) })).json(),
    ).toMatchObject({ role: 'manager' });
    const basic = await signClerkToken(keys.privateKeyPem, {
      sub: 'user_2ghi',
      iss,
      azp,
      o: { id: 'org_2xyz', rol: 'org:member', slg: 'acme' },
    });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(basic) })).json(),
    ).toMatchObject({ role: 'member' });
    const personal = await signClerkToken(keys.privateKeyPem, { sub: 'user_2jkl', iss, azp });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(personal) })).json(),
    ).toMatchObject({ org: { id: 'personal_user_2jkl', personal: true }, role: 'admin' });
  });

  it.each([
    [
      'forged signature',
      () => signClerkToken(generateClerkKeyPair().privateKeyPem, { sub: 'user_2abc', iss, azp }),
    ],
    [
      'expired',
      () => signClerkToken(keys.privateKeyPem, { sub: 'user_2abc', iss, azp, ttlSeconds: -60 }),
    ],
    [
      'wrong issuer',
      () =>
        signClerkToken(keys.privateKeyPem, {
          sub: 'user_2abc',
          iss: 'https://other.clerk.accounts.dev',
          azp,
        }),
    ],
    [
      'wrong authorized party',
      () =>
        signClerkToken(keys.privateKeyPem, {
          sub: 'user_2abc',
          iss,
          azp: 'https://evil.example.com',
        }),
    ],
    ['garbage', async () => 'x.y.z'],
  ])('refuses a %s token with 401', async (_n, make) => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(await make()),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('has no dev-token route', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-token',
      payload: { email: 'a@example.com', name: 'A' },
    });
    expect(res.statusCode).toBe(404);
  });
});

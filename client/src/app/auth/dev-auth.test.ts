import { userSchema } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { AuthRequestError, devTokenSource, requestDevToken } from './dev-auth';

const user = userSchema.parse({
  id: '0190a0b0-0000-7000-8000-00000000000a',
  orgId: 'acme',
  email: 'ana@example.com',
  name: 'Ana',
  role: 'manager',
  externalId: 'dev|ana',
  createdAt: '2026-11-23T00:00:00.000Z',
  updatedAt: '2026-11-23T00:00:00.000Z',
  version: 1,
});

function fakeDevTokenServer(now: () => number) {
  const bodies: unknown[] = [];
  let n = 0;
  const fetch = (async (_url: string, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)));
    n++;
    return new Response(
      JSON.stringify({ token: `t${n}`, expiresAt: new Date(now() + 60_000).toISOString(), user }),
      { status: 200 },
    );
  }) as typeof globalThis.fetch;
  return { fetch, bodies };
}

describe('dev tokens', () => {
  it('reuses a token until shortly before it expires, then asks for a new one for the same identity', async () => {
    let t = Date.parse('2026-11-23T10:00:00Z');
    const server = fakeDevTokenServer(() => t);
    const getToken = devTokenSource(user, { fetch: server.fetch, now: () => t });
    expect(await getToken()).toBe('t1');
    t += 30_000;
    expect(await getToken()).toBe('t1');
    t += 25_000; // 5 s left: refresh
    expect(await getToken()).toBe('t2');
    expect(server.bodies).toEqual([
      { email: 'ana@example.com', name: 'Ana', orgId: 'acme', role: 'manager' },
      { email: 'ana@example.com', name: 'Ana', orgId: 'acme', role: 'manager' },
    ]);
  });

  it('shares one request between concurrent callers', async () => {
    const server = fakeDevTokenServer(Date.now);
    const getToken = devTokenSource(user, { fetch: server.fetch });
    expect(await Promise.all([getToken(), getToken(), getToken()])).toEqual(['t1', 't1', 't1']);
    expect(server.bodies).toHaveLength(1);
  });

  it('turns a network failure and a refusal into errors the sign-in screen can show', async () => {
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(requestDevToken({ email: 'a@b.c', name: 'A' }, offline)).rejects.toMatchObject({
      name: 'AuthRequestError',
      status: 0,
    });
    const refusing = (async () =>
      new Response(JSON.stringify({ error: 'dev sign-in is disabled', code: 'NOT_FOUND' }), {
        status: 404,
      })) as typeof fetch;
    const err = await requestDevToken({ email: 'a@b.c', name: 'A' }, refusing).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AuthRequestError);
    expect(err).toMatchObject({
      message: 'dev sign-in is disabled',
      status: 404,
      code: 'NOT_FOUND',
    });
  });
});

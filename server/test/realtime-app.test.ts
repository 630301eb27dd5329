import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, PROTOCOL_VERSION, WS_CLOSE } from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';
import { WsTestClient } from './helpers/ws-client.js';

/** The socket on the full app: real engine (SQLite), real dev-mode auth, real sync credentials. */
describe('real-time socket on the full app', () => {
  let t: TestApp;
  let url: string;
  const clients: WsTestClient[] = [];
  const track = (c: WsTestClient) => (clients.push(c), c);

  beforeAll(async () => {
    t = await buildTestApp({ WS_HEARTBEAT_MS: '200' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(() => t.close());

  it('pokes with the new head after a REST write, and the head matches a pull', async () => {
    const { token } = await devToken(t.app, {
      email: 'ana@example.test',
      orgId: 'org_app',
      role: 'admin',
    });
    const socket = track(await WsTestClient.join(url, { token, clientId: newClientId() }));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/primary-data/projects',
      headers: bearer(token),
      payload: { name: 'Roadmap' },
    });
    expect(res.statusCode).toBe(201);
    const pull = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: bearer(token),
      payload: { protocolVersion: PROTOCOL_VERSION, clientId: newClientId(), cursor: 0 },
    });
    const { headCursor } = pull.json() as { headCursor: number };
    await socket.waitFor((m) => m.type === 'poke' && m.cursor === headCursor);
  });

  it('documents /sync/ws in OpenAPI', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    const doc = res.json() as {
      paths: Record<string, { get?: { tags?: string[]; description?: string } }>;
    };
    expect(doc.paths['/api/v1/sync/ws']?.get?.tags).toEqual(['sync']);
    expect(doc.paths['/api/v1/sync/ws']?.get?.description).toContain('4009 slow consumer');
  });

  it('accepts a device sync credential for its own client id only, and closes 4001 once it is revoked', async () => {
    const { token } = await devToken(t.app, {
      email: 'ben@example.test',
      orgId: 'org_app',
      role: 'member',
    });
    const clientId = newClientId();
    const issued = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/credentials',
      headers: bearer(token),
      payload: { clientId },
    });
    expect(issued.statusCode).toBe(201);
    const { id, credential } = issued.json() as { id: string; credential: string };

    const wrong = track(await WsTestClient.open(url));
    wrong.send({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      clientId: newClientId(),
      token: credential,
    });
    expect((await wrong.waitClosed()).code).toBe(WS_CLOSE.forbidden);

    const device = track(await WsTestClient.join(url, { token: credential, clientId }));
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/sync/credentials/${id}`,
      headers: bearer(token),
    });
    expect(revoke.statusCode).toBeLessThan(300);
    expect((await device.waitClosed(3_000)).code).toBe(WS_CLOSE.unauthenticated);
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';

describe('dev auth across server processes', () => {
  let dataDir: string;
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-auth-procs-'));
    // Started at once on an empty DATA_DIR: both race to create the dev key pair.
    servers = await Promise.all([startServerProcess({ dataDir }), startServerProcess({ dataDir })]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('agree on one key pair: a token from either process is accepted by the other', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const signIn = async (s: ServerProcess) => {
      const res = await fetch(`${s.url}/api/v1/auth/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ana@example.com', name: 'Ana' }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { token: string; user: { id: string } };
    };
    const fromA = await signIn(a);
    const fromB = await signIn(b);
    expect(fromB.user.id).toBe(fromA.user.id);
    for (const [token, server] of [
      [fromA.token, b],
      [fromB.token, a],
    ] as const) {
      const me = await fetch(`${server.url}/api/v1/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { user: { id: string } }).user.id).toBe(fromA.user.id);
    }
    const files = await fs.readdir(dataDir);
    expect(files.filter((f) => f.startsWith('dev-auth-keys'))).toEqual(['dev-auth-keys.json']);
  });
});

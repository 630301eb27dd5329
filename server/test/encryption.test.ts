import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, newClientId, type OrgId } from '@outpost/shared';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { Engine } from '../src/engine/engine.js';
import { DEV_DATA_KEYS_FILE } from '../src/store/crypto/dev-key.js';
import { KeyRing, parseKeyRing } from '../src/store/crypto/key-ring.js';
import { openEncryptedStore } from '../src/store/open.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { bearer, clerkEnv, devToken } from './helpers/auth.js';
import { startServerProcess } from './helpers/server-process.js';

const EMAIL = 'zoe.private@example.com';
const NAME = 'Zoe Privatename';
const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

/** Every byte SQLite holds for the store: the database, its WAL and shared memory. */
function fileBytes(dir: string): string {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('outpost.db'))
    .map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1'))
    .join('');
}

describe('personal data encrypted at rest', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-pii-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const start = (dir: string, env: Record<string, string> = {}) =>
    buildApp(loadConfig({ DATA_DIR: dir, CLIENT_DIST_DIR: '/nonexistent', ...env }), {
      logger: false,
    });

  it('keeps no email or name in the SQLite file, while clients get plaintext (and lookups by email work)', async () => {
    const dir = tmp();
    const app = await start(dir, { DATA_ENCRYPTION_KEYS: key('k1') });
    const { token, user } = await devToken(app, { email: EMAIL, name: NAME, role: 'admin' });
    const me = await app.inject({ url: '/api/v1/me', headers: bearer(token) });
    expect(me.json().user).toMatchObject({ email: EMAIL, name: NAME });
    // A profile change: the user row, its change-log entry and the activity all carry PII.
    const { token: renamed } = await devToken(app, {
      email: EMAIL,
      name: `${NAME} Second`,
      role: 'admin',
    });
    const pull = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: bearer(renamed),
      payload: { protocolVersion: PROTOCOL_VERSION, clientId: newClientId(), cursor: 0 },
    });
    const changes = pull.json().changes as { entity: string; row: Record<string, unknown> }[];
    expect(changes.filter((c) => c.entity === 'user').at(-1)!.row).toMatchObject({
      email: EMAIL,
      name: `${NAME} Second`,
    });
    expect(changes.filter((c) => c.entity === 'user').at(-1)!.row).not.toHaveProperty('emailIndex');
    const update = changes.find((c) => c.entity === 'activity' && c.row['action'] === 'update');
    expect(JSON.stringify(update!.row['changes'])).toContain(`${NAME} Second`);
    // The activity stream's own paging endpoint reads the same stored activities.
    const feed = await app.inject({ url: '/api/v1/activities', headers: bearer(renamed) });
    const userUpdate = (feed.json().data as { entity: string; action: string }[]).find(
      (a) => a.entity === 'user' && a.action === 'update',
    );
    expect(JSON.stringify(userUpdate)).toContain(`${NAME} Second`);
    const byEmail = await app.inject({
      url: `/api/v1/primary-data/users?email=${encodeURIComponent(EMAIL)}`,
      headers: bearer(renamed),
    });
    expect(byEmail.json().data.map((u: { id: string }) => u.id)).toEqual([user.id]);

    // While the server runs, recent commits sit in the WAL; after close, in the database file.
    expect(fs.statSync(path.join(dir, 'outpost.db-wal')).size).toBeGreaterThan(0);
    const live = fileBytes(dir);
    await app.close();
    for (const bytes of [live, fileBytes(dir)]) {
      expect(bytes).toContain('enc1:k1:');
      expect(bytes).not.toContain(EMAIL);
      expect(bytes).not.toContain('zoe.private');
      expect(bytes).not.toContain('Privatename');
    }
  });

  it("reads a user's rows across orgs in plaintext (identity-provider profile sync), writing only real changes", async () => {
    const dir = tmp();
    const app = await start(dir, { DATA_ENCRYPTION_KEYS: key('k1') });
    const { user } = await devToken(app, { email: EMAIL, name: NAME });
    const by = { requestId: 'msg_1', reason: 'clerk user.updated' };
    // The same profile again is no change: the stored (encrypted) row was compared as plaintext.
    expect(await app.engine.syncProfile(user.externalId, { email: EMAIL, name: NAME }, by)).toBe(0);
    expect(await app.engine.syncProfile(user.externalId, { name: `${NAME} Renamed` }, by)).toBe(1);
    await app.close();
    const bytes = fileBytes(dir);
    expect(bytes).not.toContain('Renamed');
    expect(bytes).not.toContain(EMAIL);
  });

  it('generates a key under DATA_DIR in dev mode (and says so), and reuses it', async () => {
    const dir = tmp();
    const lines: string[] = [];
    const stream = { write: (l: string) => void lines.push(l) };
    const app = await buildApp(loadConfig({ DATA_DIR: dir, CLIENT_DIST_DIR: '/nonexistent' }), {
      logger: { level: 'info', stream },
    });
    await devToken(app, { email: EMAIL, name: NAME });
    await app.inject({ url: '/api/v1/health' });
    await app.close();
    expect(fs.existsSync(path.join(dir, DEV_DATA_KEYS_FILE))).toBe(true);
    expect(lines.join('\n')).toContain('generated a data encryption key');
    const again = await start(dir);
    await again.close();
    expect(fileBytes(dir)).not.toContain(EMAIL);
  });

  it('refuses to start in production without DATA_ENCRYPTION_KEYS, naming the variable', () => {
    const env = {
      NODE_ENV: 'production',
      AUTH_MODE: 'clerk',
      ...clerkEnv({ publicKeyPem: 'pem' }, 'https://clerk.example.com', 'https://app.example.com'),
    };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/DATA_ENCRYPTION_KEYS/);
    expect(() => loadConfig({ ...env, DATA_ENCRYPTION_KEYS: key('k1') })).not.toThrow();
    expect(() => loadConfig({ DATA_ENCRYPTION_KEYS: 'k1:short' })).toThrow(/32 bytes/);
  });

  it('stops at start with a clear message when the key is wrong or missing', async () => {
    const dir = tmp();
    const app = await start(dir, { DATA_ENCRYPTION_KEYS: key('k1') });
    await devToken(app, { email: EMAIL, name: NAME });
    await app.close();
    await expect(start(dir, { DATA_ENCRYPTION_KEYS: key('k1') })).rejects.toThrow(
      /key "k1" does not decrypt this database/,
    );
    await expect(start(dir, { DATA_ENCRYPTION_KEYS: key('k2') })).rejects.toThrow(
      /does not hold key "k1"/,
    );
  });

  it('encrypts a plaintext database from before encryption when the server starts', async () => {
    const dir = tmp();
    // What an older server left: the engine over the bare store writes plaintext.
    const bare = new SqliteStore({ dataDir: dir });
    const engine = new Engine({ store: bare });
    await engine.upsertUser({
      externalId: 'user_old',
      email: EMAIL,
      name: NAME,
      orgId: 'org_old' as OrgId,
      role: 'admin',
    });
    await engine.close();
    expect(fileBytes(dir)).toContain(EMAIL);

    const app = await start(dir, { DATA_ENCRYPTION_KEYS: key('k1') });
    const users = await app.engine.list('org_old' as OrgId, {
      entity: 'user',
      filter: { email: EMAIL },
      limit: 10,
    });
    expect(users.items).toEqual([expect.objectContaining({ email: EMAIL, name: NAME })]);
    await app.close();
    const bytes = fileBytes(dir);
    expect(bytes).not.toContain(EMAIL);
    expect(bytes).not.toContain('Privatename');
  });

  it('rebuilds an email index written as the email was typed, so lookups by email ignore case', async () => {
    const dir = tmp();
    const k1 = key('k1');
    const mixed = 'Zoe.Private@Example.com';
    const app = await start(dir, { DATA_ENCRYPTION_KEYS: k1 });
    const { user } = await devToken(app, { email: mixed, name: NAME, orgId: 'org_ix' });
    await app.close();

    // What a server before the case-insensitive index left: the index of the email as typed,
    // and a meta without an index version.
    const ring = new KeyRing(parseKeyRing(k1));
    const bare = new SqliteStore({ dataDir: dir });
    const meta = JSON.parse((await bare.maintenance.getMeta('encryption'))!) as object;
    await bare.maintenance.rewriteAll(
      (entity, data) =>
        entity === 'user' && 'emailIndex' in data
          ? { ...data, emailIndex: ring.index(mixed) }
          : null,
      { key: 'encryption', value: JSON.stringify({ ...meta, emailIndex: undefined }) },
    );
    await bare.close();

    const logs: string[] = [];
    const store = await openEncryptedStore(
      loadConfig({ DATA_DIR: dir, DATA_ENCRYPTION_KEYS: k1 }),
      (m) => logs.push(m),
    );
    await store.close();
    expect(logs.join('\n')).toContain('email lookup index rebuilt');
    const after = await start(dir, { DATA_ENCRYPTION_KEYS: k1 });
    const found = await after.engine.list('org_ix' as OrgId, {
      entity: 'user',
      filter: { email: mixed.toLowerCase() },
      limit: 10,
    });
    expect(found.items.map((u) => u.id)).toEqual([user.id]);
    await after.close();
  });

  it('rotates keys: the command re-encrypts under the new key, after which the old key can go', async () => {
    const dir = tmp();
    const k1 = key('k1');
    const k2 = key('k2');
    const app = await start(dir, { DATA_ENCRYPTION_KEYS: k1 });
    await devToken(app, { email: EMAIL, name: NAME });
    await app.close();

    const config = loadConfig({ DATA_DIR: dir, DATA_ENCRYPTION_KEYS: `${k2},${k1}` });
    const logs: string[] = [];
    const store = await openEncryptedStore(config, (m) => logs.push(m), { rotate: true });
    await store.close();
    expect(logs.join('\n')).toContain('re-encrypted from key "k1" to "k2"');
    expect(fileBytes(dir)).not.toContain('enc1:k1:');

    const after = await start(dir, { DATA_ENCRYPTION_KEYS: k2 });
    const me = await devToken(after, { email: EMAIL, name: NAME, role: 'admin' });
    expect(me.user).toMatchObject({ email: EMAIL, name: NAME });
    // The email index is keyed from the active key, so rotation rebuilt it too.
    const byEmail = await after.inject({
      url: `/api/v1/primary-data/users?email=${encodeURIComponent(EMAIL)}`,
      headers: bearer(me.token),
    });
    expect(byEmail.json().data.map((u: { id: string }) => u.id)).toEqual([me.user.id]);
    await after.close();
  });

  it('a server process given the wrong key exits at start with the message, not a stack', async () => {
    const dir = tmp();
    const app = await start(dir, { DATA_ENCRYPTION_KEYS: key('k1') });
    await devToken(app, { email: EMAIL, name: NAME });
    await app.close();
    const refused = await startServerProcess({
      dataDir: dir,
      env: { DATA_ENCRYPTION_KEYS: key('k1') },
    }).then(
      async (server) => {
        await server.stop();
        return 'started';
      },
      (err: Error) => err.message,
    );
    expect(refused).toMatch(/exited before ready \(code 1/);
    expect(refused).toContain('DATA_ENCRYPTION_KEYS: key "k1" does not decrypt this database');
    expect(refused).not.toMatch(/\n\s+at /);
  }, 120_000);
});

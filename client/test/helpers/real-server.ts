import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  newClientId,
  PROTOCOL_VERSION,
  userSchema,
  type OrgId,
  type Role,
  type User,
} from '@outpost/shared';
import {
  startServerProcess,
  type ServerProcess,
} from '../../../server/test/helpers/server-process';
import { createHttpTransport, type SyncTransport } from '@outpost/sync';

const devTokenResponse = z.object({ token: z.string(), expiresAt: z.string(), user: userSchema });

export interface RealServer {
  url: string;
  /** The server's DATA_DIR (its SQLite file may be opened by a second process, e.g. to purge). */
  dataDir: string;
  process: ServerProcess;
  /** Signs a user in through dev auth; the token is refreshed before it expires. */
  signIn(input: { email: string; name: string; orgId: OrgId; role: Role }): Promise<SignedIn>;
  stop(): Promise<void>;
}

export interface SignedIn {
  user: User;
  getToken(): Promise<{ token: string; userId: string }>;
}

/** A real server process (`src/main.ts`) on a free port with a temp SQLite DATA_DIR. */
export async function startRealServer(): Promise<RealServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-client-it-'));
  const proc = await startServerProcess({ dataDir });
  const url = proc.url;
  return {
    url,
    dataDir,
    process: proc,
    async signIn(input) {
      let current: { token: string; expiresAt: number; user: User } | null = null;
      const refresh = async () => {
        const res = await fetch(`${url}/api/v1/auth/dev-token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
        if (!res.ok) throw new Error(`dev-token: HTTP ${res.status} ${await res.text()}`);
        const body = devTokenResponse.parse(await res.json());
        current = { token: body.token, expiresAt: Date.parse(body.expiresAt), user: body.user };
        return current;
      };
      const first = await refresh();
      return {
        user: first.user,
        async getToken() {
          const c = current && current.expiresAt - Date.now() > 30_000 ? current : await refresh();
          return { token: c.token, userId: c.user.id };
        },
      };
    },
    async stop() {
      await proc.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface NetworkControls {
  online: boolean;
  /** The next push reaches the server, then the device "dies" before reading the answer. */
  dieAfterNextPush: boolean;
  /** Pushes fail (as if the request were lost) while pulls still work. */
  pushDown: boolean;
}

/** A device's network: an HTTP transport whose fetch can be cut off. */
export function deviceTransport(
  server: RealServer,
  who: SignedIn,
): { transport: SyncTransport; net: NetworkControls } {
  const net: NetworkControls = { online: true, dieAfterNextPush: false, pushDown: false };
  const controlled: typeof fetch = async (input, init) => {
    if (!net.online) throw new TypeError('fetch failed (device offline)');
    if (net.pushDown && String(input).endsWith('/sync/push')) throw new TypeError('push lost');
    const res = await fetch(input, init);
    if (net.dieAfterNextPush && String(input).endsWith('/sync/push')) {
      net.dieAfterNextPush = false;
      net.online = false;
      throw new TypeError('connection lost before the answer was read');
    }
    return res;
  };
  return {
    transport: createHttpTransport({
      baseUrl: server.url,
      getToken: () => who.getToken(),
      fetch: controlled,
    }),
    net,
  };
}

/**
 * The org's live rows of one kind, straight from the server's change log (no client code
 * involved), sorted by id. Uses an observer client id of its own (client ids bind to a user).
 */
export async function serverRows(
  server: RealServer,
  who: SignedIn,
  kind: 'task' | 'project',
): Promise<Record<string, unknown>[]> {
  const latest = new Map<string, { row: Record<string, unknown>; deleted: unknown }>();
  let cursor = 0;
  const clientId = newClientId();
  for (;;) {
    const { token } = await who.getToken();
    const res = await fetch(`${server.url}/api/v1/sync/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientId, cursor, limit: 1000 }),
    });
    if (!res.ok) throw new Error(`pull: HTTP ${res.status} ${await res.text()}`);
    const page = (await res.json()) as {
      changes: {
        entity: string;
        entityId: string;
        row: Record<string, unknown>;
        deleted: unknown;
      }[];
      cursor: number;
      hasMore: boolean;
    };
    for (const c of page.changes)
      if (c.entity === kind) latest.set(c.entityId, { row: c.row, deleted: c.deleted });
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return [...latest.values()]
    .filter((c) => c.deleted === null)
    .map((c) => c.row)
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

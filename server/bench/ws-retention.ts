/**
 * Does a closed WebSocket leave anything behind on the server? Opens and closes N sockets
 * (hello → welcome → close, in batches), then collects garbage and counts, with a
 * FinalizationRegistry, how many of the upgrade requests and their TCP sockets are still
 * alive, how many timer lists are queued, and how much heap each of three rounds left.
 * Bounded: 3×N sockets, no timers left.
 *
 *   pnpm --filter @outpost/server bench:ws-retention [N=2000]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { newClientId, PROTOCOL_VERSION } from '@outpost/shared';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { timerListCounter } from '../test/helpers/timer-lists.js';

const N = Number(process.argv[2] ?? 2000);
const BATCH = 100;
const gc = globalThis.gc;
if (!gc) throw new Error('run with node --expose-gc');

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-wsret-'));
const app = await buildApp(
  loadConfig({
    DATA_DIR: dir,
    CLIENT_DIST_DIR: '/nonexistent',
    RATE_LIMIT_MAX: '1000000',
    WS_MAX_CONNECTIONS_PER_USER: '10000',
  }),
  { logger: false },
);
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const port = (app.server.address() as AddressInfo).port;
const tokenRes = await app.inject({
  method: 'POST',
  url: '/api/v1/auth/dev-token',
  payload: { email: 'ret@example.com', name: 'Ret' },
});
const { token } = tokenRes.json() as { token: string };

// The upgrade request and its TCP socket: the library's per-socket error listener closes over
// the Fastify request (which holds the raw one), so a request that is finalized proves the
// WebSocket and that listener are gone too.
let measuring = false;
const alive = { sockets: 0, requests: 0 };
let open = 0;
const registry = new FinalizationRegistry<'sockets' | 'requests'>((kind) => alive[kind]--);
app.server.on('upgrade', (req: object, socket: Socket) => {
  open++;
  socket.once('close', () => open--);
  if (!measuring) return; // the warm-up's are not counted
  alive.sockets++;
  alive.requests++;
  registry.register(socket, 'sockets');
  registry.register(req, 'requests');
});

async function round(n: number): Promise<void> {
  for (let done = 0; done < n; done += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, n - done) }, async () => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/sync/ws`);
        await new Promise<void>((resolve, reject) => {
          ws.once('error', reject);
          ws.once('open', () =>
            ws.send(
              JSON.stringify({
                type: 'hello',
                protocolVersion: PROTOCOL_VERSION,
                clientId: newClientId(),
                token,
              }),
            ),
          );
          ws.on('message', (data: Buffer) => {
            if ((JSON.parse(data.toString('utf8')) as { type: string }).type === 'welcome')
              ws.close(1000);
          });
          ws.once('close', () => resolve());
        });
      }),
    );
  }
  // The server's side closes after the client's close frame: wait until it let go of all.
  while (open > 0) await delay(10);
}

const lists = timerListCounter();

async function settle(): Promise<number> {
  for (let i = 0; i < 6; i++) {
    gc!();
    await delay(20); // FinalizationRegistry callbacks run on a later task.
  }
  return process.memoryUsage().heapUsed;
}

await round(200); // warm-up: caches, JIT, lazy modules
const heap = [await settle()];
const listCounts = [await lists.count()];
measuring = true;
// Three rounds: a leak grows the heap by about as much each round; warming up does not.
for (let r = 0; r < 3; r++) {
  await round(N);
  heap.push(await settle());
  listCounts.push(await lists.count());
}
console.log(
  JSON.stringify({
    socketsPerRound: N,
    stillAlive: alive,
    timerLists: listCounts,
    heapMiB: heap.map((h) => +(h / 2 ** 20).toFixed(2)),
    bytesPerSocketByRound: heap.slice(1).map((h, i) => Math.round((h - heap[i]!) / N)),
    load: os.loadavg().map((l) => +l.toFixed(1)),
  }),
);
lists.close();
await app.close();
await fs.rm(dir, { recursive: true, force: true });
void base;

// Node has no IndexedDB: fake-indexeddb (in memory) provides it. The /auto import sets the
// globals Dexie's liveQuery reads; each device still gets a factory of its own below.
import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { WebSocket } from 'ws';
import {
  createHttpTransport,
  createSyncClient,
  openReplica,
  pokeUrl,
  type Replica,
  type SyncClient,
  type WebSocketLike,
} from '@outpost/sync';
import type { User } from '@outpost/shared';
import { createNetwork, type Network } from './network';
import type { SignedIn } from './sign-in';

/** One user's client on its own "device": its own IndexedDB, network switch and sync engine. */
export interface Device {
  readonly name: string;
  readonly user: User;
  readonly replica: Replica;
  readonly client: SyncClient;
  readonly network: Network;
  stop(): Promise<void>;
}

/** Background resync interval: long, so what arrives within the example came by a poke. */
export const SLOW_SYNC_MS = 10 * 60_000;

export async function openDevice(baseUrl: string, name: string, who: SignedIn): Promise<Device> {
  const { user } = who;
  const replica = await openReplica({
    userId: user.id,
    orgId: user.orgId,
    user,
    indexedDB: new IDBFactory(),
    IDBKeyRange,
    sentinel: null, // no localStorage in Node: eviction is not detected (nothing evicts memory)
  });
  const network = createNetwork();
  const client = createSyncClient({
    replica,
    transport: createHttpTransport({
      baseUrl,
      getToken: () => who.getToken(),
      fetch: network.fetch,
    }),
    pokes: {
      url: pokeUrl(baseUrl),
      getToken: async () => (await who.getToken()).token,
      // Node 20 has no global WebSocket; `ws` fits the engine's WebSocketLike.
      WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike,
    },
    environment: network.environment,
    slowSyncMs: SLOW_SYNC_MS,
    // No navigator.locks in Node: the engine's lease (in this replica) makes this client the
    // leader; BroadcastChannel exists in Node and links clients of the same user only.
  });
  const ctl = new AbortController();
  await client.start(ctl.signal);
  return {
    name,
    user,
    replica,
    client,
    network,
    async stop() {
      ctl.abort();
      // The leader steps down once its loop has seen the abort; then the database can close.
      await new Promise<void>((resolve) => {
        const check = () => {
          if (client.status.getSnapshot().isLeader) return false;
          resolve();
          return true;
        };
        if (check()) return;
        const unsubscribe = client.status.subscribe(() => check() && unsubscribe());
      });
      replica.close();
    },
  };
}

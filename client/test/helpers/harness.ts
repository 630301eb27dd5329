// Dexie's liveQuery needs an indexedDB global to run; each device still gets its own factory.
import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { OrgId } from '@outpost/shared';
import {
  createSyncClient,
  type SyncClient,
  type SyncClientOptions,
  unclocked,
  openReplica,
  type Replica,
  type KeyValueStorage,
  type SyncTransport,
} from '@outpost/sync';

/** A browser profile: its own IndexedDB and localStorage. */
export interface Device {
  indexedDB: IDBFactory;
  localStorage: KeyValueStorage;
}

export function newDevice(): Device {
  const map = new Map<string, string>();
  return {
    indexedDB: new IDBFactory(),
    localStorage: {
      getItem: (k) => map.get(k) ?? null,
      setItem: (k, v) => void map.set(k, v),
      removeItem: (k) => void map.delete(k),
    },
  };
}

export interface Tab {
  replica: Replica;
  client: SyncClient;
  stop(): Promise<void>;
}

/** Opens the user's replica on a device and starts a sync client ("a tab"). */
export async function openTab(
  device: Device,
  user: { userId: string; orgId: OrgId },
  transport: SyncTransport,
  extra: Partial<SyncClientOptions> = {},
): Promise<Tab> {
  const replica = await openReplica({
    userId: user.userId,
    orgId: user.orgId,
    indexedDB: device.indexedDB,
    IDBKeyRange,
    sentinel: device.localStorage,
  });
  const client = createSyncClient({
    replica,
    transport,
    lock: null,
    broadcast: null,
    environment: null,
    slowSyncMs: 60_000,
    heartbeatMs: 50,
    staleLeaderMs: 1_000,
    random: () => 0,
    ...extra,
  });
  const ctl = new AbortController();
  await client.start(ctl.signal);
  return {
    replica,
    client,
    async stop() {
      ctl.abort();
      // Let the loop observe the abort before the database closes under it.
      await until(() => !client.status.getSnapshot().isLeader, 5_000).catch(() => undefined);
      replica.close();
    },
  };
}

/** Polls `cond` until true or the deadline passes (for effects without an event to await). */
export async function until(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Waits until the tab is leader, has nothing unsent and is not mid-sync, after `syncNow()`. */
export async function synced(tab: Tab, timeoutMs = 10_000): Promise<void> {
  const before = tab.client.status.getSnapshot().lastSyncedAt ?? -1;
  tab.client.syncNow();
  await until(
    () => {
      const s = tab.client.status.getSnapshot();
      return s.isLeader && !s.syncing && (s.lastSyncedAt ?? -1) > before;
    },
    timeoutMs,
    'a completed sync',
  );
}

/**
 * Waits until no sync step runs. Offline, writes fail their push and the loop retries on a
 * backoff timer: a retry that began offline and pushes once the test is back online is one
 * more cycle beside the one `synced()` asks for (its pull one more page). A retry still
 * waiting for its timer is no matter: `syncNow()` cuts that wait short.
 */
export async function idle(tab: Tab, timeoutMs = 10_000): Promise<void> {
  await until(() => !tab.client.status.getSnapshot().syncing, timeoutMs, 'no sync step running');
}

/** Mirror rows of a kind, sorted by id, as plain objects. */
export async function mirrorRows(
  tab: Tab,
  kind: 'projects' | 'tasks',
): Promise<Record<string, unknown>[]> {
  // Without the internal field clocks, so rows compare with the server's.
  const rows = (await tab.replica.db[kind].toArray()).map(unclocked);
  return (rows as unknown as Record<string, unknown>[]).sort((a, b) =>
    String(a.id).localeCompare(String(b.id)),
  );
}

/** After `syncNow()`, waits for the cycle to end, successfully or not. */
export async function settled(tab: Tab, timeoutMs = 10_000): Promise<void> {
  const s0 = tab.client.status.getSnapshot();
  const okBefore = s0.lastSyncedAt ?? -1;
  const errBefore = s0.lastError;
  tab.client.syncNow();
  await until(
    () => {
      const s = tab.client.status.getSnapshot();
      return (
        !s.syncing &&
        ((s.lastSyncedAt ?? -1) > okBefore || (s.lastError !== null && s.lastError !== errBefore))
      );
    },
    timeoutMs,
    'a finished sync attempt',
  );
}

import { liveQuery } from 'dexie';
import {
  readOutboxEntries,
  unclocked,
  type Replica,
  type SyncClient,
  type SyncStatus,
} from '@outpost/sync';
import type { Project, Task } from '@outpost/shared';

/** What a client shows: its mirror's live rows (sorted by id) and how many writes are unsent. */
export interface ReplicaState {
  projects: Project[];
  tasks: Task[];
  /** Outbox entries not yet covered by a pull (0 = everything this client wrote is synced). */
  outbox: number;
}

/** Generous: a loaded CI machine can be slow; the example waits for events, never for time. */
const TIMEOUT_MS = 120_000;

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function readState(replica: Replica): Promise<ReplicaState> {
  const { db } = replica;
  return db.transaction('r', db.projects, db.tasks, db.writes, db.meta, async () => ({
    projects: (await db.projects.toArray()).map((r) => unclocked(r) as Project).sort(byId),
    tasks: (await db.tasks.toArray()).map((r) => unclocked(r) as Task).sort(byId),
    outbox: (await readOutboxEntries(db)).length,
  }));
}

/**
 * Resolves with the replicas' states as soon as `ok` holds for them, re-checking on every
 * change to any of their databases (Dexie live queries: no polling).
 */
export function until(
  replicas: readonly Replica[],
  ok: (states: ReplicaState[]) => boolean,
  what: string,
  timeoutMs = TIMEOUT_MS,
): Promise<ReplicaState[]> {
  return new Promise((resolve, reject) => {
    const latest: (ReplicaState | undefined)[] = replicas.map(() => undefined);
    const subs: { unsubscribe(): void }[] = [];
    const done = (fn: () => void) => {
      clearTimeout(timer);
      for (const s of subs) s.unsubscribe();
      fn();
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`))),
      timeoutMs,
    );
    replicas.forEach((replica, i) => {
      subs.push(
        liveQuery(() => readState(replica)).subscribe({
          next(state) {
            latest[i] = state;
            if (latest.every((s) => s !== undefined) && ok(latest)) done(() => resolve(latest));
          },
          error: (err: unknown) => done(() => reject(err)),
        }),
      );
    });
  });
}

/** Resolves once the client's status satisfies `ok` (it notifies on every change). */
export function untilStatus(
  client: SyncClient,
  ok: (status: SyncStatus) => boolean,
  what: string,
  timeoutMs = TIMEOUT_MS,
): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const status = client.status.getSnapshot();
      if (!ok(status)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(status);
    };
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`));
    }, timeoutMs);
    const unsubscribe = client.status.subscribe(check);
    check();
  });
}

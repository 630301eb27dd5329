import Dexie, { type ObservabilitySet } from 'dexie';
import { z } from 'zod/mini';
import {
  realTimers,
  type KeyValueStorage,
  type OutboxEntry,
  type Replica,
  type Timers,
} from '@outpost/sync';

/**
 * A short copy of the unsent outbox (which row, what kind of change) kept outside IndexedDB,
 * so that when the browser evicts the database the app can say which writes were lost, not
 * only how many. Titles only; rewritten shortly after the outbox changes (`journalUnsent`).
 */
const unsentWriteSchema = z.object({
  mutationId: z.number().check(z.int(), z.positive()),
  type: z.string(),
  entityId: z.string(),
  label: z.string(),
});
export type UnsentWrite = z.infer<typeof unsentWriteSchema>;

const MAX_ENTRIES = 50;
const keyFor = (userId: string) => `outpost-unsent:${userId}`;
/** The journal as it was when the database vanished, kept until the server has been asked. */
const evictedKeyFor = (userId: string) => `outpost-evicted:${userId}`;

export function readUnsentJournal(storage: KeyValueStorage | null, userId: string): UnsentWrite[] {
  try {
    return parseJournal(storage?.getItem(keyFor(userId)) ?? null);
  } catch {
    return [];
  }
}

/**
 * The unsent writes of an evicted database, for the eviction notice. Call at engine start,
 * before `journalUnsent` rewrites the journal from the new outbox. The eviction is only told
 * once the server says what it had, which may be several starts later (offline reloads); until
 * then the old journal is kept under its own key, so neither the rewrite nor writes made since
 * (the new outbox) replace what was lost. Once told (no pending `vanished`), the copy goes.
 */
export async function unsentAtEviction(
  replica: Replica,
  storage: KeyValueStorage | null,
): Promise<UnsentWrite[]> {
  if (!storage) return [];
  const key = evictedKeyFor(replica.userId);
  try {
    if (replica.vanished) {
      const lost = readUnsentJournal(storage, replica.userId);
      storage.setItem(key, JSON.stringify(lost));
      return lost;
    }
    if (await replica.db.meta.get('vanished')) return parseJournal(storage.getItem(key));
    storage.removeItem(key);
  } catch {
    // A full or disabled localStorage only loses the detail of an eviction notice.
  }
  return [];
}

function parseJournal(raw: string | null): UnsentWrite[] {
  if (!raw) return [];
  try {
    const parsed = z.array(unsentWriteSchema).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** The unsent writes as journaled: one read-only transaction over the outbox and the mirror. */
function readUnsent(replica: Replica): Promise<UnsentWrite[]> {
  const { db } = replica;
  return db.transaction('r', [db.outbox, db.tasks, db.projects], async () => {
    const unsent = await db.outbox.where('acked').equals(0).limit(MAX_ENTRIES).toArray();
    return Promise.all(
      unsent.map(async (e) => ({
        mutationId: e.mutationId,
        type: e.mutation.type,
        entityId: e.entityId,
        label: await labelFor(replica, e),
      })),
    );
  });
}

async function labelFor(replica: Replica, e: OutboxEntry): Promise<string> {
  const fields = 'fields' in e.mutation ? (e.mutation.fields as Record<string, unknown>) : {};
  const named = fields['title'] ?? fields['name'];
  if (typeof named === 'string') return named;
  const row = e.mutation.type.startsWith('task.')
    ? (await replica.db.tasks.get(e.mutation.entityId))?.title
    : (await replica.db.projects.get(e.mutation.entityId))?.name;
  return row ?? e.entityId;
}

/** How long outbox changes may wait before the journal is rewritten (a burst is one rewrite). */
export const JOURNAL_DELAY_MS = 100;

/**
 * Mirrors the unsent outbox into `storage` until `signal` aborts: now, and JOURNAL_DELAY_MS
 * after the outbox changed (in this tab or another), however many changes came in between —
 * a re-read and a localStorage write per outbox change sat beside every local write.
 */
export function journalUnsent(
  replica: Replica,
  storage: KeyValueStorage | null,
  signal: AbortSignal,
  timers: Timers = realTimers,
): void {
  if (!storage || signal.aborted) return;
  const outbox = `idb://${replica.db.name}/outbox/`;
  let timer: unknown = null;
  let last: string | null = null;
  const rewrite = async () => {
    timer = null;
    const list = await readUnsent(replica).catch(() => null);
    if (list === null || signal.aborted) return;
    const json = JSON.stringify(list);
    if (json === last) return;
    last = json;
    try {
      storage.setItem(keyFor(replica.userId), json);
    } catch {
      // A full localStorage only loses the detail of an eviction notice.
    }
  };
  const onMutated = (parts: ObservabilitySet) => {
    if (timer !== null || !Object.keys(parts).some((p) => p.startsWith(outbox))) return;
    timer = timers.setTimeout(() => void rewrite(), JOURNAL_DELAY_MS);
  };
  Dexie.on('storagemutated', onMutated);
  void rewrite();
  signal.addEventListener(
    'abort',
    () => {
      Dexie.on('storagemutated').unsubscribe(onMutated);
      if (timer !== null) timers.clearTimeout(timer);
    },
    { once: true },
  );
}

/** "new task", "edit of a task", "deleted project" — the change in the user's words. */
export function describeWrite(type: string): string {
  const [entity, kind] = type.split('.');
  if (kind === 'create') return `new ${entity}`;
  if (kind === 'delete') return `deleted ${entity}`;
  return `edit of a ${entity}`;
}

/** The writes of the evicted database the server never received (ids after its last one). */
export function lostWrites(before: readonly UnsentWrite[], detail: unknown): UnsentWrite[] {
  const last = (detail as { serverLastMutationId?: unknown } | null)?.serverLastMutationId;
  return typeof last === 'number' ? before.filter((w) => w.mutationId > last) : [];
}

import Dexie, { type ObservabilitySet } from 'dexie';
import { z } from 'zod/mini';
import {
  getMeta,
  readUnsentEntries,
  realTimers,
  type EnvironmentLike,
  type KeyValueStorage,
  type Notice,
  type Timers,
  type OutboxEntry,
  type Replica,
} from '@outpost/sync';

/**
 * A short copy of the unsent outbox (which row, what kind of change) kept outside IndexedDB,
 * so that when the browser evicts the database the app can say which writes were lost, not
 * only how many. Titles only; rewritten after outbox changes (`journalUnsent`).
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

/** The user's journal and its eviction copy: titles of their writes, which sign-out removes. */
export const unsentJournalKeys = (userId: string) => [keyFor(userId), evictedKeyFor(userId)];

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
 * (the new outbox) replace what was lost. The notice then stays (`meta.evictionNotice`, shown
 * at every start) until the user dismisses it, and the copy with it; then the copy goes.
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
    const pending =
      (await getMeta(replica.db, 'vanished')) ?? (await getMeta(replica.db, 'evictionNotice'));
    if (pending) return parseJournal(storage.getItem(key));
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
  return db.transaction('r', [db.writes, db.meta, db.tasks, db.projects], async () => {
    const unsent = await readUnsentEntries(replica, MAX_ENTRIES);
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

/** A burst of outbox changes rewrites the journal at most this often. */
export const JOURNAL_EVERY_MS = 100;

export interface JournalOptions {
  /** Its 'hidden' writes a due rewrite at once: the page may be closing. */
  environment?: Pick<EnvironmentLike, 'subscribe'> | null;
  timers?: Timers;
  now?: () => number;
}

/**
 * Mirrors the unsent outbox into `storage` until `signal` aborts: now, and after outbox
 * changes (in this tab or another) — the first change after a quiet spell at once, a burst at
 * most once per `JOURNAL_EVERY_MS` (each rewrite is a read-only transaction and perhaps a
 * localStorage write beside the writes), with its last change always taken up. A rewrite due
 * is made at once when the page is hidden (it may be closing) and when the journal stops.
 * localStorage is written only when the journal changed.
 */
export function journalUnsent(
  replica: Replica,
  storage: KeyValueStorage | null,
  signal: AbortSignal,
  options: JournalOptions = {},
): void {
  if (!storage || signal.aborted) return;
  const timers = options.timers ?? realTimers;
  const now = options.now ?? Date.now;
  const outbox = `idb://${replica.db.name}/writes/`;
  let running = false;
  /** A change not journaled yet; `urgent`: write it as soon as the running read ends. */
  let dirty = false;
  let urgent = false;
  let due: unknown = null;
  let lastAt = Number.NEGATIVE_INFINITY;
  let last: string | null = null;

  const rewrite = async () => {
    timers.clearTimeout(due);
    due = null;
    running = true;
    dirty = urgent = false;
    lastAt = now();
    const list = await readUnsent(replica).catch(() => null);
    const json = list && JSON.stringify(list);
    if (json !== null && json !== last) {
      last = json;
      try {
        storage.setItem(keyFor(replica.userId), json);
      } catch {
        // A full localStorage only loses the detail of an eviction notice.
      }
    }
    running = false;
    if (dirty) changed(urgent);
  };
  /** The outbox changed (or must be journaled now: `now`). */
  const changed = (at: boolean) => {
    dirty = true;
    urgent ||= at;
    if (running) return;
    if (urgent) void rewrite();
    else
      due ??= timers.setTimeout(
        () => void rewrite(),
        Math.max(0, lastAt + JOURNAL_EVERY_MS - now()),
      );
  };
  const onMutated = (parts: ObservabilitySet) => {
    if (Object.keys(parts).some((p) => p.startsWith(outbox))) changed(false);
  };
  Dexie.on('storagemutated', onMutated);
  const unsubscribe = options.environment?.subscribe((event) => {
    if (event === 'hidden' && dirty) changed(true);
  });
  changed(true);
  signal.addEventListener(
    'abort',
    () => {
      Dexie.on('storagemutated').unsubscribe(onMutated);
      unsubscribe?.();
      if (dirty) changed(true);
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

/**
 * An `evicted` notice whose count is at least the journal's list of lost writes. The count
 * comes from the localStorage sentinel, written after a write (at most every 100 ms), the
 * list from the journal (as often): whichever was written last knows more, and a count below
 * the list it is shown with would say fewer changes were lost than it names.
 */
export function withLostWrites(notice: Notice, lost: readonly UnsentWrite[]): Notice {
  const d = notice.detail as { lostChanges?: unknown } | null;
  if (notice.kind !== 'evicted' || typeof d !== 'object' || d === null || !('lostChanges' in d))
    return notice;
  const counted = typeof d.lostChanges === 'number' ? d.lostChanges : null;
  if (counted !== null && counted >= lost.length) return notice;
  return { ...notice, detail: { ...d, lostChanges: Math.max(counted ?? 0, lost.length) } };
}

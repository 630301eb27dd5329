import { taskStatusSchema } from '@outpost/shared';
import type { OutpostDb } from '@outpost/sync';
import { whenIdle } from './idle';
import type { SearchEntry } from './search-index';

/**
 * A compact copy of the search index, kept in the user's own database (`meta`, under this key:
 * deleted with the rest of the workspace's data on sign-out), so that a start reads it in one
 * request instead of every full task row (10,000 rows: ~0.5–0.9 s in Chromium).
 *
 * It is used only when nothing that can change a task row has happened since it was written
 * (its `mark`, see `readMark`); otherwise the index is read from the rows as before, and the
 * copy written again.
 */
export const SNAPSHOT_KEY = 'searchIndexSnapshot';
/** Bumped when the stored shape or what `text` holds changes: an older copy is then ignored. */
const FORMAT = 1;

/** Per database, the mark of the copy known to be stored (written or read by this page). */
const storedMarks = new WeakMap<OutpostDb, string>();

/** Whether the stored copy is known to be of `mark` (then writing it again would change nothing). */
export function copyIsOf(db: OutpostDb, mark: string): boolean {
  return storedMarks.get(db) === mark;
}

/** Each entry as stored: the fields of `SearchEntry` in this order. */
type Tuple = [
  id: string,
  projectId: string,
  status: string,
  assigneeId: string | null,
  dueDate: string | null,
  title: string,
  updatedAt: string,
  text: string,
];

interface Stored {
  format: number;
  mark: string;
  /** JSON of the entries as tuples: one string clones in one copy, not 10,000 objects. */
  entries: string;
}

/**
 * 53-bit string hash (cyrb53): a short stand-in for the outbox's records in the mark. A change
 * it missed would need two different outboxes hashing alike.
 */
function hash(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The meta keys whose values are part of the mark. */
const MARK_KEYS = ['clientId', 'user', 'cursor', 'lastMutationId', 'liveThrough', 'vanished'];

/**
 * What the task rows follow from, read without reading them: the database, who it belongs to
 * (user and org), the change-log cursor (every pulled page with changes moves it, a resync or
 * a reset too), the last mutation id, every outbox record (a local write adds one; an ack, a
 * refusal or a rebase changes or drops one) and the number of rows. Every write of the sync
 * engine to `tasks` changes one of them in the same transaction — this tab's, another tab's, the
 * service worker's, or a pull while the app was open; so an unchanged mark means unchanged rows.
 * Read inside the caller's transaction when there is one.
 */
async function markNow(db: OutpostDb): Promise<string | undefined> {
  const [metas, writes, count] = await Promise.all([
    db.meta.bulkGet(MARK_KEYS),
    db.writes.toArray(),
    db.tasks.count(),
  ]);
  // A database the sync engine has not opened (no client id, no cursor) has no sync state to
  // vouch for its rows: no copy is kept of it.
  if (metas[0] === undefined || metas[2] === undefined) return undefined;
  return JSON.stringify([
    FORMAT,
    db.name,
    metas.map((m) => m?.value ?? null),
    count,
    writes.length,
    hash(JSON.stringify(writes)),
  ]);
}

/** The mark in one read transaction. */
export function readMark(db: OutpostDb): Promise<string | undefined> {
  return db.transaction('r', [db.meta, db.writes, db.tasks], () => markNow(db));
}

/** Statuses checked once each (a copy holds 10,000 entries and three statuses). */
const statusChecked = new Map<string, boolean>();
function isStatus(s: string): boolean {
  let ok = statusChecked.get(s);
  if (ok === undefined) statusChecked.set(s, (ok = taskStatusSchema.safeParse(s).success));
  return ok;
}

function toEntry(t: unknown): SearchEntry | null {
  if (!Array.isArray(t) || t.length !== 8) return null;
  const [id, projectId, status, assigneeId, dueDate, title, updatedAt, text] = t as unknown[];
  const str = (v: unknown): v is string => typeof v === 'string';
  const opt = (v: unknown): v is string | null => v === null || typeof v === 'string';
  if (
    !str(id) ||
    !str(projectId) ||
    !str(status) ||
    !isStatus(status) ||
    !opt(assigneeId) ||
    !opt(dueDate) ||
    !str(title) ||
    !str(updatedAt) ||
    !str(text)
  )
    return null;
  return {
    id,
    projectId,
    status: status as SearchEntry['status'],
    assigneeId,
    dueDate,
    title,
    updatedAt,
    text,
  };
}

/**
 * The stored copy's entries by id, read in one transaction with the mark it is checked against
 * (returned too: the rows read instead are as of that mark at the earliest). No entries when
 * there is no copy, or it is of another format, another database, user or org, written before
 * a change to the rows, or not readable (then the rows are read).
 */
export async function readSnapshot(
  db: OutpostDb,
): Promise<{ entries?: Map<string, SearchEntry>; mark: string | undefined }> {
  const [stored, mark] = await db.transaction('r', [db.meta, db.writes, db.tasks], () =>
    Promise.all([db.meta.get(SNAPSHOT_KEY), markNow(db)]),
  );
  const entries = parseStored(stored?.value, mark);
  if (entries && mark !== undefined) storedMarks.set(db, mark);
  return { entries, mark };
}

function parseStored(v: unknown, mark: string | undefined): Map<string, SearchEntry> | undefined {
  const value = v as Partial<Stored> | undefined;
  if (!value || mark === undefined || value.format !== FORMAT || value.mark !== mark)
    return undefined;
  if (typeof value.entries !== 'string') return undefined;
  let tuples: unknown;
  try {
    tuples = JSON.parse(value.entries);
  } catch {
    return undefined;
  }
  if (!Array.isArray(tuples)) return undefined;
  const map = new Map<string, SearchEntry>();
  for (const t of tuples) {
    const e = toEntry(t);
    if (!e) return undefined;
    map.set(e.id, e);
  }
  return map;
}

/**
 * Stores `entries` as the copy for `mark` — when the rows are still as of that mark (checked in
 * the writing transaction; otherwise nothing is written). Returns whether it was written.
 */
export async function writeSnapshot(
  db: OutpostDb,
  entries: readonly SearchEntry[],
  mark: string,
): Promise<boolean> {
  const json = JSON.stringify(
    entries.map((e): Tuple => [
      e.id,
      e.projectId,
      e.status,
      e.assigneeId,
      e.dueDate,
      e.title,
      e.updatedAt,
      e.text,
    ]),
  );
  const written = await db.transaction('rw', [db.meta, db.writes, db.tasks], async () => {
    if ((await markNow(db)) !== mark) return false;
    const value: Stored = { format: FORMAT, mark, entries: json };
    await db.meta.put({ key: SNAPSHOT_KEY, value });
    return true;
  });
  if (written) storedMarks.set(db, mark);
  return written;
}

/** How long the copy's write waits at most for an idle moment after a build. */
const IDLE_WAIT_MS = 1000;

/** `writeSnapshot` in an idle moment (errors are logged: the copy is only a shortcut). */
export function writeSnapshotSoon(
  db: OutpostDb,
  entries: readonly SearchEntry[],
  mark: string,
): void {
  whenIdle(() => {
    writeSnapshot(db, entries, mark).catch((err: unknown) => {
      // Closed meanwhile (sign-out, another tab's upgrade): nothing to keep a copy for.
      if ((err as { name?: unknown } | null)?.name === 'DatabaseClosedError') return;
      console.warn('search index: storing its copy failed', err);
    });
  }, IDLE_WAIT_MS);
}

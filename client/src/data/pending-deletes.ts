import { taskStatusSchema } from '@outpost/shared';
import { z } from 'zod/mini';
import type { KeyValueStorage } from '@outpost/sync';

/**
 * Deletes with an undo window. The protocol's delete is final (a tombstone every replica
 * applies), so a delete is first only an INTENT: kept in localStorage (it survives a reload or
 * a crash), the task hidden on this device, and nothing in the outbox. When the window ends —
 * or at the next start if the app was closed inside it — the intent becomes a real delete
 * mutation. Undo just drops the intent: the server never hears of it.
 *
 * The window stands still while its toast is paused (hovered, focused, the page hidden): the
 * intent is marked paused in storage and no tab commits it; on resume its deadline moves to
 * when the toast's own time runs out. An intent still paused at the next start was left by a
 * page that went away with its toast (a crash, a closed tab): nothing can undo it any more, so
 * it is committed then, as one whose window ran out while the app was closed.
 */

export const UNDO_WINDOW_MS = 5_000;

const intentSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  status: taskStatusSchema,
  title: z.string(),
  /** When the user deleted (ms); the delete is committed at `at + UNDO_WINDOW_MS`. */
  at: z.number(),
  /** Set while its toast is paused (when it paused, ms): the window stands still. */
  pausedAt: z.optional(z.number()),
});
export type DeleteIntent = z.infer<typeof intentSchema>;
const listSchema = z.array(intentSchema);

export const pendingDeletesKey = (userId: string) => `outpost-pending-deletes:${userId}`;

export interface PendingDeletesOptions {
  userId: string;
  storage: KeyValueStorage | null;
  /** Makes the delete real (the engine's `deleteTask`). */
  commit(id: string): Promise<void>;
  /** A commit that failed for another reason than "already gone". */
  onError?(error: unknown, intent: DeleteIntent): void;
  now?: () => number;
  windowMs?: number;
}

export type PendingDeletes = ReturnType<typeof createPendingDeletes>;

export function createPendingDeletes(options: PendingDeletesOptions) {
  const { storage } = options;
  const key = pendingDeletesKey(options.userId);
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? UNDO_WINDOW_MS;
  /** The armed commits: the deadline each was armed for, and whether it was left paused. */
  const timers = new Map<
    string,
    { timer: ReturnType<typeof setTimeout>; due: number; leftPaused: boolean }
  >();
  const listeners = new Set<() => void>();
  let list: readonly DeleteIntent[] = load();
  let hidden: ReadonlySet<string> = new Set(list.map((i) => i.id));

  function load(): DeleteIntent[] {
    try {
      const raw = storage?.getItem(key);
      const parsed = raw ? listSchema.safeParse(JSON.parse(raw)) : null;
      return parsed?.success ? parsed.data : [];
    } catch {
      return [];
    }
  }
  function set(next: readonly DeleteIntent[], save = true): void {
    list = next;
    hidden = new Set(next.map((i) => i.id));
    if (save) {
      try {
        if (next.length) storage?.setItem(key, JSON.stringify(next));
        else storage?.removeItem(key);
      } catch {
        // Storage full or disabled: the intent still holds in memory for this session.
      }
    }
    for (const l of [...listeners]) l();
  }

  /** `leftPaused`: an intent a page that went away left paused (see the top) is committed too. */
  async function commit(id: string, leftPaused = false): Promise<void> {
    timers.delete(id);
    // Another tab may have committed, undone or paused it meanwhile: storage is the truth.
    const intent = load().find((i) => i.id === id);
    if (!intent || (intent.pausedAt !== undefined && !leftPaused)) return set(load(), false);
    try {
      await options.commit(id);
    } catch (err) {
      // The database closed for good under this page (another tab upgraded it: the page is
      // told to reload): nothing can be sent from here, and the delete is kept as it is, sent
      // at the next start like one whose window ran out while the app was closed.
      if (err instanceof Error && err.name === 'DatabaseClosedError') return;
      // Already gone (deleted elsewhere, or committed by another tab) is success.
      if (!(err instanceof Error && err.name === 'NotFoundError')) options.onError?.(err, intent);
    }
    set(load().filter((i) => i.id !== id));
  }

  function disarm(id: string): void {
    clearTimeout(timers.get(id)?.timer);
    timers.delete(id);
  }

  function arm(intent: DeleteIntent, leftPaused = false): void {
    disarm(intent.id);
    if (intent.pausedAt !== undefined && !leftPaused) return;
    const due = leftPaused ? now() : intent.at + windowMs;
    const timer = setTimeout(() => void commit(intent.id, leftPaused), Math.max(0, due - now()));
    timers.set(intent.id, { timer, due, leftPaused });
  }

  /**
   * Timers follow the stored list (another tab may have added, undone, paused or resumed
   * intents).
   */
  function rearm(): void {
    const byId = new Map(list.map((i) => [i.id, i]));
    for (const [id, { due, leftPaused }] of timers) {
      const intent = byId.get(id);
      if (!intent) disarm(id);
      else if (!leftPaused && (intent.pausedAt !== undefined || intent.at + windowMs !== due))
        disarm(id);
    }
    for (const intent of list) if (!timers.has(intent.id)) arm(intent);
  }

  function scheduleMany(intents: readonly Omit<DeleteIntent, 'at'>[]): DeleteIntent[] {
    const at = now();
    const full = intents.map((intent) => ({ ...intent, at }));
    const ids = new Set(full.map((i) => i.id));
    set([...load().filter((i) => !ids.has(i.id)), ...full]);
    for (const intent of full) arm(intent);
    return full;
  }

  function undoMany(ids: readonly string[]): void {
    for (const id of ids) disarm(id);
    const gone = new Set(ids);
    set(load().filter((i) => !gone.has(i.id)));
  }

  function pause(ids: readonly string[]): void {
    const held = new Set(ids);
    const at = now();
    let changed = false;
    const next = load().map((i) => {
      if (!held.has(i.id) || i.pausedAt !== undefined) return i;
      disarm(i.id);
      changed = true;
      return { ...i, pausedAt: at };
    });
    if (changed) set(next);
  }

  function resume(ids: readonly string[], leftMs: number): void {
    const held = new Set(ids);
    // The window now ends when the toast's does: `leftMs` from now.
    const at = now() + leftMs - windowMs;
    const resumed: DeleteIntent[] = [];
    const next = load().map((i) => {
      if (!held.has(i.id) || i.pausedAt === undefined) return i;
      const { pausedAt: _, ...rest } = i;
      resumed.push({ ...rest, at });
      return resumed.at(-1)!;
    });
    if (resumed.length === 0) return;
    set(next);
    for (const intent of resumed) arm(intent);
  }

  const onStorage = (e: StorageEvent) => {
    if (e.key !== key) return;
    set(load(), false);
    rearm();
  };

  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Ids hidden on this device while their delete waits out the undo window. */
    getSnapshot: (): ReadonlySet<string> => hidden,
    list: (): readonly DeleteIntent[] => list,
    /** Hides the task now and deletes it for real after the window. */
    schedule(intent: Omit<DeleteIntent, 'at'>): DeleteIntent {
      return scheduleMany([intent])[0]!;
    },
    /** Several at once (a bulk delete): one save and one notice, not one per task. */
    scheduleMany,
    /** Undo: the task comes back and nothing reaches the server. */
    undo(id: string): void {
      undoMany([id]);
    },
    undoMany,
    /** Their toast paused: their window stands still (in every tab) until `resume`. */
    pause,
    /** Their toast counts down again with `leftMs` to go: they are committed when it ends. */
    resume,
    /**
     * Resumes intents left by an earlier session: those past their window, or left paused, are
     * committed now, the others when their window ends. Returns the stop function (timers,
     * other-tab events).
     */
    start(): () => void {
      set(load(), false);
      for (const intent of list) if (intent.pausedAt !== undefined) arm(intent, true);
      rearm();
      if (typeof window !== 'undefined') window.addEventListener('storage', onStorage);
      return () => {
        for (const t of timers.values()) clearTimeout(t.timer);
        timers.clear();
        if (typeof window !== 'undefined') window.removeEventListener('storage', onStorage);
      };
    },
    /** Sign-out: the intents belong to the data being wiped. */
    clear(): void {
      for (const t of timers.values()) clearTimeout(t.timer);
      timers.clear();
      set([]);
    },
  };
}

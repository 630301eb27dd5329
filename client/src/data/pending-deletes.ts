import { taskStatusSchema } from '@outpost/shared';
import { z } from 'zod/mini';
import type { KeyValueStorage } from '@outpost/sync';

/**
 * Deletes with an undo window. The protocol's delete is final (a tombstone every replica
 * applies), so a delete is first only an INTENT: kept in localStorage (it survives a reload or
 * a crash), the task hidden on this device, and nothing in the outbox. When the window ends —
 * or at the next start if the app was closed inside it — the intent becomes a real delete
 * mutation. Undo just drops the intent: the server never hears of it.
 */

export const UNDO_WINDOW_MS = 5_000;

const intentSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  status: taskStatusSchema,
  title: z.string(),
  /** When the user deleted (ms); the delete is committed at `at + UNDO_WINDOW_MS`. */
  at: z.number(),
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
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
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

  async function commit(id: string): Promise<void> {
    timers.delete(id);
    // Another tab may have committed or undone it meanwhile: storage is the truth.
    const intent = load().find((i) => i.id === id);
    if (!intent) return set(load(), false);
    try {
      await options.commit(id);
    } catch (err) {
      // Already gone (deleted elsewhere, or committed by another tab) is success.
      if (!(err instanceof Error && err.name === 'NotFoundError')) options.onError?.(err, intent);
    }
    set(load().filter((i) => i.id !== id));
  }

  function arm(intent: DeleteIntent): void {
    clearTimeout(timers.get(intent.id));
    const left = Math.max(0, intent.at + windowMs - now());
    timers.set(
      intent.id,
      setTimeout(() => void commit(intent.id), left),
    );
  }

  /** Timers follow the stored list (another tab may have added or undone intents). */
  function rearm(): void {
    for (const [id, t] of timers) {
      if (!hidden.has(id)) {
        clearTimeout(t);
        timers.delete(id);
      }
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
    for (const id of ids) {
      clearTimeout(timers.get(id));
      timers.delete(id);
    }
    const gone = new Set(ids);
    set(load().filter((i) => !gone.has(i.id)));
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
    /**
     * Resumes intents left by an earlier session: those past their window are committed now,
     * the others when their window ends. Returns the stop function (timers, other-tab events).
     */
    start(): () => void {
      set(load(), false);
      rearm();
      if (typeof window !== 'undefined') window.addEventListener('storage', onStorage);
      return () => {
        for (const t of timers.values()) clearTimeout(t);
        timers.clear();
        if (typeof window !== 'undefined') window.removeEventListener('storage', onStorage);
      };
    },
    /** Sign-out: the intents belong to the data being wiped. */
    clear(): void {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      set([]);
    },
  };
}

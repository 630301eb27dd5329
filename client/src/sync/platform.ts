import type { LockManagerLike } from './leader';
import type { TabMessage } from './tabs';

/** The browser services the engine uses, behind small interfaces so tests can pass their own. */

/** Cross-tab messages (BroadcastChannel-like); what arrives is parsed (`tabs.ts`). */
export interface BroadcastLike {
  postMessage(msg: TabMessage): void;
  addEventListener(type: 'message', fn: (ev: { data: unknown }) => void): void;
  removeEventListener(type: 'message', fn: (ev: { data: unknown }) => void): void;
  close(): void;
}

/**
 * Where `online`/`offline`/`visibilitychange`/`focus` come from (window + document in a
 * browser).
 */
export interface EnvironmentLike {
  isOnline(): boolean;
  subscribe(
    onChange: (event: 'online' | 'offline' | 'visible' | 'hidden' | 'focus') => void,
  ): () => void;
}

export function defaultEnvironment(): EnvironmentLike | null {
  if (typeof window === 'undefined' || typeof document === 'undefined') return null;
  return {
    isOnline: () => navigator.onLine,
    subscribe(onChange) {
      const stop = new AbortController();
      const { signal } = stop;
      window.addEventListener('online', () => onChange('online'), { signal });
      window.addEventListener('offline', () => onChange('offline'), { signal });
      window.addEventListener('focus', () => onChange('focus'), { signal });
      document.addEventListener(
        'visibilitychange',
        () => onChange(document.visibilityState === 'visible' ? 'visible' : 'hidden'),
        { signal },
      );
      return () => stop.abort();
    },
  };
}

export function defaultBroadcast(userId: string): BroadcastLike | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  return new BroadcastChannel(`outpost-sync-${userId}`) as unknown as BroadcastLike;
}

export function defaultLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? null;
}

/**
 * A signal that aborts when any of `signals` does, with the first one's reason. Made by hand,
 * not `AbortSignal.any` (missing before Safari 17.4; the app's build targets 16.4, where the
 * sync loop could not start without this), and the same everywhere: it listens to each signal
 * until the result aborts — abort a signal of your own when done with a result that may never
 * abort (as the loop's waits do).
 */
export function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  const ctl = new AbortController();
  const { signal } = ctl;
  for (const s of signals) {
    if (s.aborted) {
      ctl.abort(s.reason);
      break;
    }
    // Removed from every signal once the result aborts, whichever signal aborted it.
    s.addEventListener('abort', () => ctl.abort(s.reason), { signal });
  }
  return signal;
}

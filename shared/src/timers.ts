/**
 * Timers are injected so tests drive time (backoff, coalescing, expiry) with fakes; the client
 * and the server each supply the platform's as `realTimers`.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { anySignal, defaultEnvironment } from './platform';

describe('defaultEnvironment', () => {
  it('reports online, offline and visibility until unsubscribed', () => {
    const env = defaultEnvironment()!;
    const seen = vi.fn();
    const stop = env.subscribe(seen);
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(seen.mock.calls).toEqual([['offline'], ['online'], ['visible']]);
    stop();
    window.dispatchEvent(new Event('offline'));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(seen).toHaveBeenCalledTimes(3);
  });
});

describe('anySignal', () => {
  // By hand, as Safari before 17.4 has no AbortSignal.any.
  it("aborts with the first signal's reason, once", () => {
    const a = new AbortController();
    const b = new AbortController();
    const both = anySignal([a.signal, b.signal]);
    const seen = vi.fn();
    both.addEventListener('abort', seen);
    expect(both.aborted).toBe(false);
    b.abort('stopped');
    a.abort('later');
    expect(both.aborted).toBe(true);
    expect(both.reason).toBe('stopped');
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('is aborted at once when a signal already is', () => {
    const done = AbortSignal.abort('gone');
    const other = new AbortController();
    const both = anySignal([other.signal, done]);
    expect(both.aborted).toBe(true);
    expect(both.reason).toBe('gone');
  });

  it('stops listening to every signal once it aborted', () => {
    const outer = new AbortController();
    const inner = new AbortController();
    const added = vi.spyOn(outer.signal, 'addEventListener');
    const both = anySignal([outer.signal, inner.signal]);
    // The listener on `outer` leaves with the result's abort (addEventListener's `signal`).
    const [, , options] = added.mock.calls[0]!;
    expect(options).toEqual({ signal: both });
    inner.abort();
    expect(both.aborted).toBe(true);
  });

  it('does not need AbortSignal.any', () => {
    const any = AbortSignal.any;
    // @ts-expect-error: as in Safari 16.4–17.3
    delete AbortSignal.any;
    try {
      const ctl = new AbortController();
      const both = anySignal([ctl.signal]);
      ctl.abort('x');
      expect(both.reason).toBe('x');
    } finally {
      AbortSignal.any = any;
    }
  });
});

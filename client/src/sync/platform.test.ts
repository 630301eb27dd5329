// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { defaultEnvironment } from './platform';

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

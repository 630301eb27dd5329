import { describe, expect, it } from 'vitest';
import { MAX_COUNTED_KEYS, memoryFailureLimiter } from './failure-limiter.js';

describe('memoryFailureLimiter', () => {
  it('blocks a key at max failures until its window ends', async () => {
    let t = 1_000;
    const limiter = memoryFailureLimiter({ max: 2, windowMs: 500, now: () => t });
    expect(await limiter.fail('a')).toBe(1);
    expect(await limiter.blockedFor('a')).toBe(0);
    expect(await limiter.fail('a')).toBe(2);
    expect(await limiter.blockedFor('a')).toBe(500);
    expect(await limiter.blockedFor('b')).toBe(0);
    t += 500;
    expect(await limiter.blockedFor('a')).toBe(0);
    expect(await limiter.fail('a')).toBe(1);
  });

  it('forgets the least recently failed key once it counts more than its bound', async () => {
    const limiter = memoryFailureLimiter({ max: 2, windowMs: 60_000, now: () => 0 });
    await limiter.fail('first');
    await limiter.fail('second');
    await limiter.fail('first'); // failed again: now the most recent, blocked
    for (let i = 0; i < MAX_COUNTED_KEYS - 1; i++) await limiter.fail(`spray-${i}`);
    expect(await limiter.blockedFor('first')).toBe(60_000);
    expect(await limiter.fail('second')).toBe(1); // forgotten, counts from one again
  });
});

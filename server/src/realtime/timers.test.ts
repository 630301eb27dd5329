import { afterAll, describe, expect, it } from 'vitest';
import { timerListCounter } from '../../test/helpers/timer-lists.js';
import { realTimers } from './timers.js';

describe('realTimers', () => {
  const lists = timerListCounter();
  afterAll(() => lists.close());

  it('a cleared timer leaves nothing queued, whatever its delay (a socket expiry each)', async () => {
    const before = await lists.count();
    for (let i = 0; i < 500; i++)
      realTimers.clearTimeout(realTimers.setTimeout(() => {}, 3_600_000 + i));
    expect(await lists.count()).toBeLessThanOrEqual(before);
  });
});

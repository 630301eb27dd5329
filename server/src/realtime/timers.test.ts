import { Session as InspectorSession } from 'node:inspector/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realTimers } from './timers.js';

/** Counts live objects with Node's internal TimersList prototype, through the inspector. */
async function timerLists(session: InspectorSession): Promise<number> {
  const { result } = await session.post('Runtime.evaluate', {
    expression: 'globalThis.__timersListPrototype',
  });
  const { objects } = await session.post('Runtime.queryObjects', {
    prototypeObjectId: result.objectId!,
  });
  const { result: count } = await session.post('Runtime.callFunctionOn', {
    objectId: objects.objectId!,
    functionDeclaration: 'function () { return this.length; }',
    returnByValue: true,
  });
  return count.value as number;
}

describe('realTimers', () => {
  const session = new InspectorSession();
  beforeAll(() => {
    session.connect();
    // A lone timer's neighbours in its duration's linked list are the list itself.
    const probe = setTimeout(() => {}, 987_654) as unknown as { _idleNext: object };
    (globalThis as Record<string, unknown>)['__timersListPrototype'] = Object.getPrototypeOf(
      probe._idleNext,
    );
    clearTimeout(probe as unknown as NodeJS.Timeout);
  });
  afterAll(() => {
    delete (globalThis as Record<string, unknown>)['__timersListPrototype'];
    session.disconnect();
  });

  it('a cleared timer leaves nothing queued, whatever its delay (a socket expiry each)', async () => {
    const before = await timerLists(session);
    for (let i = 0; i < 500; i++)
      realTimers.clearTimeout(realTimers.setTimeout(() => {}, 3_600_000 + i));
    expect(await timerLists(session)).toBeLessThanOrEqual(before);
  });
});

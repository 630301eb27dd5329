import { Session as InspectorSession } from 'node:inspector/promises';

const KEY = '__outpostTimersListPrototype';

/**
 * Counts Node's per-delay timer lists (its internal TimersList objects) through the inspector:
 * a cleared timer that left its list queued shows here exactly, where the heap is noisy.
 */
export function timerListCounter(): { count(): Promise<number>; close(): void } {
  const session = new InspectorSession();
  session.connect();
  // A lone timer's neighbours in its delay's linked list are the list itself.
  const probe = setTimeout(() => {}, 987_654) as unknown as { _idleNext: object };
  (globalThis as Record<string, unknown>)[KEY] = Object.getPrototypeOf(probe._idleNext);
  clearTimeout(probe as unknown as NodeJS.Timeout);
  return {
    async count() {
      const { result } = await session.post('Runtime.evaluate', { expression: KEY });
      const { objects } = await session.post('Runtime.queryObjects', {
        prototypeObjectId: result.objectId!,
      });
      const { result: n } = await session.post('Runtime.callFunctionOn', {
        objectId: objects.objectId!,
        functionDeclaration: 'function () { return this.length; }',
        returnByValue: true,
      });
      return n.value as number;
    },
    close() {
      delete (globalThis as Record<string, unknown>)[KEY];
      session.disconnect();
    },
  };
}

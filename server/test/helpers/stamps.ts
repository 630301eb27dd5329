import { HlcError, parseHlc, serializeHlc } from '@outpost/shared';

/**
 * `mutations` with each stamp's node made `clientId`, as a client stamps its own writes (a push
 * whose stamps name another client is refused). What is not a stamp stays as it is, for tests
 * of the schema's refusals.
 */
export function stampedBy<T>(clientId: string, mutations: readonly T[]): T[] {
  return mutations.map((m) => {
    const hlc = (m as { hlc?: unknown }).hlc;
    if (typeof hlc !== 'string') return m;
    try {
      return { ...m, hlc: serializeHlc({ ...parseHlc(hlc), node: clientId }) };
    } catch (err) {
      if (err instanceof HlcError) return m;
      throw err;
    }
  });
}

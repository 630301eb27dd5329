/**
 * Counts IndexedDB requests on one object store (its indexes and cursor steps included), by
 * method, while `counting` is true, until `restore()`. Works on the globals fake-indexeddb
 * installs.
 */
export function countRequests(storeName: string) {
  const requests: Record<string, number> = {};
  const storeOf = (s: IDBObjectStore | IDBIndex) => ('objectStore' in s ? s.objectStore : s);
  const wrapped: [Record<string, unknown>, string, unknown][] = [];
  const counter = {
    requests,
    counting: true,
    restore(): void {
      for (const [target, name, original] of wrapped.splice(0)) target[name] = original;
    },
  };
  const wrap = (proto: object, name: string, of: (self: never) => IDBObjectStore) => {
    const target = proto as Record<string, (...a: unknown[]) => unknown>;
    const original = target[name]!;
    wrapped.push([target, name, original]);
    target[name] = function (this: never, ...a: unknown[]) {
      if (counter.counting && of(this).name === storeName)
        requests[name] = (requests[name] ?? 0) + 1;
      return original.apply(this, a);
    };
  };
  for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype])
    for (const name of ['get', 'getAll', 'getAllKeys', 'delete', 'openCursor', 'openKeyCursor'])
      if (name in proto) wrap(proto, name, (s: IDBObjectStore | IDBIndex) => storeOf(s));
  for (const name of ['continue', 'continuePrimaryKey', 'advance'])
    wrap(IDBCursor.prototype, name, (c: IDBCursor) =>
      storeOf(c.source as IDBObjectStore | IDBIndex),
    );
  return counter;
}

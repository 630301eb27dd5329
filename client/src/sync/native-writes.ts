import Dexie, {
  RangeSet,
  type DBCoreIndex,
  type DexieDOMDependencies,
  type ObservabilitySet,
  type Transaction,
} from 'dexie';

/**
 * Writes of a local write placed as native IndexedDB requests in the Dexie transaction that
 * runs it, announced exactly as Dexie announces its own (`client/src/sync/README.md`, "What a
 * local write costs"): a single create through Dexie's table calls cost 1.36–1.43× a raw Dexie
 * `put` for its two requests, placed natively and announced 1.15–1.17× (`--probe=writes`).
 *
 * What Dexie's calls would add and this does not: its DBCore middleware (none is installed on
 * the app's database; a test's request log sees these writes at the IndexedDB level) and its
 * per-request promises. What it must keep is the announcement: Dexie's observability
 * middleware collects the parts (table, index, key ranges) every write changes on the
 * transaction (`mutatedParts`, an internal property of Dexie 4's IDBTransaction), and at
 * commit fires them to this tab's live queries, the pending count and, over
 * BroadcastChannel, other tabs. The parts here follow its rules (dexie 4.4,
 * `observabilityMiddleware`) for transactions that keep no cache of existing values:
 *   - put/add of under 50 values: the primary keys, the same keys as `:dels`, each index's
 *     key of every value (each element of a multi-entry array); an auto-increment key once
 *     the request has it (and no `:dels`);
 *   - 50 values or more: the whole range of the primary key, `:dels` and every index;
 *   - delete: the keys, as primary keys and `:dels` (a delete by an index range, as
 *     `where(index).below(x).delete()`: the keys it found, none found still naming both parts).
 * `native-writes.test.ts` compares these parts with Dexie's own for the same writes (it
 * fails when a Dexie upgrade changes the rules) and that live queries see the writes.
 */

/** A key the engine's stores use (a string id, an auto-increment number, `base`'s pair). */
export type Key = string | number | (string | number)[];

/** One store's writes of a transaction. */
export type NativeWrite =
  | { store: string; type: 'add' | 'put'; values: readonly unknown[] }
  | { store: string; type: 'delete'; keys: readonly Key[] }
  /**
   * Every row whose `index` key is below `below`: their keys are read at this write's place in
   * the order, and deleted once read — after every request of the call placed synchronously
   * (a later write of the same call must not put a row this one deletes).
   */
  | { store: string; type: 'deleteBelow'; index: string; below: Key };

/** Dexie's transaction as it carries the changed parts of its writes to the commit. */
type AnnouncedTransaction = IDBTransaction & { mutatedParts?: ObservabilitySet };

/** At this many values Dexie stops listing keys and marks the whole table changed. */
const MANY = 50;

/**
 * Places `writes` in order in `tx` (a read-write transaction over their stores) and adds their
 * changed parts to it. Resolves, once the last request succeeded, with the key of each
 * write's last request (an `add` to an auto-increment store: the new key); the first failing
 * request rejects with its error (Dexie then aborts the transaction). `remember`: a store whose
 * rows these writes put or delete are listed with the parts (`writtenNatively`).
 */
export function placeNative(
  db: Dexie,
  tx: Transaction,
  writes: readonly NativeWrite[],
  remember?: string,
): Promise<Key[]> {
  const trans = tx.idbtrans as AnnouncedTransaction;
  /** `remember`'s rows as written: the value put, or undefined (deleted); null: not known. */
  let rows: Map<string, unknown> | null = remember === undefined ? null : new Map();
  const parts = new Map<string, RangeSet>();
  const part = (store: string, index: string | null): RangeSet => {
    const name = `idb://${db.name}/${store}/${index ?? ''}`;
    let set = parts.get(name);
    if (!set) parts.set(name, (set = new RangeSet()));
    return set;
  };
  return new Dexie.Promise<Key[]>((resolve, reject) => {
    const results: Key[] = [];
    const fail = (ev: Event) => {
      // As Dexie's own requests do: the transaction's error handler must not take it first.
      ev.stopPropagation();
      ev.preventDefault();
      const error = (ev.target as IDBRequest).error;
      // A transaction the browser aborted (a full disk) fails its requests with AbortError;
      // the cause is the transaction's own error (QuotaExceededError).
      reject(error?.name === 'AbortError' && trans.error ? trans.error : error);
    };
    /** Places one request; `answered` runs on its success. */
    let last: IDBRequest | null = null;
    const place = (req: IDBRequest, answered?: (result: unknown) => void) => {
      req.onerror = fail;
      if (answered) req.onsuccess = () => answered(req.result);
      last = req;
    };
    /** Resolves once `req` succeeded if it is still the last request placed then. */
    const finishAfter = (req: IDBRequest) => {
      const answered = req.onsuccess;
      req.onsuccess = (ev) => {
        answered?.call(req, ev);
        if (req !== last) return;
        // The last request: every other one has succeeded (a transaction runs them in order).
        trans.mutatedParts = Dexie.extendObservabilitySet(
          trans.mutatedParts ?? {},
          Object.fromEntries(parts),
        );
        if (rows) remembered.set(trans.mutatedParts, { store: remember!, rows });
        resolve(results);
      };
    };
    writes.forEach((w, i) => {
      const store = trans.objectStore(w.store);
      const answered = (key: unknown) => (results[i] = key as Key);
      if (w.type === 'delete' || w.type === 'deleteBelow') {
        const deleted = (keys: readonly Key[]) => {
          if (w.store === remember) for (const key of keys) rows?.set(String(key), undefined);
          keys.forEach((key, k) =>
            place(store.delete(key), k === keys.length - 1 ? answered : undefined),
          );
          part(w.store, '').addKeys(keys as Key[]);
          part(w.store, ':dels').addKeys(keys as Key[]);
        };
        if (w.type === 'delete') return deleted(w.keys);
        if (w.store === remember) rows = null;
        const range = keyRanges(db).upperBound(w.below, true);
        const read = store.index(w.index).getAllKeys(range);
        return place(read, (keys) => {
          deleted(keys as Key[]);
          // Its deletes are now the last requests.
          if ((keys as Key[]).length) finishAfter(last!);
        });
      }
      const { primaryKey, indexes } = db.core.schema.tables.find((t) => t.name === w.store)!;
      // Every store a local write touches has an inline primary key.
      const extractKey = primaryKey.extractKey!;
      const many = w.values.length >= MANY;
      // An auto-increment key is known once its request succeeded (Dexie adds it then).
      const generated = primaryKey.autoIncrement && !many;
      const lastValue = w.values.length - 1;
      w.values.forEach((value, k) =>
        place(
          w.type === 'add' ? store.add(value) : store.put(value),
          // No handler on the others (a bulk create places 10,000 requests).
          generated || k === lastValue
            ? (key) => {
                if (generated) part(w.store, '').addKey(key as Key);
                if (k === lastValue) answered(key);
              }
            : undefined,
        ),
      );
      if (many) {
        if (w.store === remember) rows = null;
        for (const name of ['', ':dels', ...indexes.map((ix) => ix.name)])
          part(w.store, name).add(new RangeSet(db.core.MIN_KEY, db.core.MAX_KEY));
        return;
      }
      const keys = w.values.map(extractKey).filter((key) => key != null) as Key[];
      if (w.store === remember)
        if (keys.length < w.values.length) rows = null;
        else w.values.forEach((value, k) => rows?.set(String(keys[k]), value));
      part(w.store, '').addKeys(keys);
      // Keys not known before the write (auto-increment) replace nothing (an empty part).
      const dels = part(w.store, ':dels');
      if (keys.length === w.values.length) dels.addKeys(keys);
      for (const ix of indexes) addIndexKeys(part(w.store, ix.name), ix, w.values);
    });
    const final = last as IDBRequest | null;
    if (final) finishAfter(final);
    else resolve(results);
  });
}

/** The key ranges of `db`'s IndexedDB (a test's may not be the global one). */
/**
 * The rows of one store that a transaction's native writes put (the value) or deleted
 * (undefined), by the parts it announced (`placeNative`'s `remember`).
 */
const remembered = new WeakMap<ObservabilitySet, { store: string; rows: Map<string, unknown> }>();

/**
 * What the native writes that announced `parts` put in `store` (the value) or deleted
 * (undefined), by key, when they were placed with `remember` set to that store (a carried
 * page's rows): a view can patch itself from them instead of reading the rows back. Undefined
 * when not known (another store, writes not remembered, a range delete, another tab's change).
 * Only native writes are listed: a transaction that also wrote `store` through Dexie's table
 * calls is known to Dexie's middlewares instead (`client/src/data/written-rows.ts` asks them
 * first).
 */
export function writtenNatively(
  parts: ObservabilitySet,
  store: string,
): ReadonlyMap<string, unknown> | undefined {
  const known = remembered.get(parts);
  return known?.store === store ? known.rows : undefined;
}

/**
 * Reads placed natively as a transaction's first requests: the `meta` rows of keys in
 * `[from, to]`, and whether any record of `writes` lists one of `ids` (its `entityIds`
 * index). Resolves once both are answered; a failing request rejects with its error (Dexie
 * then aborts the transaction).
 */
export function readNative(
  db: Dexie,
  tx: Transaction,
  meta: { from: string; to: string },
  ids: readonly string[],
): Promise<{ metaRows: unknown[]; listed: boolean }> {
  const trans = tx.idbtrans;
  return new Dexie.Promise((resolve, reject) => {
    const fail = (ev: Event) => {
      ev.stopPropagation();
      ev.preventDefault();
      reject((ev.target as IDBRequest).error);
    };
    const metaRead = trans
      .objectStore('meta')
      .getAll(keyRanges(db).bound(meta.from, meta.to, false, false));
    metaRead.onerror = fail;
    let listed = false;
    let left = ids.length + 1;
    const answered = () => {
      if (--left === 0) resolve({ metaRows: metaRead.result as unknown[], listed });
    };
    metaRead.onsuccess = answered;
    const index = ids.length ? trans.objectStore('writes').index('entityIds') : null;
    for (const id of ids) {
      const req = index!.count(id);
      req.onerror = fail;
      req.onsuccess = () => {
        listed ||= req.result > 0;
        answered();
      };
    }
  });
}

function keyRanges(db: Dexie): typeof IDBKeyRange {
  return (db as unknown as { _deps: DexieDOMDependencies })._deps.IDBKeyRange;
}

/** Each value's key in `index` (every element of a multi-entry array), as Dexie tracks them. */
function addIndexKeys(set: RangeSet, index: DBCoreIndex, values: readonly unknown[]): void {
  for (const value of values) {
    const key = value == null ? null : (index.extractKey!(value) as Key | undefined);
    if (key == null) continue;
    if (index.multiEntry && Array.isArray(key)) for (const k of key) set.addKey(k);
    else set.addKey(key);
  }
}

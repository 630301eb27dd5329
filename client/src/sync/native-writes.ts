import Dexie, { RangeSet, type DBCoreIndex, type ObservabilitySet, type Transaction } from 'dexie';

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
 *   - delete: the keys, as primary keys and `:dels`.
 * `native-writes.test.ts` compares these parts with Dexie's own for the same writes (it
 * fails when a Dexie upgrade changes the rules) and that live queries see the writes.
 */

/** A key the engine's stores use (a string id, an auto-increment number, `base`'s pair). */
export type Key = string | number | (string | number)[];

/** One store's writes of a transaction. */
export type NativeWrite =
  | { store: string; type: 'add' | 'put'; values: readonly unknown[] }
  | { store: string; type: 'delete'; keys: readonly Key[] };

/** Dexie's transaction as it carries the changed parts of its writes to the commit. */
type AnnouncedTransaction = IDBTransaction & { mutatedParts?: ObservabilitySet };

/**
 * Told of a transaction's native writes once they all succeeded, after their parts were added
 * to the transaction (before its commit announces them): what Dexie's DBCore middleware would
 * have seen of Dexie's own calls, for an app whose in-memory views patch themselves from the
 * written rows instead of reading them back (`observeNativeWrites`).
 */
export type NativeWritesListener = (trans: IDBTransaction, writes: readonly NativeWrite[]) => void;

const observers = new WeakMap<Dexie, NativeWritesListener>();

/** Tells `listener` of every native write placed in `db`'s transactions (one per database). */
export function observeNativeWrites(db: Dexie, listener: NativeWritesListener): void {
  observers.set(db, listener);
}

/** At this many values Dexie stops listing keys and marks the whole table changed. */
const MANY = 50;

/**
 * Places `writes` in order in `tx` (a read-write transaction over their stores) and adds their
 * changed parts to it. Resolves, once the last request succeeded, with the key of each
 * write's last request (an `add` to an auto-increment store: the new key); the first failing
 * request rejects with its error (Dexie then aborts the transaction).
 *
 * `commit`: these are the transaction's last requests — it is committed as soon as they are
 * placed (`IDBTransaction.commit()`), so the database commits once it has run them instead of
 * waiting for this page to receive their answers and go idle: one round trip between the page
 * and the database less per write (`client/src/sync/README.md`, "What a local write costs").
 * Nothing may be placed in the transaction afterwards. Only for requests that cannot fail one
 * by one (no unique index, no `add` of a key that may exist): a committed transaction cannot be
 * aborted by the page any more, so a request refused after the commit could not undo the
 * others; a failure of the whole transaction (a full disk) still aborts it all.
 */
export function placeNative(
  db: Dexie,
  tx: Transaction,
  writes: readonly NativeWrite[],
  options: { commit?: boolean } = {},
): Promise<Key[]> {
  const trans = tx.idbtrans as AnnouncedTransaction;
  const parts = new Map<string, RangeSet>();
  const part = (store: string, index: string | null): RangeSet => {
    const name = `idb://${db.name}/${store}/${index ?? ''}`;
    let set = parts.get(name);
    if (!set) parts.set(name, (set = new RangeSet()));
    return set;
  };
  return new Dexie.Promise<Key[]>((resolve, reject) => {
    const results: Key[] = [];
    let committed = false;
    const fail = (ev: Event) => {
      // As Dexie's own requests do: the transaction's error handler must not take it first.
      ev.stopPropagation();
      // Committed: left to its default, the error aborts the transaction (if it still can).
      if (!committed) ev.preventDefault();
      const error = (ev.target as IDBRequest).error;
      // A transaction the browser aborted (a full disk) fails its requests with AbortError;
      // the cause is the transaction's own error (QuotaExceededError).
      reject(error?.name === 'AbortError' && trans.error ? trans.error : error);
    };
    /** Places one request; `answered` runs on its success. */
    let last: IDBRequest | null = null;
    const place = (req: IDBRequest, answered?: (key: Key) => void) => {
      req.onerror = fail;
      if (answered) req.onsuccess = () => answered(req.result as Key);
      last = req;
    };
    writes.forEach((w, i) => {
      const store = trans.objectStore(w.store);
      const answered = (key: Key) => (results[i] = key);
      if (w.type === 'delete') {
        w.keys.forEach((key, k) =>
          place(store.delete(key), k === w.keys.length - 1 ? answered : undefined),
        );
        part(w.store, '').addKeys(w.keys as Key[]);
        part(w.store, ':dels').addKeys(w.keys as Key[]);
        return;
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
                if (generated) part(w.store, '').addKey(key);
                if (k === lastValue) answered(key);
              }
            : undefined,
        ),
      );
      if (many) {
        for (const name of ['', ':dels', ...indexes.map((ix) => ix.name)])
          part(w.store, name).add(new RangeSet(db.core.MIN_KEY, db.core.MAX_KEY));
        return;
      }
      const keys = w.values.map(extractKey).filter((key) => key != null) as Key[];
      part(w.store, '').addKeys(keys);
      // Keys not known before the write (auto-increment) replace nothing (an empty part).
      const dels = part(w.store, ':dels');
      if (keys.length === w.values.length) dels.addKeys(keys);
      for (const ix of indexes) addIndexKeys(part(w.store, ix.name), ix, w.values);
    });
    const final = last as IDBRequest | null;
    if (!final) return resolve(results);
    // Absent in an IndexedDB without it (the transaction then commits when the page is idle).
    if (options.commit) {
      (trans as { commit?: () => void }).commit?.();
      committed = true;
    }
    const answered = final.onsuccess;
    final.onsuccess = (ev) => {
      answered?.call(final, ev);
      // The last request: every other one has succeeded (a transaction runs them in order).
      trans.mutatedParts = Dexie.extendObservabilitySet(
        trans.mutatedParts ?? {},
        Object.fromEntries(parts),
      );
      resolve(results);
      try {
        observers.get(db)?.(trans, writes);
      } catch (err) {
        // The write stands: only the observer's view of it is lost (it reads the rows back).
        console.error('a native writes observer failed', err);
      }
    };
  });
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

/**
 * Resolves once `trans` has committed, in the capture phase of its `complete` event at its
 * database: before the transaction's own listeners — Dexie's query cache, which re-runs this
 * tab's live queries whose ranges it touched (their read transactions), and Dexie's commit
 * handler, which announces the changed parts to this tab's views and to other tabs. What
 * awaits this runs in the microtasks after that capture listener, ahead of them: a local
 * write's push (`client/src/sync/README.md`, "What a local write costs"). Never settles where
 * the event does not reach the database, nor for a transaction that aborts: race it with the
 * transaction's own promise.
 */
export function whenCommitted(trans: IDBTransaction): Promise<void> {
  return new Promise((resolve) => {
    const database = trans.db;
    const captured = (ev: Event) => {
      if (ev.target !== trans) return;
      stop();
      resolve();
    };
    const stop = () => database.removeEventListener('complete', captured, true);
    database.addEventListener('complete', captured, true);
    trans.addEventListener('complete', stop, { once: true });
    trans.addEventListener('abort', stop, { once: true });
  });
}

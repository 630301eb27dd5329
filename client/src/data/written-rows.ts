import type Dexie from 'dexie';
import type {
  DBCore,
  DBCoreMutateRequest,
  DBCoreTransaction,
  Middleware,
  ObservabilitySet,
} from 'dexie';
import type { NativeWritesListener } from '@outpost/sync';

/**
 * What one transaction's Dexie calls wrote to the tasks table, by id: the row as put, or
 * undefined when deleted. Null once one of its writes was not a put or delete of listed rows
 * (a range delete, a partial update): then nothing of that transaction is known here.
 */
type Written = Map<string, unknown> | null;

/** Dexie's transaction as it carries its changed parts to the commit (see native-writes.ts). */
type Announcing = DBCoreTransaction & { mutatedParts?: ObservabilitySet };

const byTransaction = new WeakMap<DBCoreTransaction, Written>();
const byParts = new WeakMap<ObservabilitySet, Written>();
/** How each transaction's task rows were written: through Dexie's calls, or natively. */
const how = new WeakMap<DBCoreTransaction, 'dexie' | 'native'>();

/** The rows written so far by `trans` in one way, or null when unknown (or both ways). */
function rowsOf(trans: DBCoreTransaction, way: 'dexie' | 'native'): Map<string, unknown> | null {
  let written = byTransaction.get(trans);
  if (written === null) return null;
  // Both ways in one transaction: the order of its writes is not known here.
  if ((how.get(trans) ?? way) !== way) {
    byTransaction.set(trans, null);
    return null;
  }
  how.set(trans, way);
  if (!written) byTransaction.set(trans, (written = new Map()));
  return written;
}

/** Ties what `trans` wrote to the parts its commit will announce. */
function announce(trans: DBCoreTransaction): void {
  // Dexie's own middleware (below this one) or `placeNative` has added the writes' parts to
  // the object announced at the commit: the same object for the whole transaction.
  const parts = (trans as Announcing).mutatedParts;
  if (parts) byParts.set(parts, byTransaction.get(trans) ?? null);
}

function record(req: DBCoreMutateRequest, extractKey: (value: unknown) => unknown): void {
  const written = rowsOf(req.trans, 'dexie');
  if (!written) return;
  if (req.type === 'put' && !req.updates) {
    // The last write of an id in the transaction is what it committed.
    for (const value of req.values) written.set(String(extractKey(value)), value);
  } else if (req.type === 'delete') {
    for (const key of req.keys) written.set(String(key), undefined);
  } else {
    byTransaction.set(req.trans, null);
  }
}

/**
 * Remembers the task rows each read-write transaction writes through Dexie, so that the
 * in-memory task views (task-view.ts) can patch themselves from the values at the commit
 * instead of reading the rows back: a change pulled or poked in from another device reaches
 * the task list without a read transaction of its own. Installed on the replica's database
 * before it opens (`openReplica({ addons })`).
 *
 * Writes placed as native requests (the engine's local writes, `native-writes.ts`) do not pass
 * through here: `nativeTaskWrites` below records them. A transaction that wrote task rows both
 * ways is not known (the order of its writes is not seen here), and its views read the rows
 * back (`written-rows.test.ts` holds the views to a full read after any mix); the engine does
 * not do that: its local writes are native only, its pulled pages and rebases Dexie calls only.
 */
export const writtenRowsMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'WrittenRows',
  create: (down) => ({
    ...down,
    table(name) {
      const table = down.table(name);
      if (name !== 'tasks') return table;
      const extractKey = table.schema.primaryKey.extractKey!;
      return {
        ...table,
        mutate(req) {
          return table.mutate(req).then((res) => {
            // In request order (a transaction answers its requests in the order placed); a
            // request some of whose rows failed is not a known write.
            if (res.numFailures) byTransaction.set(req.trans, null);
            else record(req, extractKey);
            announce(req.trans);
            return res;
          });
        },
      };
    },
  }),
};

/**
 * The same for the task rows the engine's local writes place natively (`native-writes.ts`,
 * which Dexie's middleware never sees): installed with `observeNativeWrites(db, …)`, so a
 * row created, ticked or edited in this tab reaches the in-memory views at its commit, without
 * a read transaction of its own. The values are the whole rows as put, as with Dexie's puts.
 */
export function nativeTaskWrites(db: Dexie): NativeWritesListener {
  // Known once the database is open (the listener is installed before).
  let extractKey: ((value: unknown) => unknown) | undefined;
  return (trans, writes) => {
    const tasks = writes.filter((w) => w.store === 'tasks');
    if (tasks.length === 0) return;
    extractKey ??= db.core.schema.tables.find((t) => t.name === 'tasks')!.primaryKey.extractKey!;
    const written = rowsOf(trans as unknown as DBCoreTransaction, 'native');
    if (written) {
      for (const w of tasks) {
        if (w.type === 'delete') for (const key of w.keys) written.set(String(key), undefined);
        else for (const value of w.values) written.set(String(extractKey(value)), value);
      }
    }
    announce(trans as unknown as DBCoreTransaction);
  };
}

/**
 * The task rows the transaction that announced `parts` wrote, through Dexie's calls or as the
 * engine's native requests (see above): undefined when none is known (another tab's change, a
 * range delete, a transaction that wrote task rows both ways).
 */
export function writtenTasks(parts: ObservabilitySet): ReadonlyMap<string, unknown> | undefined {
  return byParts.get(parts) ?? undefined;
}

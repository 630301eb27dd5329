import type {
  DBCore,
  DBCoreMutateRequest,
  DBCoreTransaction,
  Middleware,
  ObservabilitySet,
} from 'dexie';

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

function record(req: DBCoreMutateRequest, extractKey: (value: unknown) => unknown): void {
  let written = byTransaction.get(req.trans);
  if (written === null) return;
  if (!written) byTransaction.set(req.trans, (written = new Map()));
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
 * through here: their rows are not known, and a view reads them back as before — also in a
 * transaction that wrote other rows through Dexie (`written-rows.test.ts` holds the views to a
 * full read after any mix). What this relies on is that the engine never writes one task row
 * both ways in one transaction: its local writes are native only, its pulled pages and rebases
 * Dexie calls only.
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
            // Dexie's own middleware (below this one) has now added the write's parts to the
            // object it announces at the commit: the same object for the whole transaction.
            const parts = (req.trans as Announcing).mutatedParts;
            if (parts) byParts.set(parts, byTransaction.get(req.trans) ?? null);
            return res;
          });
        },
      };
    },
  }),
};

/**
 * The task rows the transaction that announced `parts` wrote through Dexie (see above):
 * undefined when none is known (another tab's change, a native write, a range delete).
 */
export function writtenTasks(parts: ObservabilitySet): ReadonlyMap<string, unknown> | undefined {
  return byParts.get(parts) ?? undefined;
}

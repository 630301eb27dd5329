/**
 * Page side of `pnpm bench:client` (bundled by vite, run in real Chromium). Every measure
 * runs beside its raw-Dexie baseline on the same rows shape in the same page.
 */
import Dexie, {
  liveQuery,
  RangeSet,
  type DBCoreTransaction,
  type ObservabilitySet,
  type Table,
} from 'dexie';
import {
  newEntityId,
  type EntityId,
  type HlcString,
  type OrgId,
  type PushRequest,
  type Task,
} from '@outpost/shared';
import {
  createHttpTransport,
  createSyncClient,
  databaseName,
  openReplica,
  OutpostDb,
  pokeUrl,
  type PokeOptions,
  type SyncClient,
  readOutboxEntries,
} from '@outpost/sync';
import { syncHeadline, type SyncHeadlineKind } from '../src/app/engine/headline';

const now = () => performance.now();
const abs = () => performance.timeOrigin + performance.now();

function rows(n: number, orgId = 'org_raw', projectId = newEntityId()): Task[] {
  const t = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => ({
    id: newEntityId(),
    orgId: orgId as OrgId,
    createdAt: t,
    updatedAt: t,
    version: i + 1,
    projectId,
    title: `Task ${i} of the benchmark`,
    notes: 'Some notes that look like what people type into a task.',
    status: (['todo', 'doing', 'done'] as const)[i % 3]!,
    assigneeId: null,
    dueDate: i % 2 ? '2026-12-01' : null,
  }));
}

/** Raw baseline writes plain rows (no engine clocks) into the same indexed table. */
const raw = (db: OutpostDb) => db.tasks as unknown as Table<Task, string>;

async function freshRawDb(): Promise<OutpostDb> {
  const db = new OutpostDb(`raw-${Math.random().toString(36).slice(2)}`);
  await db.open();
  return db;
}

async function dropDb(db: OutpostDb): Promise<void> {
  db.close();
  await Dexie.delete(db.name);
}

/**
 * Every IndexedDB transaction this page opens (device to device): when it was opened and
 * settled (epoch ms), its stores, mode and outcome — to split a write's or an apply's time.
 */
interface IdbTx {
  start: number;
  end: number;
  stores: string;
  mode: string;
  ok: boolean;
  /** Requests placed in it, by `store.method` (a cursor's `continue` counts as one). */
  requests: Record<string, number>;
}
const idbTrace: IdbTx[] = [];
const traced = new WeakMap<IDBTransaction, IdbTx>();
let idbTracing = false;
function traceIdb(): void {
  if (idbTracing) return;
  idbTracing = true;
  const count = (tx: IDBTransaction, what: string) => {
    const entry = traced.get(tx);
    if (entry) entry.requests[what] = (entry.requests[what] ?? 0) + 1;
  };
  for (const [proto, methods] of [
    [
      IDBObjectStore.prototype,
      ['get', 'getAll', 'getAllKeys', 'getKey', 'put', 'add', 'delete', 'clear', 'count'],
    ],
    [IDBObjectStore.prototype, ['openCursor', 'openKeyCursor']],
    [IDBIndex.prototype, ['get', 'getAll', 'getAllKeys', 'getKey', 'count']],
    [IDBIndex.prototype, ['openCursor', 'openKeyCursor']],
  ] as const) {
    for (const name of methods) {
      const target = proto as unknown as Record<string, (...a: unknown[]) => unknown>;
      const original = target[name]!;
      target[name] = function (this: IDBObjectStore | IDBIndex, ...a: unknown[]) {
        const store = 'objectStore' in this ? this.objectStore : this;
        count(
          store.transaction,
          `${store.name}${'objectStore' in this ? `[${this.name}]` : ''}.${name}`,
        );
        return original.apply(this, a);
      };
    }
  }
  for (const name of ['continue', 'continuePrimaryKey', 'advance'] as const) {
    const target = IDBCursor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const original = target[name]!;
    target[name] = function (this: IDBCursor, ...a: unknown[]) {
      const source = this.source;
      const store = 'objectStore' in source ? source.objectStore : source;
      count(store.transaction, `${store.name}.cursor.${name}`);
      return original.apply(this, a);
    };
  }
  const open = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (
    this: IDBDatabase,
    ...args: Parameters<IDBDatabase['transaction']>
  ) {
    const tx = open.apply(this, args);
    const entry: IdbTx = {
      start: abs(),
      end: 0,
      stores: [...tx.objectStoreNames].join(','),
      mode: tx.mode,
      ok: true,
      requests: {},
    };
    traced.set(tx, entry);
    idbTrace.push(entry);
    // Marks for `--trace-apply` (only while a trace runs: a mark costs the page).
    const mark = api.marking;
    if (mark) performance.mark(`tx-open ${entry.mode} ${entry.stores}`);
    tx.addEventListener('complete', () => {
      entry.end = abs();
      if (mark) performance.mark(`tx-done ${entry.mode} ${entry.stores}`);
    });
    tx.addEventListener('abort', () => ((entry.end = abs()), (entry.ok = false)));
    return tx;
  } as IDBDatabase['transaction'];
}

/**
 * IndexedDB transactions opened while `on` (a backlog's after "stored"), by mode. Counted from
 * the page's start: a database opened before the count began did not see it (Chromium).
 */
const opened = { on: false, readwrite: 0, readonly: 0 };
{
  const open = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (
    this: IDBDatabase,
    ...args: Parameters<IDBDatabase['transaction']>
  ) {
    const tx = open.apply(this, args);
    if (opened.on) opened[tx.mode === 'readonly' ? 'readonly' : 'readwrite']++;
    return tx;
  } as IDBDatabase['transaction'];
}

interface Who {
  token: string;
  userId: string;
  orgId: string;
}

/** A sync client for `who` in this page; `offline()` makes its fetch fail like a dead network. */
async function startClient(who: Who, options: { pullLimit?: number; pokes?: boolean } = {}) {
  await Dexie.delete(databaseName(who.userId));
  localStorage.clear();
  const replica = await openReplica({ userId: who.userId, orgId: who.orgId as OrgId });
  // Going online (`net.offline = false`) also lets a socket created while offline connect.
  let offline = false;
  const whenOnline: (() => void)[] = [];
  const net = {
    get offline() {
      return offline;
    },
    set offline(value: boolean) {
      offline = value;
      if (!value) for (const f of whenOnline.splice(0)) f();
    },
  };
  const transport = createHttpTransport({
    baseUrl: location.origin,
    getToken: async () => ({ token: who.token, userId: who.userId }),
    fetch: (input, init) =>
      net.offline ? Promise.reject(new TypeError('offline')) : fetch(input, init),
  });
  // Time spent waiting for pull pages (server, transfer, JSON + zod parse), to split the figure.
  const timing = {
    pullMs: 0,
    pulls: 0,
    pushes: 0,
    /** Each push: when it started and was answered (epoch ms), its last mutation, its head. */
    pushLog: [] as { start: number; end: number; lastId: number; cursor: number }[],
    /** Each pull: when it started and was answered (epoch ms), its changes, own rows among them. */
    pullLog: [] as { start: number; end: number; changes: number; rows: number }[],
    /** Each poke this device's socket received (epoch ms), its cursor, whether it had changes. */
    pokeLog: [] as { at: number; cursor: number; carried: boolean }[],
    /** Each sync step of the loop (epoch ms): when its status said syncing, and done. */
    stepLog: [] as { start: number; end: number }[],
  };
  const pull = transport.pull;
  const push = transport.push;
  transport.push = async (req, ctx) => {
    timing.pushes++;
    const start = abs();
    const res = await push(req, ctx);
    timing.pushLog.push({
      start,
      end: abs(),
      lastId: Number(req.mutations.at(-1)?.id ?? 0),
      cursor: res.cursor,
    });
    return res;
  };
  // The browser's socket, with each message's arrival time noted before the engine sees it.
  // Pushes over the socket (protocol 6) are logged like HTTP ones: sent, answered.
  const socketPushes = new Map<number, { start: number; lastId: number }>();
  class TimedSocket extends WebSocket {
    override send(data: string): void {
      const msg = JSON.parse(data) as { type: string; n?: number; request?: PushRequest };
      if (msg.type === 'push') {
        timing.pushes++;
        socketPushes.set(msg.n!, {
          start: abs(),
          lastId: Number(msg.request!.mutations.at(-1)?.id ?? 0),
        });
      }
      super.send(data);
    }
    constructor(url: string) {
      super(url);
      this.addEventListener('message', (ev: MessageEvent) => {
        const msg = JSON.parse(String(ev.data)) as {
          type: string;
          n?: number;
          cursor?: number;
          carried?: unknown;
          response?: { cursor: number };
        };
        const sent = msg.type === 'pushed' ? socketPushes.get(msg.n!) : undefined;
        if (sent) timing.pushLog.push({ ...sent, end: abs(), cursor: msg.response!.cursor });
        if (msg.type === 'poke' && api.marking) performance.mark('poke');
        if (msg.type === 'poke')
          timing.pokeLog.push({
            at: abs(),
            cursor: msg.cursor!,
            carried: msg.carried !== undefined,
          });
      });
    }
  }
  /**
   * The socket as a dead network shows it: a socket opened while offline stays connecting
   * and connects the moment the network is back (as a browser's `online` event would have
   * the app retry at once), instead of backing off for seconds.
   */
  class NetSocket {
    inner: TimedSocket | null = null;
    onopen: ((ev: unknown) => void) | null = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onclose: ((ev: { code: number; reason: string }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    #closed = false;
    constructor(url: string) {
      if (offline) whenOnline.push(() => this.#connect(url));
      else this.#connect(url);
    }
    #connect(url: string): void {
      if (this.#closed) return;
      const ws = new TimedSocket(url);
      ws.onopen = (ev) => this.onopen?.(ev);
      ws.onmessage = (ev) => this.onmessage?.(ev);
      ws.onclose = (ev) => this.onclose?.(ev);
      ws.onerror = (ev) => this.onerror?.(ev);
      this.inner = ws;
    }
    get readyState(): number {
      return this.inner?.readyState ?? 0;
    }
    send(data: string): void {
      this.inner?.send(data);
    }
    close(code?: number, reason?: string): void {
      if (this.inner) return this.inner.close(code, reason);
      this.#closed = true;
      queueMicrotask(() => this.onclose?.({ code: code ?? 1000, reason: reason ?? '' }));
    }
  }
  transport.pull = async (req, ctx) => {
    timing.pulls++;
    const t0 = performance.now();
    const start = abs();
    try {
      const res = await pull(req, ctx);
      timing.pullLog.push({
        start,
        end: abs(),
        changes: res.changes.length,
        rows: res.changes.filter((c) => c.entity === 'task' || c.entity === 'project').length,
      });
      return res;
    } finally {
      timing.pullMs += performance.now() - t0;
    }
  };
  const client = createSyncClient({
    replica,
    transport,
    pullLimit: options.pullLimit ?? 500,
    pokes: options.pokes
      ? {
          url: pokeUrl(location.origin),
          getToken: async () => who.token,
          WebSocket: NetSocket as unknown as NonNullable<PokeOptions['WebSocket']>,
        }
      : null,
  });
  // A step starts and ends with the status' `syncing` flag (the loop's own timeline).
  client.status.subscribe(() => {
    const syncing = client.status.getSnapshot().syncing;
    const last = timing.stepLog.at(-1);
    if (syncing && (!last || last.end > 0)) timing.stepLog.push({ start: abs(), end: 0 });
    else if (!syncing && last && last.end === 0) last.end = abs();
  });
  const ctl = new AbortController();
  return {
    replica,
    client,
    net,
    timing,
    start: () => client.start(ctl.signal),
    async stop() {
      ctl.abort();
      replica.close();
      await Dexie.delete(databaseName(who.userId));
    },
  };
}

/** Where the time from reconnect to "done" went, from the request logs (ms). */
export interface BacklogPhases {
  /** Pulls before the first push (the start of a leadership pulls first). */
  pullsBefore: number;
  /** First push sent → last push answered. */
  pushing: number;
  pushes: number;
  /** Of `pushing`: waiting for answers (server, transfer, parsing) / between an answer and the next push. */
  pushWaitMs: number;
  betweenPushesMs: number;
  /** Last push answered → first pull after it sent (settling the answer, the cycle's ack). */
  toPull: number;
  /** Pulls sent after the last push answer: count, changes, own rows, ms waiting for answers. */
  pullsAfter: number;
  pulledChanges: number;
  pulledRows: number;
  pullWaitMs: number;
  /** Time between those pull answers and the next request: applying the pages. */
  applyMs: number;
  /** Last pull answered → done (the last page's apply, the ack, the status). */
  tail: number;
}

function backlogPhases(
  t: Awaited<ReturnType<typeof startClient>>['timing'],
  t1: number,
  doneAt: number,
): BacklogPhases {
  const pushes = t.pushLog.filter((p) => p.start >= t1);
  const firstPush = pushes[0]?.start ?? doneAt;
  const lastAnswer = pushes.at(-1)?.end ?? t1;
  const pulls = t.pullLog.filter((p) => p.start >= lastAnswer);
  let applyMs = 0;
  for (let i = 1; i < pulls.length; i++) applyMs += pulls[i]!.start - pulls[i - 1]!.end;
  const lastPull = pulls.at(-1)?.end ?? lastAnswer;
  return {
    pullsBefore: t.pullLog.filter((p) => p.start >= t1 && p.start < firstPush).length,
    pushing: lastAnswer - firstPush,
    pushes: pushes.length,
    pushWaitMs: pushes.reduce((n, p) => n + p.end - p.start, 0),
    betweenPushesMs: pushes.slice(1).reduce((n, p, i) => n + p.start - pushes[i]!.end, 0),
    toPull: (pulls[0]?.start ?? lastAnswer) - lastAnswer,
    pullsAfter: pulls.length,
    pulledChanges: pulls.reduce((n, p) => n + p.changes, 0),
    pulledRows: pulls.reduce((n, p) => n + p.rows, 0),
    pullWaitMs: pulls.reduce((n, p) => n + p.end - p.start, 0),
    applyMs,
    tail: doneAt - lastPull,
  };
}

/** What the app's headline said during a backlog upload: each change, ms from back online. */
export type BacklogShown = { kind: SyncHeadlineKind; ms: number }[];

/**
 * The app's headline (`syncHeadline`, pure, from the engine's status) as a device that had
 * synced before going offline shows it: the bench's client never synced before its backlog,
 * which alone would keep the headline at "Syncing" until the first complete sync.
 */
function watchHeadline(client: SyncClient, t1: number): { seen: BacklogShown; stop: () => void } {
  const seen: BacklogShown = [];
  const note = () => {
    const s = client.status.getSnapshot();
    const kind = syncHeadline({ ...s, lastSyncedAt: s.lastSyncedAt ?? 1 }).kind;
    if (kind !== seen.at(-1)?.kind) seen.push({ kind, ms: Math.max(0, now() - t1) });
  };
  note();
  return { seen, stop: client.status.subscribe(note) };
}

function whenStatus(client: SyncClient, cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (cond()) return resolve();
    const unsub = client.status.subscribe(() => {
      if (cond()) {
        unsub();
        resolve();
      }
    });
  });
}

const api = {
  /** Whether the page marks pokes and transactions for a trace (`--trace-apply`). */
  marking: false,
  async rawBulkPut(n: number): Promise<number> {
    const db = await freshRawDb();
    const data = rows(n);
    const t0 = now();
    await raw(db).bulkPut(data);
    const ms = now() - t0;
    await dropDb(db);
    return ms;
  },

  /** Diagnostics: where raw IndexedDB time goes for the same rows under different conditions. */
  async probe(n: number): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const clocks = (r: Task) =>
      Object.fromEntries(
        Object.keys(r)
          .slice(5)
          .map((k) => [k, '001763856000000-00000-019aa9d2-0000-7000-8000-000000000000']),
      );
    const time = async (
      name: string,
      durability: 'default' | 'relaxed',
      fn: (db: OutpostDb, data: Task[]) => Promise<unknown>,
    ) => {
      const db = new OutpostDb(`raw-${Math.random().toString(36).slice(2)}`, {
        chromeTransactionDurability: durability,
      });
      await db.open();
      const data = rows(n);
      const t0 = now();
      await fn(db, data);
      out[name] = Math.round(now() - t0);
      await dropDb(db);
    };
    for (const d of ['default', 'relaxed'] as const) {
      await time(`${d}: one bulkPut`, d, (db, data) => raw(db).bulkPut(data));
      await time(`${d}: one bulkPut, rows with $c`, d, (db, data) =>
        db.tasks.bulkPut(data.map((r) => ({ ...r, $c: clocks(r) })) as never),
      );
      await time(`${d}: pages of 500`, d, async (db, data) => {
        for (let i = 0; i < data.length; i += 500)
          await db.transaction('rw', db.tasks, () => raw(db).bulkPut(data.slice(i, i + 500)));
      });
      await time(`${d}: pages of 500, rows with $c`, d, async (db, data) => {
        for (let i = 0; i < data.length; i += 500)
          await db.transaction('rw', db.tasks, () =>
            db.tasks.bulkPut(data.slice(i, i + 500).map((r) => ({ ...r, $c: clocks(r) })) as never),
          );
      });
      await time(`${d}: pages of 500, rows + clocks table`, d, async (db, data) => {
        for (let i = 0; i < data.length; i += 500) {
          const page = data.slice(i, i + 500);
          await db.transaction('rw', [db.tasks, db.base], async () => {
            await raw(db).bulkPut(page);
            await db.base.bulkPut(
              page.map((r) => ({
                entity: 'task',
                id: r.id,
                clocks: clocks(r),
                deleted: null,
                seq: 1,
              })) as never,
            );
          });
        }
      });
    }
    return out;
  },

  /**
   * Diagnostics (`--probe=writes`): where a single local write's time goes. Each variant writes
   * `n` rows one at a time on its own database, in blocks of 10 taking turns with the other
   * variants (so all see the same load); medians of ms/write and of the ratio to the raw put.
   */
  async probeWrites(
    who: Who,
    n: number,
    rounds: number,
    only?: string,
  ): Promise<Record<string, string>> {
    type Fn = (db: OutpostDb, row: Task, i: number) => Promise<unknown>;
    const hlc = '001763856000000-00000-019aa9d2-0000-7000-8000-000000000000' as HlcString;
    // As the engine stores a row written once: one clock for every field (`packClocks`).
    const clocked = (row: Task) => ({ ...row, $c: { '*': hlc } });
    const entry = (row: Task, i: number) => ({
      mutationId: i + 1,
      clientId: 'c',
      entityId: row.id,
      mutation: { type: 'task.create', id: i + 1, hlc, entityId: row.id, fields: row },
      createdAt: row.createdAt,
      attempts: 0,
      lastError: null,
      acked: 0 as const,
    });
    // A write record as the engine stores a create (`WriteRecord`).
    const record = (row: Task, i: number) => ({
      clientId: 'c',
      createdAt: row.createdAt,
      mutations: [{ type: 'task.create', id: 0, hlc, entityId: row.id, fields: row }],
      last: 0,
      ackedThrough: 0,
      open: 1,
      entityIds: [row.id],
      attempts: 0,
      lastError: null,
      n: i,
    });
    const idb = (
      db: OutpostDb,
      stores: string[],
      commit: boolean,
      place: (t: IDBTransaction) => IDBRequest[],
    ) =>
      new Promise<void>((resolve, reject) => {
        const t = db.backendDB().transaction(stores, 'readwrite');
        place(t);
        if (commit) t.commit();
        t.oncomplete = () => resolve();
        t.onabort = () => reject(t.error);
      });
    const tasks = (db: OutpostDb) => db.tasks as unknown as Table<unknown, string>;
    const outbox = (db: OutpostDb) => db.writes as unknown as Table<unknown, number>;
    const counters = (db: OutpostDb) =>
      db.meta.where(':id').between('a', 'b', true, true).toArray();
    const variants: Record<string, Fn> = {
      'raw put': (db, row) => raw(db).put(row),
      // The same on databases opened with an explicit IDBTransaction durability (below).
      'raw put, durability relaxed': (db, row) => raw(db).put(row),
      'raw put, durability strict': (db, row) => raw(db).put(row),
      'tx: row + outbox': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes], () =>
          Promise.all([tasks(db).put(clocked(row)), outbox(db).add(entry(row, i))]),
        ),
      'tx: row + outbox + 1 meta': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes, db.meta], () =>
          Promise.all([
            tasks(db).put(clocked(row)),
            outbox(db).add(entry(row, i)),
            db.meta.put({ key: 'b', value: i, hlc }),
          ]),
        ),
      // A create's shape before 2026-12-01: the counters read beside four writes.
      'tx: read ‖ row + outbox + 2 meta': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes, db.meta], () =>
          Promise.all([
            counters(db),
            tasks(db).put(clocked(row)),
            outbox(db).add(entry(row, i)),
            db.meta.bulkPut([
              { key: 'a', value: hlc },
              { key: 'b', value: i },
            ]),
          ]),
        ),
      'tx: 1 get ‖ row + outbox + 1 meta': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes, db.meta], () =>
          Promise.all([
            db.meta.get('b'),
            tasks(db).put(clocked(row)),
            outbox(db).add(entry(row, i)),
            db.meta.put({ key: 'b', value: i, hlc }),
          ]),
        ),
      'tx: 2 gets ‖ row + outbox + 1 meta': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes, db.meta], () =>
          Promise.all([
            db.meta.bulkGet(['a', 'b']),
            tasks(db).put(clocked(row)),
            outbox(db).add(entry(row, i)),
            db.meta.put({ key: 'b', value: i, hlc }),
          ]),
        ),
      'tx: get ×2 ‖ row + outbox + 1 meta': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes, db.meta], () =>
          Promise.all([
            db.meta.get('a'),
            db.meta.get('b'),
            tasks(db).put(clocked(row)),
            outbox(db).add(entry(row, i)),
            db.meta.put({ key: 'b', value: i, hlc }),
          ]),
        ),
      // The engine's create since 2026-12-01 (counters by key), over its four stores and three.
      'tx(4 stores): 2 gets ‖ row + outbox + 1 meta': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes, db.meta, db.base], () =>
          Promise.all([
            db.meta.bulkGet(['a', 'b']),
            tasks(db).put(clocked(row)),
            outbox(db).add(entry(row, i)),
            db.meta.put({ key: 'b', value: i, hlc }),
          ]),
        ),
      'tx(4 stores): read ‖ row + outbox + 1 meta': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes, db.meta, db.base], () =>
          Promise.all([
            counters(db),
            tasks(db).put(clocked(row)),
            outbox(db).add(entry(row, i)),
            db.meta.put({ key: 'b', value: i, hlc }),
          ]),
        ),
      // Native IndexedDB, no Dexie: one put; a row and a record; the same committed at once.
      'idb: put': (db, row) => idb(db, ['tasks'], false, (t) => [t.objectStore('tasks').put(row)]),
      'idb: row + outbox': (db, row, i) =>
        idb(db, ['tasks', 'writes'], false, (t) => [
          t.objectStore('tasks').put(clocked(row)),
          t.objectStore('writes').add(record(row, i)),
        ]),
      'idb: row + outbox, commit()': (db, row, i) =>
        idb(db, ['tasks', 'writes'], true, (t) => [
          t.objectStore('tasks').put(clocked(row)),
          t.objectStore('writes').add(record(row, i)),
        ]),
      // The same two requests through Dexie's table calls as the engine places them (bulkPut).
      'tx: record add + row bulkPut': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes], () =>
          Dexie.Promise.all([outbox(db).add(record(row, i)), tasks(db).bulkPut([clocked(row)])]),
        ),
      // Below the table calls: Dexie's DBCore (its middleware builds the changed parts).
      'tx: core mutate': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes], () => {
          const trans = (Dexie.currentTransaction as unknown as { idbtrans: DBCoreTransaction })
            .idbtrans;
          return Dexie.Promise.all([
            db.writes.core.mutate({ trans, type: 'add', values: [record(row, i)] }),
            db.tasks.core.mutate({ trans, type: 'put', values: [clocked(row)] }),
          ]);
        }),
      // Dexie's transaction with the requests placed natively: no middleware, no notification.
      'tx: native requests': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes], () => {
          const t = (Dexie.currentTransaction as unknown as { idbtrans: IDBTransaction }).idbtrans;
          t.objectStore('tasks').put(clocked(row));
          t.objectStore('writes').add(record(row, i));
        }),
      // The same, announced to live queries and other tabs as Dexie would (its changed parts).
      'tx: native requests + parts': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes], () => {
          const t = (
            Dexie.currentTransaction as unknown as {
              idbtrans: IDBTransaction & { mutatedParts?: ObservabilitySet };
            }
          ).idbtrans;
          t.objectStore('tasks').put(clocked(row));
          t.objectStore('writes').add(record(row, i));
          const base = `idb://${db.name}/`;
          const parts: ObservabilitySet = {};
          for (const k of ['', ':dels', 'projectId', 'status', '[projectId+status]', 'updatedAt'])
            parts[`${base}tasks/${k}`] = new RangeSet(k === 'status' ? row.status : row.id);
          for (const k of ['', ':dels', 'last', 'open', 'entityIds'])
            parts[`${base}writes/${k}`] = new RangeSet(k === 'entityIds' ? row.id : i + 1);
          t.mutatedParts = parts;
        }),
      // A localStorage write (the sentinel's) after each put, in a task of its own.
      'raw put + setItem after': async (db, row, i) => {
        await raw(db).put(row);
        setTimeout(() => localStorage.setItem('probe2', JSON.stringify({ c: row.id, i })), 0);
      },
      // Since: both counters in one meta row.
      'tx: read ‖ row + outbox + 1 meta': (db, row, i) =>
        db.transaction('rw', [db.tasks, db.writes, db.meta], () =>
          Promise.all([
            counters(db),
            tasks(db).put(clocked(row)),
            outbox(db).add(entry(row, i)),
            db.meta.put({ key: 'b', value: i, hlc }),
          ]),
        ),
    };
    /** A writer of one variant: opened once per round, then called for write after write. */
    type Writer = { write: (i: number) => Promise<unknown>; close: () => Promise<void> };
    const engine = async (name: string, started: boolean, sentinel = true): Promise<Writer> => {
      // One database per engine variant (they run side by side).
      const userId = `${who.userId}-${name.replace(/\W+/g, '-')}`;
      await Dexie.delete(databaseName(userId));
      const replica = await openReplica({
        userId,
        orgId: who.orgId as OrgId,
        ...(sentinel ? {} : { sentinel: null }),
      });
      const c = createSyncClient({
        replica,
        transport: createHttpTransport({
          baseUrl: location.origin,
          getToken: async () => ({ token: who.token, userId }),
          fetch: () => Promise.reject(new TypeError('offline')),
        }),
      });
      const ctl = new AbortController();
      if (started) await c.start(ctl.signal);
      const projectId = await c.createProject({ name: 'p', ownerId: who.userId as EntityId });
      return {
        write: (i) => c.createTask({ projectId, title: `w ${i}` }),
        close: async () => {
          ctl.abort();
          replica.close();
          await Dexie.delete(databaseName(userId));
        },
      };
    };
    const engines: Record<string, () => Promise<Writer>> = {
      'engine, client not started': () => engine('not started', false),
      'engine, client started': () => engine('started', true),
      'engine, client started, no sentinel': () => engine('no sentinel', true, false),
    };
    const open = async (name: string): Promise<Writer> => {
      if (engines[name]) return engines[name]();
      const durability = /durability (relaxed|strict)/.exec(name)?.[1] as
        'relaxed' | 'strict' | undefined;
      const db = durability
        ? new OutpostDb(`raw-${Math.random().toString(36).slice(2)}`, {
            chromeTransactionDurability: durability,
          })
        : await freshRawDb();
      await db.open();
      const data = rows(n);
      const fn = variants[name]!;
      return { write: (i) => fn(db, data[i]!, i), close: () => dropDb(db) };
    };
    // Blocks of writes of each variant in turn (the order rotating), so that every variant
    // sees the same load: ms per write of each block, and its ratio to the raw put's block.
    const BLOCK = 10;
    const times: Record<string, number[]> = {};
    const ratios: Record<string, number[]> = {};
    const names = [...Object.keys(variants), ...Object.keys(engines)].filter(
      (k) => k === 'raw put' || !only || new RegExp(only).test(k),
    );
    for (let r = 0; r < rounds; r++) {
      const writers = new Map<string, Writer>();
      for (const name of names) writers.set(name, await open(name));
      for (let b = 0; b < n / BLOCK; b++) {
        const block: Record<string, number> = {};
        for (let k = 0; k < names.length; k++) {
          const name = names[(k + b + r) % names.length]!;
          const w = writers.get(name)!;
          const t0 = now();
          for (let i = b * BLOCK; i < (b + 1) * BLOCK; i++) await w.write(i);
          block[name] = (now() - t0) / BLOCK;
        }
        for (const name of names) {
          (times[name] ??= []).push(block[name]!);
          (ratios[name] ??= []).push(block[name]! / block['raw put']!);
        }
      }
      for (const w of writers.values()) await w.close();
    }
    // In real IndexedDB: two tabs' creates interleaved and in bursts (a stale assumption of
    // the counters must abort its transaction) still give ids 1…n, each once.
    await Dexie.delete(databaseName(who.userId));
    const tabs = [
      await openReplica({ userId: who.userId, orgId: who.orgId as OrgId, sentinel: null }),
      await openReplica({ userId: who.userId, orgId: who.orgId as OrgId, sentinel: null }),
    ];
    const clients = tabs.map((replica) =>
      createSyncClient({
        replica,
        transport: createHttpTransport({
          baseUrl: location.origin,
          getToken: async () => ({ token: who.token, userId: who.userId }),
          fetch: () => Promise.reject(new TypeError('offline')),
        }),
      }),
    );
    const pid = await clients[0]!.createProject({ name: 'p', ownerId: who.userId as EntityId });
    for (let i = 0; i < 20; i++) {
      await clients[i % 2]!.createTask({ projectId: pid, title: `t${i}` });
      await Promise.all(
        [0, 1, 0, 1, 1].map((k, j) =>
          clients[k]!.createTask({ projectId: pid, title: `${i}.${j}` }),
        ),
      );
    }
    const ids = (await readOutboxEntries(tabs[0]!.db)).map((e) => e.mutationId);
    const expected = 1 + 20 * 6;
    const consecutive = ids.length === expected && ids.every((id, i) => id === i + 1);
    tabs.forEach((t) => t.close());
    if (!consecutive) throw new Error(`two tabs: ids ${JSON.stringify(ids)}`);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Each variant's ms per write, and its median ratio to the raw put's block beside it.
    return Object.fromEntries(
      names.map((k) => [k, `${med(times[k]!).toFixed(3)} ms · ${med(ratios[k]!).toFixed(2)}×`]),
    );
  },

  /**
   * Diagnostics (`--probe=bulk`): where a bulk create's time goes. Each variant writes `n` rows
   * in one transaction on its own database; rounds rotate the order; medians of ms and of the
   * ratio to the raw bulkPut of the same round.
   */
  async probeBulk(who: Who, n: number, rounds: number): Promise<Record<string, string>> {
    const hlc = '001763856000000-00000-019aa9d2-0000-7000-8000-000000000000' as HlcString;
    const clocked = (row: Task) => ({ ...row, $c: { '*': hlc } });
    const mutation = (row: Task, i: number) => ({
      type: 'task.create',
      id: i + 1,
      hlc,
      entityId: row.id,
      fields: {
        projectId: row.projectId,
        title: row.title,
        notes: row.notes,
        status: row.status,
        assigneeId: row.assigneeId,
        dueDate: row.dueDate,
      },
    });
    const entry = (row: Task, i: number) => ({
      mutationId: i + 1,
      clientId: 'c',
      entityId: row.id,
      mutation: mutation(row, i),
      createdAt: row.createdAt,
      attempts: 0,
      lastError: null,
      acked: 0 as const,
    });
    const tasks = (db: OutpostDb) => db.tasks as unknown as Table<unknown, string>;
    const outbox = (db: OutpostDb) => db.writes as unknown as Table<unknown, number>;
    const grouped = (data: Task[], size: number) => {
      const out: unknown[] = [];
      for (let i = 0; i < data.length; i += size) {
        const part = data.slice(i, i + size);
        out.push({
          mutationId: i + 1,
          clientId: 'c',
          entityId: part.map((r) => r.id),
          mutations: part.map((r, j) => mutation(r, i + j)),
          createdAt: part[0]!.createdAt,
          attempts: 0,
          lastError: null,
          acked: 0,
        });
      }
      return out;
    };
    type Fn = (db: OutpostDb, data: Task[]) => Promise<unknown>;
    const lean = async () => {
      const db = new Dexie(`lean-${Math.random().toString(36).slice(2)}`);
      db.version(1).stores({ tasks: 'id, status, assigneeId, [projectId+status]' });
      await db.open();
      return db;
    };
    const variants: Record<string, Fn> = {
      'raw bulkPut': (db, data) => raw(db).bulkPut(data),
      'clocked rows': (db, data) => tasks(db).bulkPut(data.map(clocked)),
      // The mirror without the indexes nothing queries (tasks.updatedAt; tasks.projectId, which
      // [projectId+status] covers): `lean` below.
      'raw bulkPut, 3 task indexes': async (_db, data) => {
        const db = await lean();
        const t0 = now();
        await db.table('tasks').bulkPut(data);
        const ms = now() - t0;
        db.close();
        await Dexie.delete(db.name);
        return ms;
      },
      'rows + outbox entry per row': (db, data) =>
        db.transaction('rw', [db.tasks, db.writes], () =>
          Promise.all([tasks(db).bulkPut(data.map(clocked)), outbox(db).bulkAdd(data.map(entry))]),
        ),
      'rows + entries of 100 mutations': (db, data) =>
        db.transaction('rw', [db.tasks, db.writes], () =>
          Promise.all([
            tasks(db).bulkPut(data.map(clocked)),
            outbox(db).bulkAdd(grouped(data, 100)),
          ]),
        ),
      'rows + entries of 500 mutations': (db, data) =>
        db.transaction('rw', [db.tasks, db.writes], () =>
          Promise.all([
            tasks(db).bulkPut(data.map(clocked)),
            outbox(db).bulkAdd(grouped(data, 500)),
          ]),
        ),
      'rows + one entry': (db, data) =>
        db.transaction('rw', [db.tasks, db.writes], () =>
          Promise.all([
            tasks(db).bulkPut(data.map(clocked)),
            outbox(db).bulkAdd(grouped(data, data.length)),
          ]),
        ),
    };
    const engine = async () => {
      await Dexie.delete(databaseName(who.userId));
      const replica = await openReplica({ userId: who.userId, orgId: who.orgId as OrgId });
      const c = createSyncClient({
        replica,
        transport: createHttpTransport({
          baseUrl: location.origin,
          getToken: async () => ({ token: who.token, userId: who.userId }),
          fetch: () => Promise.reject(new TypeError('offline')),
        }),
      });
      const projectId = await c.createProject({ name: 'p', ownerId: who.userId as EntityId });
      const list = Array.from({ length: n }, (_, i) => ({ projectId, title: `bulk ${i}` }));
      const t0 = now();
      await c.createTasks(list);
      const ms = now() - t0;
      replica.close();
      return ms;
    };
    const names = [...Object.keys(variants), 'engine createTasks'];
    const times: Record<string, number[]> = {};
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + r) % names.length]!;
        let ms: number;
        if (name === 'engine createTasks') ms = await engine();
        else {
          const db = await freshRawDb();
          const data = rows(n);
          const t0 = now();
          const own = await variants[name]!(db, data);
          // A variant on a database of its own times itself.
          ms = typeof own === 'number' ? own : now() - t0;
          await dropDb(db);
        }
        (times[name] ??= []).push(ms);
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return Object.fromEntries(
      names.map((k) => [
        k,
        `${med(times[k]!).toFixed(0)} ms · ${med(times[k]!.map((t, r) => t / times['raw bulkPut']![r]!)).toFixed(2)}×`,
      ]),
    );
  },

  /** Empty browser → every task of the org queryable. Transfer, parsing and rebase included. */
  async initialSync(
    who: Who,
    expected: number,
  ): Promise<{
    ms: number;
    pullMs: number;
    longestTaskMs: number;
    longTasks: number;
    count: number;
  }> {
    let longest = 0;
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        longTasks++;
        longest = Math.max(longest, e.duration);
      }
    });
    observer.observe({ type: 'longtask', buffered: false });
    const c = await startClient(who);
    const t0 = now();
    await c.start();
    await whenStatus(c.client, () => c.client.status.getSnapshot().lastSyncedAt !== null);
    const count = await c.replica.db.tasks.count();
    const ms = now() - t0;
    // Let the observer deliver entries of the last tasks.
    await new Promise((r) => setTimeout(r, 100));
    observer.disconnect();
    await c.stop();
    if (count !== expected)
      throw new Error(`initial sync got ${count} tasks, expected ${expected}`);
    return { ms, pullMs: c.timing.pullMs, longestTaskMs: longest, longTasks, count };
  },

  /**
   * `n` writes made offline, then from reconnect: ms until the last push was answered (the
   * server stored all) and ms until the client says done (pending 0, the cycle finished).
   */
  async offlineUpload(
    who: Who,
    n: number,
    pokes: boolean,
    trace = false,
  ): Promise<{
    writeMs: number;
    uploadMs: number;
    doneMs: number;
    phases: BacklogPhases;
    shown: BacklogShown;
    /** IndexedDB transactions opened from "stored" to done. */
    afterStored: { readwrite: number; readonly: number };
    /** With `trace`: the read-write transactions from "stored" to done. */
    txs?: { at: number; ms: number; requests: Record<string, number> }[];
  }> {
    if (trace) traceIdb();
    const c = await startClient(who, { pokes });
    c.net.offline = true;
    await c.start();
    const projectId = await c.client.createProject({
      name: 'Upload',
      ownerId: who.userId as EntityId,
    });
    const t0 = now();
    for (let i = 0; i < n - 1; i++) await c.client.createTask({ projectId, title: `offline ${i}` });
    const writeMs = now() - t0;
    c.net.offline = false;
    const before = c.client.status.getSnapshot().lastSyncedAt ?? 0;
    // The last push answer (the only one leaving 0 unsent) is when the server had them all.
    let storedAt = 0;
    const outbox = c.replica.db.writes;
    const t1 = now();
    Object.assign(opened, { on: false, readwrite: 0, readonly: 0 });
    const stored = whenStatus(c.client, () => c.client.status.getSnapshot().pending === 0).then(
      () => {
        storedAt = now();
        opened.on = true;
      },
    );
    const shown = watchHeadline(c.client, t1);
    c.client.syncNow();
    await whenStatus(c.client, () => {
      const s = c.client.status.getSnapshot();
      return (
        s.pending === 0 && !s.syncing && s.lastError === null && (s.lastSyncedAt ?? 0) > before
      );
    });
    const doneMs = now() - t1;
    opened.on = false;
    const doneAt = abs();
    await stored;
    const txs = trace
      ? idbTrace
          .filter((x) => x.start >= doneAt - doneMs + (storedAt - t1) && x.mode === 'readwrite')
          .map((x) => ({
            at: Math.round(x.start - (doneAt - doneMs + (storedAt - t1))),
            ms: Math.round(x.end - x.start),
            requests: x.requests,
          }))
      : undefined;
    if (trace) idbTrace.length = 0;
    shown.stop();
    const left = await outbox.where('open').equals(1).count();
    const total = await outbox.count();
    await c.stop();
    if (left !== 0) throw new Error(`${left} writes not acknowledged`);
    if (total !== 0) throw new Error(`${total} outbox entries left after done`);
    return {
      writeMs,
      uploadMs: storedAt - t1,
      doneMs,
      phases: backlogPhases(c.timing, doneAt - doneMs, doneAt),
      shown: shown.seen,
      afterStored: { readwrite: opened.readwrite, readonly: opened.readonly },
      ...(txs ? { txs } : {}),
    };
  },

  /** `n` sequential single local writes (mirror + outbox, one transaction each). */
  /**
   * `n` sequential single local writes (mirror + outbox, one transaction each) and `n` raw
   * Dexie `put`s of the same rows' shape, in blocks of 50 taking turns (the order alternating),
   * so that both see the same load; ms of each, summed over the blocks.
   */
  async singleWrites(who: Who, n: number): Promise<{ engine: number; raw: number }> {
    const c = await startClient(who);
    c.net.offline = true;
    await c.start();
    const projectId = await c.client.createProject({
      name: 'Singles',
      ownerId: who.userId as EntityId,
    });
    const db = await freshRawDb();
    const data = rows(n);
    const ms = { engine: 0, raw: 0 };
    const BLOCK = 50;
    const engine = async (from: number) => {
      const t0 = now();
      for (let i = from; i < from + BLOCK; i++)
        await c.client.createTask({ projectId, title: `single ${i}` });
      ms.engine += now() - t0;
    };
    const rawPuts = async (from: number) => {
      const t0 = now();
      for (let i = from; i < from + BLOCK; i++) await raw(db).put(data[i]!);
      ms.raw += now() - t0;
    };
    for (let b = 0; b < n; b += BLOCK) {
      if ((b / BLOCK) % 2 === 0) await engine(b).then(() => rawPuts(b));
      else await rawPuts(b).then(() => engine(b));
    }
    await c.stop();
    await dropDb(db);
    return ms;
  },

  /** One bulk local write of `n` tasks (one transaction). */
  async bulkWrite(who: Who, n: number): Promise<number> {
    const c = await startClient(who);
    c.net.offline = true;
    await c.start();
    const projectId = await c.client.createProject({
      name: 'Bulk',
      ownerId: who.userId as EntityId,
    });
    const list = Array.from({ length: n }, (_, i) => ({ projectId, title: `bulk ${i}` }));
    const t0 = now();
    await c.client.createTasks(list);
    const ms = now() - t0;
    await c.stop();
    return ms;
  },

  /**
   * Diagnostics (`--probe=apply`): a poke carrying one task create and its activity, applied
   * by a synced client (poke → live query shows it), beside a raw Dexie transaction with the
   * same writes (task, activity, cursor) on a database of the same schema. Pages are made up
   * here (their seqs continue the replica's cursor); `n` of each, alternating, 30 ms apart.
   */
  async probeApply(who: Who, n: number): Promise<Record<string, string>> {
    traceIdb();
    const c = await startClient(who);
    await c.start();
    await whenStatus(c.client, () => c.client.status.getSnapshot().lastSyncedAt !== null);
    const db = c.replica.db;
    const rawDb = await freshRawDb();
    let cursor = Number((await db.meta.get('cursor'))?.value ?? 0);
    const projectId = newEntityId();
    const hlc = (i: number) =>
      `${String(Date.now() + i).padStart(15, '0')}-00000-019aa9d2-0000-7000-8000-000000000000` as HlcString;
    const seen = (target: OutpostDb) => {
      const at: number[] = [];
      const sub = liveQuery(() =>
        target.tasks.where('projectId').equals(projectId).count(),
      ).subscribe((count) => (at[count] = abs()));
      return { at, stop: () => sub.unsubscribe() };
    };
    const engine = seen(db);
    const baseline = seen(rawDb);
    const until = async (at: number[], i: number) => {
      while (at[i] === undefined) await new Promise((r) => setTimeout(r, 1));
      return at[i]!;
    };
    const out = {
      engine: [] as number[],
      raw: [] as number[],
      apply: [] as number[],
      rawTx: [] as number[],
      readTx: [] as number[],
      commitTx: [] as number[],
      toApply: [] as number[],
      afterApply: [] as number[],
    };
    const requests: Record<string, number>[] = [];
    for (let i = 0; i < n; i++) {
      const [row] = rows(1, who.orgId, projectId);
      const task = { ...row!, version: cursor + 1 };
      const clocks = Object.fromEntries(
        ['title', 'notes', 'status', 'assigneeId', 'dueDate', 'projectId'].map((k) => [k, hlc(i)]),
      );
      const activity = {
        id: newEntityId(),
        orgId: who.orgId as OrgId,
        createdAt: task.createdAt,
        updatedAt: task.createdAt,
        version: cursor + 2,
        actorId: who.userId as EntityId,
        action: 'create' as const,
        entity: 'task' as const,
        entityId: task.id,
        changes: [{ field: 'title', to: task.title }],
        reason: null,
        requestId: 'req',
        clientId: null,
        mutationId: i + 1,
      };
      const changes = [
        {
          seq: cursor + 1,
          entity: 'task' as const,
          entityId: task.id,
          clocks,
          deleted: null,
          row: task,
        },
        {
          seq: cursor + 2,
          entity: 'activity' as const,
          entityId: activity.id,
          clocks: {},
          deleted: null,
          row: activity,
        },
      ];
      let t0 = abs();
      const before = idbTrace.length;
      if (api.marking) performance.mark('poke');
      c.client.poke(cursor + 2, { from: cursor, changes, activityFloor: 1 });
      out.engine.push((await until(engine.at, i + 1)) - t0);
      const apply = idbTrace
        .slice(before)
        .find((x) => x.mode === 'readwrite' && x.stores.includes('tasks'));
      if (apply) {
        out.apply.push(apply.end - apply.start);
        out.toApply.push(apply.start - t0);
        out.afterApply.push(t0 + out.engine.at(-1)! - apply.end);
        requests.push(apply.requests);
      }
      cursor += 2;
      await new Promise((r) => setTimeout(r, 30));
      t0 = abs();
      const rawBefore = idbTrace.length;
      await rawDb.transaction('rw', [rawDb.tasks, rawDb.activities, rawDb.meta], () =>
        Promise.all([
          rawDb.tasks.put({ ...task, $c: clocks } as never),
          rawDb.activities.put(activity as never),
          rawDb.meta.put({ key: 'cursor', value: cursor }),
        ]),
      );
      out.raw.push((await until(baseline.at, i + 1)) - t0);
      const rawTx = idbTrace.slice(rawBefore).find((x) => x.mode === 'readwrite');
      if (rawTx) out.rawTx.push(rawTx.end - rawTx.start);
      await new Promise((r) => setTimeout(r, 30));
      // The same, with the engine's reads placed first (what a check of the replica costs).
      const readBefore = idbTrace.length;
      await rawDb.transaction('rw', [rawDb.tasks, rawDb.activities, rawDb.meta, rawDb.writes], () =>
        Promise.all([
          rawDb.meta.bulkGet(['cursor', 'activityFloor', 'lastHlc', 'lastMutationId']),
          rawDb.writes.where('entityIds').equals(task.id).primaryKeys(),
          rawDb.tasks.put({
            ...task,
            id: newEntityId(),
            projectId: 'elsewhere',
            $c: clocks,
          } as never),
          rawDb.activities.put({ ...activity, id: newEntityId() } as never),
          rawDb.meta.put({ key: 'cursor', value: cursor }),
        ]),
      );
      const readTx = idbTrace.slice(readBefore).find((x) => x.mode === 'readwrite');
      if (readTx) out.readTx.push(readTx.end - readTx.start);
      await new Promise((r) => setTimeout(r, 30));
      // The same, committed explicitly once the reads are answered (no auto-commit round).
      const commitBefore = idbTrace.length;
      await rawDb.transaction(
        'rw',
        [rawDb.tasks, rawDb.activities, rawDb.meta, rawDb.writes],
        () => {
          const reads = Promise.all([
            rawDb.meta.bulkGet(['cursor', 'activityFloor', 'lastHlc', 'lastMutationId']),
            rawDb.writes.where('entityIds').equals(task.id).primaryKeys(),
          ]).then(() => Dexie.currentTransaction.idbtrans.commit());
          return Promise.all([
            reads,
            rawDb.tasks.put({
              ...task,
              id: newEntityId(),
              projectId: 'elsewhere',
              $c: clocks,
            } as never),
            rawDb.activities.put({ ...activity, id: newEntityId() } as never),
            rawDb.meta.put({ key: 'cursor', value: cursor }),
          ]);
        },
      );
      const commitTx = idbTrace.slice(commitBefore).find((x) => x.mode === 'readwrite');
      if (commitTx) out.commitTx.push(commitTx.end - commitTx.start);
      await new Promise((r) => setTimeout(r, 30));
    }
    engine.stop();
    baseline.stop();
    await c.stop();
    await dropDb(rawDb);
    const p = (xs: number[], q: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length
        ? s[Math.min(s.length - 1, Math.floor((q / 100) * s.length))]!.toFixed(2)
        : '-';
    };
    return {
      'poke → shown (engine) p50 · p95': `${p(out.engine, 50)} · ${p(out.engine, 95)} ms`,
      '  apply transaction open → complete p50 · p95': `${p(out.apply, 50)} · ${p(out.apply, 95)} ms`,
      '  poke → apply transaction opened p50 · p95': `${p(out.toApply, 50)} · ${p(out.toApply, 95)} ms`,
      '  apply complete → shown p50 · p95': `${p(out.afterApply, 50)} · ${p(out.afterApply, 95)} ms`,
      'raw transaction → shown p50 · p95': `${p(out.raw, 50)} · ${p(out.raw, 95)} ms`,
      '  raw transaction open → complete p50 · p95': `${p(out.rawTx, 50)} · ${p(out.rawTx, 95)} ms`,
      '  raw with the reads, open → complete p50 · p95': `${p(out.readTx, 50)} · ${p(out.readTx, 95)} ms`,
      '  raw with the reads, commit() after them, open → complete p50 · p95': `${p(out.commitTx, 50)} · ${p(out.commitTx, 95)} ms`,
      'apply requests (first page)': JSON.stringify(requests[0] ?? {}),
      'apply requests (last page)': JSON.stringify(requests.at(-1) ?? {}),
    };
  },

  // ---- device to device (one role per browser process) -----------------------------------
  d2d: null as null | { c: Awaited<ReturnType<typeof startClient>>; projectId: string },
  /** How long each device-to-device write took locally (mirror + outbox transaction). */
  d2dWriteMs: [] as number[],

  /** Writer device: a synced client with its poke socket and a project; returns the project. */
  async d2dWriter(who: Who): Promise<string> {
    traceIdb();
    const c = await startClient(who, { pokes: true });
    await c.start();
    const projectId = await c.client.createProject({
      name: 'Device to device',
      ownerId: who.userId as EntityId,
    });
    await whenStatus(c.client, () => {
      const s = c.client.status.getSnapshot();
      return s.pending === 0 && !s.syncing && s.lastSyncedAt !== null;
    });
    api.d2d = { c, projectId };
    return projectId;
  },

  /** Reader device: synced until it has the project, then records when its task count changes. */
  async d2dReader(who: Who, projectId: string): Promise<void> {
    traceIdb();
    const c = await startClient(who, { pokes: true });
    await c.start();
    const db = c.replica.db;
    await new Promise<void>((resolve) => {
      const sub = liveQuery(() => db.projects.get(projectId as EntityId)).subscribe((p) => {
        if (!p) return;
        resolve();
        queueMicrotask(() => sub.unsubscribe());
      });
    });
    liveQuery(() => db.tasks.where('projectId').equals(projectId).count()).subscribe((count) => {
      api.observed.push({ count, at: abs() });
    });
    api.d2d = { c, projectId };
  },

  /** `n` single writes `gapMs` apart (start to start); returns when each started (epoch ms). */
  async d2dWrite(n: number, gapMs: number): Promise<number[]> {
    const { c, projectId } = api.d2d!;
    const startedAt: number[] = [];
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const wait = t0 + i * gapMs - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      startedAt.push(abs());
      await c.client.createTask({ projectId: projectId as EntityId, title: `d2d ${i}` });
      api.d2dWriteMs.push(abs() - startedAt[i]!);
    }
    return startedAt;
  },

  /** Requests this device made (to tell the poke path from the pull path). */
  d2dRequests() {
    const t = api.d2d!.c.timing;
    return {
      pulls: t.pulls,
      pushes: t.pushes,
      pushLog: t.pushLog,
      pokeLog: t.pokeLog,
      stepLog: t.stepLog,
      writeMs: api.d2dWriteMs,
      idb: idbTrace,
    };
  },

  async d2dStop(): Promise<void> {
    await api.d2d?.c.stop();
    api.d2d = null;
  },

  /** Baseline: a bare WebSocket to a relay; `send` pages stamp, `receive` pages record arrivals. */
  relay: null as null | WebSocket,
  relayed: [] as number[],
  async relayOpen(url: string): Promise<void> {
    const ws = new WebSocket(url);
    ws.onmessage = () => api.relayed.push(abs());
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error(`relay socket ${url} failed`));
    });
    api.relay = ws;
  },
  async relaySend(n: number, gapMs: number): Promise<number[]> {
    const startedAt: number[] = [];
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const wait = t0 + i * gapMs - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      startedAt.push(abs());
      api.relay!.send(String(i));
    }
    return startedAt;
  },

  /**
   * Baseline: `n` read-write transactions of one small put each, on a bare IndexedDB database of
   * this browser (no Dexie), `gapMs` apart; ms from the transaction's opening to `complete`.
   */
  async rawPutTransactions(n: number, gapMs: number): Promise<number[]> {
    const name = 'bench-raw-put';
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name, 1);
      open.onupgradeneeded = () => open.result.createObjectStore('rows', { keyPath: 'id' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const ms: number[] = [];
    try {
      for (let i = 0; i < n; i++) {
        await new Promise((r) => setTimeout(r, gapMs));
        const t = now();
        const tx = db.transaction('rows', 'readwrite');
        tx.objectStore('rows').put({ id: `row-${i}`, title: `Row ${i}`, at: t });
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        ms.push(now() - t);
      }
    } finally {
      db.close();
      indexedDB.deleteDatabase(name);
    }
    return ms;
  },

  // ---- live query latency ------------------------------------------------------------------
  latency: null as null | { c: Awaited<ReturnType<typeof startClient>>; projectId: EntityId },
  observed: [] as { count: number; at: number }[],

  async prepareLatency(who: Who): Promise<string> {
    // Before the database opens: each write's transaction is timed (the timeline row).
    traceIdb();
    const c = await startClient(who);
    c.net.offline = true;
    await c.start();
    const projectId = await c.client.createProject({
      name: 'Latency',
      ownerId: who.userId as EntityId,
    });
    api.latency = { c, projectId };
    return projectId;
  },

  /** In a second tab: watch the same user's tasks of a project and record when counts change. */
  observeOtherTab(userId: string, projectId: string): void {
    const db = new OutpostDb(databaseName(userId));
    liveQuery(() => db.tasks.where('projectId').equals(projectId).count()).subscribe((count) => {
      api.observed.push({ count, at: abs() });
    });
  },

  /** Writes `n` tasks one at a time; returns same-tab latencies and each write's start time. */
  async runLatency(n: number): Promise<{
    sameTab: number[];
    written: number[];
    startedAt: number[];
    timeline: Record<'toOpen' | 'inTx' | 'toResolved' | 'toSeen', number[]>;
  }> {
    const { c, projectId } = api.latency!;
    let resolveSeen: ((count: number) => void) | null = null;
    let lastCount = 0;
    /** When the live query first showed each count (epoch ms). */
    const seenAt = new Map<number, number>();
    const sub = liveQuery(() =>
      c.replica.db.tasks.where('projectId').equals(projectId).count(),
    ).subscribe((count) => {
      if (!seenAt.has(count)) seenAt.set(count, abs());
      lastCount = count;
      resolveSeen?.(count);
    });
    const timeline = {
      toOpen: [] as number[],
      inTx: [] as number[],
      toResolved: [] as number[],
      toSeen: [] as number[],
    };
    await new Promise((r) => setTimeout(r, 50));
    const sameTab: number[] = [];
    /** When each write's promise resolved (committed), from its start. */
    const written: number[] = [];
    const startedAt: number[] = [];
    for (let i = 0; i < n; i++) {
      const seen = new Promise<void>((resolve) => {
        resolveSeen = (count) => count >= i + 1 && resolve();
      });
      const traced = idbTrace.length;
      const a = abs();
      startedAt.push(a);
      const t0 = now();
      await c.client.createTask({ projectId, title: `latency ${i}` });
      const resolved = abs();
      written.push(now() - t0);
      if (lastCount < i + 1) await seen;
      sameTab.push(now() - t0);
      // The write's transaction: read-write over the outbox and the tasks.
      const tx = idbTrace
        .slice(traced)
        .find((x) => x.mode === 'readwrite' && x.stores === 'tasks,writes');
      const shown = seenAt.get(i + 1);
      if (tx && tx.end && shown) {
        timeline.toOpen.push(tx.start - a);
        timeline.inTx.push(tx.end - tx.start);
        timeline.toResolved.push(resolved - tx.end);
        timeline.toSeen.push(shown - tx.end);
      }
      // Pace the writes so the other tab's notifications are not coalesced.
      await new Promise((r) => setTimeout(r, 10));
    }
    sub.unsubscribe();
    await c.stop();
    return { sameTab, written, startedAt, timeline };
  },
};

declare global {
  interface Window {
    bench: typeof api;
  }
}
window.bench = api;
document.getElementById('ready')!.textContent = 'ready';

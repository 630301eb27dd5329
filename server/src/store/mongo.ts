import type { ClientSession, Collection, Db, Filter, MongoClient } from 'mongodb';
import type {
  ClientId,
  EntityId,
  HlcString,
  OrgId,
  RowEntity,
  SyncedEntity,
} from '@outpost/shared';
import { mongoCredentials } from './mongo-credentials.js';
import { migrateMongo, type MetaDoc } from './mongo-schema.js';
import { mongoMembership, type MemberSeenDoc, type WebhookDoc } from './mongo-membership.js';
import { mongoMaintenance } from './mongo-maintenance.js';
import {
  FIELD_NAME,
  type ActivityQuery,
  type ClientRecord,
  type CredentialStore,
  type MembershipStore,
  type PurgedRow,
  type RowListQuery,
  type RowWrite,
  type Store,
  type StoreMaintenance,
  type StoreReader,
  type StoreTx,
  type StoredChange,
  type StoredRow,
} from './types.js';

export interface MongoStoreOptions {
  uri: string;
  dbName: string;
  /** Fail fast when the server is unreachable (ms). */
  serverSelectionTimeoutMs?: number;
}

/** A row document in the `rows` collection. */
export interface RowDoc {
  _id: string;
  orgId: string;
  entity: string;
  data: Record<string, unknown>;
  clocks: Record<string, string>;
  deleted: string | null;
  version: number;
}

export interface ChangeDoc {
  _id: string;
  orgId: string;
  seq: number;
  entity: string;
  entityId: string;
  row: Record<string, unknown>;
  clocks: Record<string, string>;
  deleted: string | null;
  /** When the entry was written (ISO), for tombstone retention. */
  writtenAt: string;
}

export interface ActivityDoc {
  _id: string;
  orgId: string;
  seq: number;
  id: string;
  clientId: string | null;
  action: string;
  createdAt: string;
  data: Record<string, unknown>;
}

interface OrgDoc {
  _id: string;
  head: number;
  /** Highest seq of a purged log entry (absent = 0). */
  purgedSeq?: number;
}

interface ClientDoc {
  _id: string;
  userId: string;
  orgId: string;
  /** Absent on documents written before it was kept. */
  externalId?: string | null;
  lastMutationId: number;
}

export interface CredentialDoc {
  _id: string;
  secretHash: string;
  userId: string;
  orgId: string;
  clientId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface Collections {
  rows: Collection<RowDoc>;
  changes: Collection<ChangeDoc>;
  activities: Collection<ActivityDoc>;
  meta: Collection<MetaDoc>;
  orgs: Collection<OrgDoc>;
  clients: Collection<ClientDoc>;
  credentials: Collection<CredentialDoc>;
  webhooks: Collection<WebhookDoc>;
  seen: Collection<MemberSeenDoc>;
  purged: Collection<PurgedDoc>;
}

/** A row whose tombstone was purged: its id stays taken; a user's identity stays removed. */
export interface PurgedDoc {
  _id: string;
  orgId: string;
  entity: RowEntity;
  /** A user row's `externalId` (absent for other rows, and for users purged before it was kept). */
  externalId?: string;
}

function toRow(d: RowDoc): StoredRow {
  return {
    id: d._id,
    orgId: d.orgId as OrgId,
    entity: d.entity as SyncedEntity,
    data: d.data,
    clocks: d.clocks as Record<string, HlcString>,
    deleted: d.deleted as HlcString | null,
    version: d.version,
  };
}

function toClient(d: ClientDoc): ClientRecord {
  return {
    clientId: d._id as ClientId,
    userId: d.userId as EntityId,
    orgId: d.orgId as OrgId,
    externalId: d.externalId ?? null,
    lastMutationId: d.lastMutationId,
  };
}

/** Leaves out tombstones at or below `liveThrough` (see `Store.changes`). */
function liveFilter(liveThrough: number): Filter<ChangeDoc> {
  return liveThrough > 0 ? { $or: [{ deleted: null }, { seq: { $gt: liveThrough } }] } : {};
}

/** Log entries a purge reads per round. */
const PURGE_BATCH = 500;

/** Reads, optionally inside a session's transaction. */
class MongoReader implements StoreReader {
  constructor(
    readonly c: Collections,
    readonly session?: ClientSession,
  ) {}

  get opts() {
    return this.session ? { session: this.session } : {};
  }

  async getRow(id: string): Promise<StoredRow | null> {
    const d = await this.c.rows.findOne({ _id: id }, this.opts);
    return d ? toRow(d) : null;
  }

  async purgedRow(id: string): Promise<PurgedRow | null> {
    const d = await this.c.purged.findOne({ _id: id }, this.opts);
    return d ? { orgId: d.orgId as OrgId, entity: d.entity } : null;
  }

  async purgedMember(orgId: OrgId, externalId: string): Promise<boolean> {
    return (await this.c.purged.findOne({ orgId, externalId }, this.opts)) !== null;
  }

  async listRows(q: RowListQuery): Promise<StoredRow[]> {
    const filter: Filter<RowDoc> = { orgId: q.orgId, entity: q.entity };
    const f = filter as Record<string, unknown>;
    for (const [field, value] of Object.entries(q.filter)) {
      if (!FIELD_NAME.test(field)) throw new Error(`Invalid filter field: ${field}`);
      f[`data.${field}`] = value;
    }
    if (!q.includeDeleted) f['deleted'] = null;
    if (q.afterId !== null) f['_id'] = { $gt: q.afterId };
    const docs = await this.c.rows
      .find(filter, this.opts)
      .sort({ _id: 1 })
      .limit(q.limit)
      .toArray();
    return docs.map(toRow);
  }

  async head(orgId: OrgId): Promise<number> {
    const d = await this.c.orgs.findOne({ _id: orgId }, this.opts);
    return d?.head ?? 0;
  }

  async getClient(clientId: ClientId): Promise<ClientRecord | null> {
    const d = await this.c.clients.findOne({ _id: clientId }, this.opts);
    return d ? toClient(d) : null;
  }
}

/** An entry's age for retention: its own timestamp field when it has one, else now. */
function writtenAt(data: Readonly<Record<string, unknown>>, field: string): string {
  const v = data[field];
  return typeof v === 'string' ? v : new Date().toISOString();
}

function activityChange(d: ActivityDoc): StoredChange {
  return { seq: d.seq, entity: 'activity', entityId: d.id, row: d.data, clocks: {}, deleted: null };
}

class MongoTx extends MongoReader implements StoreTx {
  async #nextSeq(orgId: OrgId): Promise<number> {
    // The counter update is a write in this transaction: a concurrent writer of the same org
    // hits a write conflict and retries after we commit, so seq order = commit order.
    const org = await this.c.orgs.findOneAndUpdate(
      { _id: orgId },
      { $inc: { head: 1 } },
      { upsert: true, returnDocument: 'after', session: this.session },
    );
    if (!org) throw new Error('org counter upsert returned nothing');
    return org.head;
  }

  async writeRow(row: RowWrite): Promise<number> {
    const seq = await this.#nextSeq(row.orgId);
    const data = { ...row.data, version: seq };
    await this.c.rows.replaceOne(
      { _id: row.id },
      {
        orgId: row.orgId,
        entity: row.entity,
        data,
        clocks: row.clocks,
        deleted: row.deleted,
        version: seq,
      },
      { upsert: true, session: this.session },
    );
    // One entry per row: the previous one goes in the same transaction (changes_by_row).
    await this.c.changes.deleteOne(
      { orgId: row.orgId, entityId: row.id },
      { session: this.session },
    );
    await this.c.changes.insertOne(
      {
        _id: `${row.orgId}:${seq}`,
        orgId: row.orgId,
        seq,
        entity: row.entity,
        entityId: row.id,
        row: data,
        clocks: row.clocks,
        deleted: row.deleted,
        writtenAt: writtenAt(row.data, 'updatedAt'),
      },
      { session: this.session },
    );
    return seq;
  }

  async appendActivity(entry: RowWrite): Promise<number> {
    const seq = await this.#nextSeq(entry.orgId);
    const d = entry.data;
    await this.c.activities.insertOne(
      {
        _id: `${entry.orgId}:${seq}`,
        orgId: entry.orgId,
        seq,
        id: entry.id,
        clientId: typeof d['clientId'] === 'string' ? d['clientId'] : null,
        action: String(d['action'] ?? ''),
        createdAt: writtenAt(d, 'createdAt'),
        data: { ...d, version: seq },
      },
      { session: this.session },
    );
    return seq;
  }

  async putClient(c: ClientRecord): Promise<void> {
    await this.c.clients.replaceOne(
      { _id: c.clientId },
      {
        userId: c.userId,
        orgId: c.orgId,
        externalId: c.externalId,
        lastMutationId: c.lastMutationId,
      },
      { upsert: true, session: this.session },
    );
  }
}

/**
 * MongoDB store (Atlas in production). A transaction is one `session.withTransaction`; the
 * per-org counter document is bumped inside it, which serializes an org's writers. Needs a
 * replica set (transactions): a standalone server is refused at start.
 */
export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  readonly #client: MongoClient;
  readonly #db: Db;
  readonly #c: Collections;
  readonly #reader: MongoReader;
  readonly credentials: CredentialStore;
  readonly membership: MembershipStore;
  readonly maintenance: StoreMaintenance;

  private constructor(client: MongoClient, db: Db) {
    this.#client = client;
    this.#db = db;
    this.#c = {
      rows: db.collection<RowDoc>('rows'),
      changes: db.collection<ChangeDoc>('changes'),
      activities: db.collection<ActivityDoc>('activities'),
      meta: db.collection<MetaDoc>('meta'),
      orgs: db.collection<OrgDoc>('orgs'),
      clients: db.collection<ClientDoc>('clients'),
      credentials: db.collection<CredentialDoc>('credentials'),
      webhooks: db.collection<WebhookDoc>('webhook_events'),
      seen: db.collection<MemberSeenDoc>('member_seen'),
      purged: db.collection<PurgedDoc>('purged_rows'),
    };
    this.#reader = new MongoReader(this.#c);
    this.credentials = mongoCredentials(this.#c.credentials);
    this.membership = mongoMembership(this.#c);
    this.maintenance = mongoMaintenance(this.#c);
  }

  static async open(options: MongoStoreOptions): Promise<MongoStore> {
    // Loaded only when MongoDB is configured: the driver costs a SQLite server ~20 MiB of RSS.
    const { MongoClient } = await import('mongodb');
    const client = new MongoClient(options.uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
      retryWrites: true,
      // Every write (transactions, credentials) is acknowledged only once a majority of the
      // replica set has it in its journal: an acknowledged push survives a primary failover.
      writeConcern: { w: 'majority', journal: true },
    });
    await client.connect();
    try {
      const hello = await client.db('admin').command({ hello: 1 });
      if (!hello['setName'] && hello['msg'] !== 'isdbgrid') {
        throw new Error(
          'MONGODB_URI points at a standalone MongoDB server. Outpost needs transactions, which need a replica set ' +
            '(Atlas always is one). Start mongod with --replSet and run rs.initiate(), or unset MONGODB_URI to use the embedded SQLite store.',
        );
      }
      const store = new MongoStore(client, client.db(options.dbName));
      // Compaction first: the unique one-entry-per-row index cannot be built before it.
      await migrateMongo(store.#c);
      await store.#createIndexes();
      return store;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  async #createIndexes(): Promise<void> {
    // One index per query path (createIndexes also creates the collections, which older
    // servers cannot do inside a transaction).
    await Promise.all([
      // Field indexes end in _id so a filtered list is read in id order from the index.
      this.#c.rows.createIndexes([
        { key: { orgId: 1, entity: 1, _id: 1 }, name: 'rows_by_org_entity' },
        {
          key: { orgId: 1, entity: 1, 'data.externalId': 1, _id: 1 },
          name: 'rows_by_external_id_v2',
        },
        { key: { orgId: 1, entity: 1, 'data.projectId': 1, _id: 1 }, name: 'rows_by_project_v2' },
        { key: { orgId: 1, entity: 1, 'data.status': 1, _id: 1 }, name: 'rows_by_status_v2' },
        // A user's rows in every org (webhooks about a user name no org).
        { key: { entity: 1, 'data.externalId': 1 }, name: 'rows_by_user_external_id' },
        // Lookups by email go through its keyed hash (the email itself is encrypted).
        {
          key: { orgId: 1, entity: 1, 'data.emailIndex': 1, _id: 1 },
          name: 'rows_by_email_index',
        },
      ]),
      this.#c.changes.createIndexes([
        { key: { orgId: 1, seq: 1 }, unique: true, name: 'changes_by_org_seq' },
        // The write path's lookup of a row's previous entry; unique keeps one entry per row.
        { key: { orgId: 1, entityId: 1 }, unique: true, name: 'changes_by_row' },
        {
          key: { writtenAt: 1 },
          name: 'changes_tombstones',
          partialFilterExpression: { deleted: { $type: 'string' } },
        },
      ]),
      this.#c.activities.createIndexes([
        { key: { orgId: 1, seq: 1 }, unique: true, name: 'activities_by_org_seq' },
        {
          key: { orgId: 1, clientId: 1, seq: 1 },
          name: 'activities_by_client',
          partialFilterExpression: { clientId: { $type: 'string' } },
        },
        { key: { orgId: 1, createdAt: 1 }, name: 'activities_by_time' },
        // One row's history (GET /activities?entityId=), by seq either way.
        { key: { orgId: 1, 'data.entityId': 1, seq: 1 }, name: 'activities_by_entity' },
      ]),
      this.#c.orgs.createIndex({ _id: 1 }),
      this.#c.clients.createIndex({ _id: 1 }),
      this.#c.credentials.createIndex(
        { userId: 1, clientId: 1 },
        { name: 'credentials_by_client' },
      ),
      this.#c.credentials.createIndex({ userId: 1, orgId: 1 }, { name: 'credentials_by_member' }),
      this.#c.seen.createIndex({ orgId: 1 }, { name: 'member_seen_by_org' }),
      // A purged member's identity (`purgedMember`).
      this.#c.purged.createIndex(
        { orgId: 1, externalId: 1 },
        { name: 'purged_members', partialFilterExpression: { externalId: { $type: 'string' } } },
      ),
      this.#c.webhooks.createIndex({ _id: 1 }),
    ]);
  }

  getRow(id: string) {
    return this.#reader.getRow(id);
  }
  purgedRow(id: string) {
    return this.#reader.purgedRow(id);
  }
  purgedMember(orgId: OrgId, externalId: string) {
    return this.#reader.purgedMember(orgId, externalId);
  }
  listRows(q: RowListQuery) {
    return this.#reader.listRows(q);
  }
  head(orgId: OrgId) {
    return this.#reader.head(orgId);
  }
  getClient(clientId: ClientId) {
    return this.#reader.getClient(clientId);
  }
  async liveVersion(id: string): Promise<number | null> {
    const d = await this.#c.rows.findOne(
      { _id: id, deleted: null },
      { projection: { version: 1 } },
    );
    return d?.version ?? null;
  }

  async changes(
    orgId: OrgId,
    afterSeq: number,
    limit: number,
    liveThrough = 0,
  ): Promise<StoredChange[]> {
    const docs = await this.#c.changes
      .find({ orgId, seq: { $gt: afterSeq }, ...liveFilter(liveThrough) })
      .sort({ seq: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => ({
      seq: d.seq,
      entity: d.entity as SyncedEntity,
      entityId: d.entityId,
      row: d.row,
      clocks: d.clocks as Record<string, HlcString>,
      deleted: d.deleted as HlcString | null,
    }));
  }

  async countChanges(
    orgId: OrgId,
    afterSeq: number,
    upToSeq: number,
    liveThrough = 0,
  ): Promise<number> {
    return this.#c.changes.countDocuments({
      orgId,
      seq: { $gt: afterSeq, $lte: upToSeq },
      ...liveFilter(liveThrough),
    });
  }

  async ping(): Promise<void> {
    // A real read on the primary (not just the driver's cached topology).
    await this.#c.orgs.findOne({}, { projection: { _id: 1 }, maxTimeMS: 2000 });
  }

  async activities(orgId: OrgId, q: ActivityQuery): Promise<StoredChange[]> {
    const filter: Filter<ActivityDoc> = { orgId };
    const seq: { $gt?: number; $lt?: number } = {};
    if (q.afterSeq !== undefined) seq.$gt = q.afterSeq;
    if (q.beforeSeq !== undefined) seq.$lt = q.beforeSeq;
    if (q.afterSeq !== undefined || q.beforeSeq !== undefined) filter.seq = seq;
    if (q.clientId !== undefined) filter.clientId = q.clientId;
    if (q.actions !== undefined) filter.action = { $in: [...q.actions] };
    if (q.entityId !== undefined) filter['data.entityId'] = q.entityId;
    const order = q.beforeSeq !== undefined && q.afterSeq === undefined ? -1 : 1;
    const docs = await this.#c.activities
      .find(filter)
      .sort({ seq: order })
      .limit(q.limit)
      .toArray();
    return docs.map(activityChange);
  }

  async activityWindowStart(
    orgId: OrgId,
    window: { newest: number; since: string },
  ): Promise<number | null> {
    // Covered by `activities_by_org_seq` (no `_id`): the skip walks index keys, not documents.
    const [byCount] = await this.#c.activities
      .find({ orgId }, { projection: { _id: 0, seq: 1 } })
      .sort({ seq: -1 })
      .skip(window.newest - 1)
      .limit(1)
      .toArray();
    const [byTime] = await this.#c.activities
      .find({ orgId, createdAt: { $gte: window.since } }, { projection: { seq: 1 } })
      .sort({ createdAt: 1 })
      .limit(1)
      .toArray();
    if (!byTime) return null;
    return Math.max(byTime.seq, byCount?.seq ?? 0);
  }

  async purgeHorizon(orgId: OrgId): Promise<number> {
    const d = await this.#c.orgs.findOne({ _id: orgId });
    return d?.purgedSeq ?? 0;
  }

  async purgeTombstones(before: string): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await this.#c.changes
        .find({ deleted: { $type: 'string' }, writtenAt: { $lt: before } })
        .limit(PURGE_BATCH)
        .toArray();
      if (batch.length === 0) break;
      // Each entry in its own transaction with its org's counter document: a concurrent write
      // of that row (which would move the entry) conflicts and one of the two retries.
      for (const e of batch) {
        await this.#inTransaction(async (session) => {
          const still = await this.#c.changes.findOne(
            { _id: e._id, deleted: { $type: 'string' }, writtenAt: { $lt: before } },
            { session },
          );
          if (!still) return;
          await this.#c.changes.deleteOne({ _id: e._id }, { session });
          // A removed member's identity stays (`purgedMember`); other rows keep only their id.
          const user =
            e.entity === 'user'
              ? await this.#c.rows.findOne({ _id: e.entityId }, { session })
              : null;
          const externalId = user?.data['externalId'];
          await this.#c.purged.updateOne(
            { _id: e.entityId },
            {
              $setOnInsert: {
                orgId: e.orgId,
                entity: e.entity as RowEntity,
                ...(typeof externalId === 'string' ? { externalId } : {}),
              },
            },
            { session, upsert: true },
          );
          await this.#c.rows.deleteOne({ _id: e.entityId, deleted: { $ne: null } }, { session });
          await this.#c.orgs.updateOne(
            { _id: e.orgId },
            { $max: { purgedSeq: e.seq } },
            { session },
          );
          total++;
        });
      }
      if (batch.length < PURGE_BATCH) break;
    }
    return total;
  }

  async purgeActivities(before: string): Promise<number> {
    const res = await this.#c.activities.deleteMany({ createdAt: { $lt: before } });
    return res.deletedCount;
  }

  async storageBytes(): Promise<{ total: number; used: number }> {
    const stats = (await this.#db.command({ dbStats: 1 })) as {
      storageSize?: number;
      indexSize?: number;
      dataSize?: number;
    };
    return {
      total: (stats.storageSize ?? 0) + (stats.indexSize ?? 0),
      used: (stats.dataSize ?? 0) + (stats.indexSize ?? 0),
    };
  }

  transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#inTransaction((session) => fn(new MongoTx(this.#c, session)));
  }

  async #inTransaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.#client.startSession();
    try {
      // withTransaction retries fn on TransientTransactionError (e.g. the org counter's
      // write conflict) and the commit on UnknownTransactionCommitResult.
      return await session.withTransaction(() => fn(session), {
        readConcern: { level: 'snapshot' },
        writeConcern: { w: 'majority' },
      });
    } finally {
      await session.endSession();
    }
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}

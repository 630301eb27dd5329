import type { ClientId, OrgId, SyncedEntity } from '@outpost/shared';
import { ConfigError } from '../config.js';
import { KeyRingError, type KeyRing } from './crypto/key-ring.js';
import {
  EMAIL_INDEX_FIELD,
  EMAIL_INDEX_VERSION,
  emailIndex,
  hasPersonalFields,
  openRecord,
  resealRecord,
  sealRecord,
} from './crypto/pii.js';
import type {
  ActivityQuery,
  MembershipStore,
  RowListQuery,
  RowWrite,
  Store,
  StoreMaintenance,
  StoreReader,
  StoreTx,
  StoredChange,
  StoredRow,
} from './types.js';

/** Where the store records which key its data is under, with a value to prove a key right. */
const META_KEY = 'encryption';
const CHECK_PLAINTEXT = 'outpost-data-key-check';

interface EncryptionMeta {
  keyId: string;
  check: string;
  /** `EMAIL_INDEX_VERSION` of the stored email indexes; absent: 1. */
  emailIndex?: number;
}

function openRow(ring: KeyRing, row: StoredRow): StoredRow {
  return { ...row, data: openRecord(ring, row.entity, row.data) };
}

function sealWrite(ring: KeyRing, row: RowWrite): RowWrite {
  return { ...row, data: sealRecord(ring, row.entity, row.data) };
}

/**
 * An email filter becomes a filter on its keyed hash: the email itself is not stored. So it
 * matches whatever the case (`emailIndex`), as the plaintext filter of a bare store does not.
 */
function sealQuery(ring: KeyRing, q: RowListQuery): RowListQuery {
  const email = q.filter['email'];
  if (q.entity !== 'user' || email === undefined) return q;
  const { email: _, ...rest } = q.filter;
  return {
    ...q,
    filter: {
      ...rest,
      [EMAIL_INDEX_FIELD]: typeof email === 'string' ? emailIndex(ring, email) : email,
    },
  };
}

class EncryptedReader implements StoreReader {
  constructor(
    readonly inner: StoreReader,
    readonly ring: KeyRing,
  ) {}
  async getRow(id: string) {
    const row = await this.inner.getRow(id);
    return row && openRow(this.ring, row);
  }
  purgedRow(id: string) {
    return this.inner.purgedRow(id);
  }
  purgedMember(orgId: OrgId, externalId: string) {
    return this.inner.purgedMember(orgId, externalId);
  }
  async listRows(q: RowListQuery) {
    return (await this.inner.listRows(sealQuery(this.ring, q))).map((r) => openRow(this.ring, r));
  }
  head(orgId: OrgId) {
    return this.inner.head(orgId);
  }
  getClient(clientId: ClientId) {
    return this.inner.getClient(clientId);
  }
}

class EncryptedTx extends EncryptedReader implements StoreTx {
  constructor(
    readonly tx: StoreTx,
    ring: KeyRing,
  ) {
    super(tx, ring);
  }
  writeRow(row: RowWrite) {
    return this.tx.writeRow(sealWrite(this.ring, row));
  }
  appendActivity(entry: RowWrite) {
    return this.tx.appendActivity(sealWrite(this.ring, entry));
  }
  putClient(...args: Parameters<StoreTx['putClient']>) {
    return this.tx.putClient(...args);
  }
}

/**
 * Field-level encryption of personal data at rest, for any store (SQLite or MongoDB): writes
 * are sealed on the way in (rows, change log, activities), reads opened on the way out, so the
 * engine and clients see plaintext and the database never holds it. `open` refuses a key ring
 * that cannot read the database and brings everything under the active key (plaintext from
 * before encryption, or an older key after rotation).
 */
export class EncryptedStore extends EncryptedReader implements Store {
  readonly kind: Store['kind'];
  readonly credentials: Store['credentials'];
  readonly maintenance: StoreMaintenance;
  readonly membership: MembershipStore;

  private constructor(
    readonly store: Store,
    ring: KeyRing,
  ) {
    super(store, ring);
    this.kind = store.kind;
    this.credentials = store.credentials;
    this.maintenance = store.maintenance;
    // A user's rows across orgs (identity-provider webhooks) are opened like every other read.
    this.membership = {
      ...store.membership,
      usersByExternalId: async (externalId) =>
        (await store.membership.usersByExternalId(externalId)).map((r) => openRow(ring, r)),
    };
  }

  /**
   * Checks the key ring against the database and re-encrypts what is not under the active key.
   * `rotate` re-encrypts every personal field even when the database says it is current.
   */
  static async open(
    store: Store,
    ring: KeyRing,
    opts: { rotate?: boolean; log?: (msg: string, counts?: object) => void } = {},
  ): Promise<EncryptedStore> {
    const raw = await store.maintenance.getMeta(META_KEY);
    const meta = raw === null ? null : (JSON.parse(raw) as EncryptionMeta);
    if (meta) {
      if (!ring.has(meta.keyId))
        throw new ConfigError(
          `DATA_ENCRYPTION_KEYS does not hold key "${meta.keyId}", which this database's personal data is encrypted with. ` +
            `Add it back (after the new key: "<new>:…,${meta.keyId}:…") and run \`pnpm --filter @outpost/server rotate-keys\`.`,
        );
      try {
        ring.decrypt(meta.check);
      } catch {
        throw new ConfigError(
          `DATA_ENCRYPTION_KEYS: key "${meta.keyId}" does not decrypt this database (wrong key for that id?). The server will not start with it.`,
        );
      }
    }
    const reindex = meta !== null && (meta.emailIndex ?? 1) !== EMAIL_INDEX_VERSION;
    if (!meta || meta.keyId !== ring.active.id || reindex || opts.rotate) {
      const next: EncryptionMeta = {
        keyId: ring.active.id,
        check: ring.encrypt(CHECK_PLAINTEXT),
        emailIndex: EMAIL_INDEX_VERSION,
      };
      let rewritten: number;
      try {
        rewritten = await store.maintenance.rewriteAll(
          (entity: SyncedEntity, data) =>
            hasPersonalFields(entity) ? resealRecord(ring, entity, data) : null,
          { key: META_KEY, value: JSON.stringify(next) },
        );
      } catch (err) {
        if (err instanceof KeyRingError)
          throw new ConfigError(`DATA_ENCRYPTION_KEYS cannot read this database: ${err.message}`);
        throw err;
      }
      opts.log?.(
        !meta
          ? `personal data encrypted at rest under key "${ring.active.id}"`
          : meta.keyId !== ring.active.id || opts.rotate
            ? `personal data re-encrypted from key "${meta.keyId}" to "${ring.active.id}"`
            : `email lookup index rebuilt (version ${EMAIL_INDEX_VERSION}: case-insensitive)`,
        { records: rewritten },
      );
    }
    return new EncryptedStore(store, ring);
  }

  transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.store.transact((tx) => fn(new EncryptedTx(tx, this.ring)));
  }

  liveVersion(id: string) {
    return this.store.liveVersion(id);
  }

  async changes(
    orgId: OrgId,
    afterSeq: number,
    limit: number,
    liveThrough?: number,
  ): Promise<StoredChange[]> {
    return (await this.store.changes(orgId, afterSeq, limit, liveThrough)).map((c) =>
      this.#openChange(c),
    );
  }

  countChanges(
    orgId: OrgId,
    afterSeq: number,
    upToSeq: number,
    liveThrough?: number,
  ): Promise<number> {
    return this.store.countChanges(orgId, afterSeq, upToSeq, liveThrough);
  }

  async activities(orgId: OrgId, query: ActivityQuery): Promise<StoredChange[]> {
    return (await this.store.activities(orgId, query)).map((c) => this.#openChange(c));
  }

  #openChange(c: StoredChange): StoredChange {
    return hasPersonalFields(c.entity) ? { ...c, row: openRecord(this.ring, c.entity, c.row) } : c;
  }

  // Retention reads only seqs and timestamps, which stay in the clear, and only deletes.
  activityWindowStart(...args: Parameters<Store['activityWindowStart']>) {
    return this.store.activityWindowStart(...args);
  }
  purgeHorizon(orgId: OrgId) {
    return this.store.purgeHorizon(orgId);
  }
  purgeTombstones(before: string) {
    return this.store.purgeTombstones(before);
  }
  purgeActivities(before: string) {
    return this.store.purgeActivities(before);
  }
  storageBytes() {
    return this.store.storageBytes();
  }

  ping() {
    return this.store.ping();
  }

  close() {
    return this.store.close();
  }
}

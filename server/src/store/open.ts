import type { Config } from '../config.js';
import { loadOrCreateDevDataKeys } from './crypto/dev-key.js';
import { KeyRing, parseKeyRing } from './crypto/key-ring.js';
import { EncryptedStore } from './encrypted.js';
import { MongoStore } from './mongo.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

type StoreConfig = Pick<
  Config,
  | 'MONGODB_URI'
  | 'MONGODB_DB'
  | 'dataDir'
  | 'SQLITE_SYNCHRONOUS'
  | 'SQLITE_CACHE_MIB'
  | 'DATA_ENCRYPTION_KEYS'
>;
type Log = (msg: string, fields?: object) => void;

/** MongoDB when MONGODB_URI is set, otherwise the embedded SQLite file under DATA_DIR. */
export async function openStore(config: Omit<StoreConfig, 'DATA_ENCRYPTION_KEYS'>): Promise<Store> {
  if (config.MONGODB_URI)
    return MongoStore.open({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB });
  return new SqliteStore({
    dataDir: config.dataDir,
    synchronous: config.SQLITE_SYNCHRONOUS,
    cacheMib: config.SQLITE_CACHE_MIB,
  });
}

/** DATA_ENCRYPTION_KEYS, or (dev, where config allows it unset) a key kept under DATA_DIR. */
export async function openKeyRing(config: StoreConfig, log: Log): Promise<KeyRing> {
  if (config.DATA_ENCRYPTION_KEYS) return new KeyRing(parseKeyRing(config.DATA_ENCRYPTION_KEYS));
  const dev = await loadOrCreateDevDataKeys(config.dataDir);
  if (dev.created)
    log(
      `generated a data encryption key in ${dev.file} (no DATA_ENCRYPTION_KEYS; dev mode): keep that file with the database, and set DATA_ENCRYPTION_KEYS in production`,
    );
  return new KeyRing(dev.keys);
}

/**
 * The configured store with personal data encrypted at rest: refuses a key ring that cannot
 * read it, and brings plaintext or older-key data under the active key first.
 */
export async function openEncryptedStore(
  config: StoreConfig,
  log: Log,
  opts: { rotate?: boolean } = {},
): Promise<EncryptedStore> {
  const ring = await openKeyRing(config, log);
  const store = await openStore(config);
  try {
    return await EncryptedStore.open(store, ring, { ...opts, log });
  } catch (err) {
    await store.close();
    throw err;
  }
}

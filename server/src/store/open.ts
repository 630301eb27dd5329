import type { Config } from '../config.js';
import { MongoStore } from './mongo.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/** MongoDB when MONGODB_URI is set, otherwise the embedded SQLite file under DATA_DIR. */
export async function openStore(
  config: Pick<Config, 'MONGODB_URI' | 'MONGODB_DB' | 'dataDir' | 'SQLITE_SYNCHRONOUS'>,
): Promise<Store> {
  if (config.MONGODB_URI)
    return MongoStore.open({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB });
  return new SqliteStore({ dataDir: config.dataDir, synchronous: config.SQLITE_SYNCHRONOUS });
}

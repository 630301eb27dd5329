import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';

/** One store a suite runs against: its environment, and how to drop what it made. */
export interface StoreLeg {
  name: 'sqlite' | 'mongodb';
  env: () => Record<string, string>;
  drop?: (db: string) => Promise<void>;
}

/**
 * SQLite, and MongoDB when MONGODB_TEST_URI is set (each run in a database of its own, named
 * `outpost_<prefix>_…`): for a suite whose logic is the engine's, over either store. Says so
 * when the Mongo leg does not run, naming `suite`.
 */
export function storeLegs(suite: string, prefix: string): StoreLeg[] {
  const uri = process.env['MONGODB_TEST_URI'];
  if (!uri) {
    console.log(`Mongo leg of ${suite} did not run: MONGODB_TEST_URI is not set`);
    return [{ name: 'sqlite', env: () => ({}) }];
  }
  return [
    { name: 'sqlite', env: () => ({}) },
    {
      name: 'mongodb',
      env: () => ({
        MONGODB_URI: uri,
        MONGODB_DB: `outpost_${prefix}_${randomUUID().slice(0, 8)}`,
      }),
      drop: async (db) => {
        const client = new MongoClient(uri);
        try {
          await client.db(db).dropDatabase();
        } finally {
          await client.close();
        }
      },
    },
  ];
}

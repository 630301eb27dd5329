/**
 * `pnpm --filter @outpost/server rotate-keys`: re-encrypts every personal field in the store
 * (rows, change log, activities) under the first key of DATA_ENCRYPTION_KEYS, and encrypts
 * plaintext left from before encryption. Rotation: put the new key first, keep the old one
 * after it, run this, then drop the old key. Safe to run again; the server also finishes a
 * rotation when it starts.
 */
import { ConfigError, loadConfigOrExit } from '../config.js';
import { openEncryptedStore } from '../store/open.js';

const config = loadConfigOrExit();
try {
  const store = await openEncryptedStore(
    config,
    (msg, fields) => console.log(fields ? `${msg} ${JSON.stringify(fields)}` : msg),
    { rotate: true },
  );
  await store.close();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}

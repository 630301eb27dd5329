import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { formatKey, generateDataKey, parseKeyRing, type DataKey } from './key-ring.js';

export const DEV_DATA_KEYS_FILE = 'data-encryption-keys';

/**
 * Dev mode without DATA_ENCRYPTION_KEYS: a key ring kept in DATA_DIR (mode 0600) beside the
 * database, created on first start. Several processes may start at once: the first `link`
 * wins and everyone reads the winner's file (as with the dev auth keys).
 */
export async function loadOrCreateDevDataKeys(
  dataDir: string,
): Promise<{ keys: DataKey[]; created: boolean; file: string }> {
  const file = path.join(dataDir, DEV_DATA_KEYS_FILE);
  const existing = await read(file);
  if (existing) return { keys: existing, created: false, file };
  await fs.mkdir(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const spec = formatKey(generateDataKey(`dev-${randomBytes(4).toString('hex')}`));
  await fs.writeFile(tmp, `${spec}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(tmp, file);
    return { keys: parseKeyRing(spec), created: true, file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const winner = await read(file);
    if (!winner) throw new Error(`${file} exists but could not be read`);
    return { keys: winner, created: false, file };
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function read(file: string): Promise<DataKey[] | null> {
  try {
    return parseKeyRing(await fs.readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

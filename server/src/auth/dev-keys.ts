import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** The dev-mode signing key pair, kept under DATA_DIR so tokens survive restarts. */
export interface DevKeys {
  kid: string;
  /** PKCS#8 PEM; signs dev session tokens. */
  privateKeyPem: string;
  /** SPKI PEM; what `verifyToken({ jwtKey })` takes, exactly like Clerk's CLERK_JWT_KEY. */
  publicKeyPem: string;
}

const devKeysFileSchema = z.strictObject({
  kid: z.string().min(1),
  privateKeyPem: z.string().startsWith('-----BEGIN PRIVATE KEY-----'),
  publicKeyPem: z.string().startsWith('-----BEGIN PUBLIC KEY-----'),
});

export const DEV_KEYS_FILE = 'dev-auth-keys.json';

/**
 * Loads the dev key pair, creating it on first use. Several processes may start at once on
 * one DATA_DIR: each writes a complete candidate to a private temp file and `link`s it into
 * place, which fails with EEXIST for every process but the first — so the file is never seen
 * half-written and every process ends up with the same key.
 */
export async function loadOrCreateDevKeys(dataDir: string): Promise<DevKeys> {
  const file = path.join(dataDir, DEV_KEYS_FILE);
  const existing = await readKeys(file);
  if (existing) return existing;

  await fs.mkdir(dataDir, { recursive: true });
  // Clerk's PEM loader expects a 2048-bit RSA SPKI key (it strips a fixed prefix).
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const keys: DevKeys = {
    kid: `dev-${randomBytes(8).toString('hex')}`,
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
  };
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(keys, null, 2), { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(tmp, file);
    return keys;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const winner = await readKeys(file);
    if (!winner) throw new Error(`${file} exists but could not be read`);
    return winner;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function readKeys(file: string): Promise<DevKeys | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = devKeysFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `${file} is not a valid Outpost dev key file (delete it to generate a new key pair): ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

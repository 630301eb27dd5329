import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Field-level encryption at rest: AES-256-GCM with a random 96-bit IV per value, under a ring
 * of 32-byte keys with ids. The first key encrypts; every key decrypts, so rotation is: put the
 * new key first, keep the old one, run `rotate-keys` (or restart), then drop the old key.
 *
 * A value at rest reads `enc1:<keyId>:<iv>:<ciphertext+tag>` (base64url); the key id is bound
 * into the GCM tag (AAD), so a value cannot be re-labelled to another key.
 */
export const ENCRYPTED_PREFIX = 'enc1:';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface DataKey {
  id: string;
  key: Buffer;
}

export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

/** Parses `id:base64key,id2:base64key` (the first is the active key). Throws KeyRingError. */
export function parseKeyRing(spec: string): DataKey[] {
  const keys = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf(':');
      const id = entry.slice(0, at);
      if (at < 0 || !KEY_ID.test(id))
        throw new KeyRingError(
          `each entry must be <keyId>:<base64 of 32 bytes> with a key id of letters, digits, _ or - (got "${entry.slice(0, 12)}…")`,
        );
      const key = Buffer.from(entry.slice(at + 1), 'base64');
      if (key.length !== 32)
        throw new KeyRingError(
          `key "${id}" must be 32 bytes in base64 (got ${key.length}); make one with: openssl rand -base64 32`,
        );
      return { id, key };
    });
  if (keys.length === 0) throw new KeyRingError('no keys given');
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new KeyRingError('key ids must be unique');
  return keys;
}

export function formatKey(k: DataKey): string {
  return `${k.id}:${k.key.toString('base64')}`;
}

export function generateDataKey(id: string): DataKey {
  return { id, key: randomBytes(32) };
}

export class KeyRing {
  readonly active: DataKey;
  readonly #byId: Map<string, DataKey>;
  readonly #indexKey: Buffer;

  constructor(readonly keys: readonly DataKey[]) {
    if (keys.length === 0) throw new KeyRingError('a key ring needs at least one key');
    this.active = keys[0]!;
    this.#byId = new Map(keys.map((k) => [k.id, k]));
    // A separate key for the lookup index, derived so an index value reveals nothing usable
    // about the encryption key.
    this.#indexKey = Buffer.from(
      hkdfSync('sha256', this.active.key, Buffer.alloc(0), 'outpost:pii-index:v1', 32),
    );
  }

  has(keyId: string): boolean {
    return this.#byId.has(keyId);
  }

  encrypt(plaintext: string): string {
    const { id, key } = this.active;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(id));
    const body = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${ENCRYPTED_PREFIX}${id}:${iv.toString('base64url')}:${body.toString('base64url')}`;
  }

  /** Throws KeyRingError for an unknown key id or a value that does not authenticate. */
  decrypt(value: string): string {
    const [, id, ivText, bodyText] = value.split(':');
    const k = id === undefined ? undefined : this.#byId.get(id);
    if (!k || ivText === undefined || bodyText === undefined)
      throw new KeyRingError(
        `a value is encrypted with key id "${id}", which DATA_ENCRYPTION_KEYS does not hold`,
      );
    const body = Buffer.from(bodyText, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', k.key, Buffer.from(ivText, 'base64url'));
      decipher.setAAD(Buffer.from(k.id));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - 16)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new KeyRingError(
        `key "${k.id}" does not decrypt a value encrypted under that id: wrong key?`,
      );
    }
  }

  /** Keyed hash for equality lookups (e.g. users by email) without storing the value. */
  index(value: string): string {
    return createHmac('sha256', this.#indexKey).update(value).digest('base64url');
  }

  /** The key id a stored value is encrypted under, or null for plaintext. */
  static keyIdOf(value: unknown): string | null {
    if (typeof value !== 'string' || !value.startsWith(ENCRYPTED_PREFIX)) return null;
    return value.split(':')[1] ?? null;
  }
}

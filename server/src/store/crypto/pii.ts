import { emailKey, type SyncedEntity } from '@outpost/shared';
import { ENCRYPTED_PREFIX, type KeyRing } from './key-ring.js';

type Data = Readonly<Record<string, unknown>>;

/** The keyed-hash field stored beside an encrypted email, for lookups by email. */
export const EMAIL_INDEX_FIELD = 'emailIndex';

/**
 * What the stored email index is a hash of. 2: the email's `emailKey` (trimmed, lower case),
 * so lookups by email ignore case; 1 (stores that record none): the email as written. A store
 * whose index is older is re-indexed when it opens (`EncryptedStore.open`).
 */
export const EMAIL_INDEX_VERSION = 2;

/** The index value of an email: a keyed hash of its `emailKey`. */
export function emailIndex(ring: KeyRing, email: string): string {
  return ring.index(emailKey(email));
}

/**
 * Which fields of a stored record are personal data, encrypted at rest: a user's email and
 * name, and the field changes of activities about a user (they carry old and new emails and
 * names, including conflict losers). Everything else stays queryable in the clear.
 */
export function personalFields(entity: SyncedEntity, data: Data): readonly string[] {
  if (entity === 'user') return ['email', 'name'];
  if (entity === 'activity' && data['entity'] === 'user') return ['changes'];
  return [];
}

export function hasPersonalFields(entity: SyncedEntity): boolean {
  return entity === 'user' || entity === 'activity';
}

/** The record as stored: personal fields encrypted under the active key, plus the email index. */
export function sealRecord(ring: KeyRing, entity: SyncedEntity, data: Data): Data {
  const fields = personalFields(entity, data);
  if (fields.length === 0) return data;
  const out: Record<string, unknown> = { ...data };
  for (const f of fields) {
    const v = out[f];
    if (v === undefined || isSealed(v)) continue;
    out[f] = ring.encrypt(JSON.stringify(v));
  }
  if (entity === 'user' && typeof data['email'] === 'string' && !isSealed(data['email']))
    out[EMAIL_INDEX_FIELD] = emailIndex(ring, data['email']);
  return out;
}

/** The record as clients see it: personal fields decrypted, the index dropped. */
export function openRecord(ring: KeyRing, entity: SyncedEntity, data: Data): Data {
  if (!hasPersonalFields(entity)) return data;
  let out: Record<string, unknown> | null = null;
  for (const [f, v] of Object.entries(data)) {
    if (!isSealed(v)) continue;
    out ??= { ...data };
    out[f] = JSON.parse(ring.decrypt(v)) as unknown;
  }
  if (EMAIL_INDEX_FIELD in data) {
    out ??= { ...data };
    delete out[EMAIL_INDEX_FIELD];
  }
  return out ?? data;
}

/** Re-encrypts a stored record under the active key (plaintext from before encryption included). */
export function resealRecord(ring: KeyRing, entity: SyncedEntity, data: Data): Data {
  return sealRecord(ring, entity, openRecord(ring, entity, data));
}

function isSealed(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(ENCRYPTED_PREFIX);
}

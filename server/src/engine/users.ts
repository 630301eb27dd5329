import {
  EMPTY_RECORD,
  applyWrite,
  userFieldsSchema,
  type EntityId,
  type HybridLogicalClock,
  type UserFields,
} from '@outpost/shared';
import { AppError } from '../errors.js';
import { serverEntityId } from './ids.js';
import type { StoredRow } from '../store/types.js';
import { recordState } from './rows.js';
import type { Identity } from './types.js';
import type { TxWriter } from './writer.js';

/** The profile fields a verified identity asserts; an unusable one cannot sign in. */
export function identityProfile(identity: Identity): UserFields {
  const parsed = userFieldsSchema.safeParse({
    email: identity.email,
    name: identity.name,
    role: identity.role,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError(
      'UNAUTHENTICATED',
      `The identity's profile is invalid: ${problems.join('; ')}`,
      { reason: 'identity-profile-invalid' },
    );
  }
  return parsed.data;
}

export function profileMatches(row: StoredRow, profile: UserFields): boolean {
  return (
    row.data['email'] === profile.email &&
    row.data['name'] === profile.name &&
    row.data['role'] === profile.role
  );
}

/**
 * Creates the user row (first sign-in) or refreshes its profile, stamped by the server's
 * clock after folding in the row's clocks — so the identity provider's latest word always
 * wins, whichever instance wrote the row before.
 */
export async function writeUser(
  w: TxWriter,
  clock: HybridLogicalClock,
  row: StoredRow | null,
  profile: UserFields,
  externalId: string,
): Promise<Record<string, unknown>> {
  if (row) for (const c of Object.values(row.clocks)) clock.receive(c);
  const id = row?.id ?? serverEntityId();
  const before = row ? recordState(row) : EMPTY_RECORD;
  const result = applyWrite(before, {
    fields: row ? profile : { ...profile, externalId },
    hlc: clock.now(),
  });
  const written = await w.recordWrite(
    { actorId: id as EntityId, requestId: null, clientId: null, mutationId: null },
    'user',
    id,
    row,
    result,
    row ? 'profile refreshed from the identity provider' : 'first sign-in',
  );
  if (!written) return { ...row!.data };
  return written;
}

import { emailKey, type OrgId } from '@outpost/shared';
import { AppError } from '../errors.js';
import type { StoreReader } from '../store/types.js';
import type { Actor, RestOp, Row } from './types.js';
import { isInvitation, usersWithEmail } from './users.js';

/**
 * Rules for REST writes to user rows (member management), on top of the permission table:
 * - with `provider` roles (Clerk mode) the role is Clerk's: a REST write may not change it;
 * - nobody removes themselves or changes their own role (an org must keep its admin).
 * `current` is the row as it is now (null for a create).
 */
export function checkMemberEdit(
  actor: Actor,
  op: RestOp,
  current: Row | null,
  roleSource: 'provider' | 'local',
): void {
  if (op.kind === 'delete') {
    if (op.entityId === actor.user.id) {
      throw new AppError(
        'CONFLICT',
        'You cannot remove yourself from the organization: ask another admin',
      );
    }
    return;
  }
  const role = op.fields['role'];
  if (role === undefined) return;
  const changes =
    op.kind === 'create'
      ? role !== 'member'
      : current !== null && 'role' in current && current.role !== role;
  if (!changes) return;
  if (roleSource === 'provider') {
    throw new AppError(
      'ROLE_MANAGED_BY_PROVIDER',
      'Roles come from Clerk in this deployment: change the role in Clerk (dashboard or organization settings); it reaches Outpost through the session token and the webhook',
      { reason: 'role-managed-by-clerk' },
    );
  }
  if (op.kind === 'update' && op.entityId === actor.user.id) {
    throw new AppError('CONFLICT', 'You cannot change your own role: ask another admin');
  }
}

/**
 * A REST write may not give a user an email that another live user of the org has (compared
 * as `emailKey` does: case and surrounding spaces aside). Sign-in finds its person's
 * invitation by email, so a second user with one could never be linked. Runs inside the
 * write's transaction: of two invitations at once, the second sees the first.
 */
export async function checkEmailFree(
  reader: StoreReader,
  orgId: OrgId,
  userId: string,
  fields: Readonly<Record<string, unknown>>,
  /** The user's stored email (an update): keeping it, in any case, is not a change. */
  current?: unknown,
): Promise<void> {
  const email = fields['email'];
  if (typeof email !== 'string') return;
  // The identity provider cannot be refused, so another member may hold it too already.
  if (typeof current === 'string' && emailKey(current) === emailKey(email)) return;
  const other = (await usersWithEmail(reader, orgId, email)).find((r) => r.id !== userId);
  if (!other) return;
  const who = isInvitation(other) ? 'an invitation' : 'a member';
  throw new AppError(
    'CONFLICT',
    `${email} is already the email of ${who} of this organization (user ${other.id}): each person has one user, found by email when they sign in`,
  );
}

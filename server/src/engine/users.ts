import {
  EMPTY_RECORD,
  INVITED_PREFIX,
  applyWrite,
  identityName,
  userFieldsSchema,
  type EntityId,
  type HybridLogicalClock,
  type Role,
  type UserFields,
} from '@outpost/shared';
import { AppError } from '../errors.js';
import { DEV_SUBJECT_PREFIX } from '../auth/types.js';
import { serverEntityId } from './ids.js';
import type { StoreReader, StoredRow } from '../store/types.js';
import { deleteRow } from './delete.js';
import { recordState } from './rows.js';
import type { Identity } from './types.js';
import type { Attribution, TxWriter } from './writer.js';

/**
 * The profile fields a verified identity asserts. Its name is made to follow the text rules
 * (`identityName`), never refused; an email or role that is not usable cannot sign in.
 */
export function identityProfile(identity: Identity): UserFields {
  const parsed = userFieldsSchema.safeParse({
    email: identity.email,
    name: identityName(identity.name, identity.email.split('@')[0] ?? ''),
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

/**
 * The value a user row gets for `field` from an identity: what the row holds when the identity
 * did not assert it (`Identity.unasserted`: a stand-in), else the identity's `value`.
 */
export function keptProfileField(
  identity: Identity,
  field: 'email' | 'name',
  row: StoredRow | null,
  value: string,
): string {
  const stored = row?.data[field];
  return identity.unasserted?.includes(field) === true && typeof stored === 'string'
    ? stored
    : value;
}

export function profileMatches(row: StoredRow, profile: UserFields): boolean {
  return (
    row.data['email'] === profile.email &&
    row.data['name'] === profile.name &&
    row.data['role'] === profile.role
  );
}

export type MemberLookup =
  | { kind: 'live'; row: StoredRow }
  | { kind: 'removed'; row: StoredRow; held: StoredRow | null }
  | { kind: 'purged'; held: StoredRow | null }
  | { kind: 'invited'; row: StoredRow; removed: StoredRow | null }
  | { kind: 'held'; row: StoredRow }
  | { kind: 'new' };

/**
 * Who an identity is in its org: its live row; else a REST invitation for the same email
 * (linked on first sign-in) — for someone removed, only one made after the removal, which is
 * how an admin adds them back (`removed`: their row, which the sign-in revives); else a deleted
 * row (removed: never silently re-created; with the live member who now has its email under
 * another identity, if any); else a purged one (`purged`: removed all the same, with no row left
 * to revive); else the live member who has its email under another identity (held: the org
 * holds each email once, so never a second member); else new.
 */
export async function lookupMember(
  reader: StoreReader,
  orgId: Identity['orgId'],
  externalId: string,
  email: string,
): Promise<MemberLookup> {
  const byId = { orgId, entity: 'user' as const, filter: { externalId }, afterId: null, limit: 1 };
  const [live] = await reader.listRows(byId);
  if (live) return { kind: 'live', row: live };
  const [gone] = await reader.listRows({ ...byId, includeDeleted: true });
  const withEmail = await usersWithEmail(reader, orgId, email);
  const invited = withEmail.find(isInvitation);
  if (invited && (!gone || madeAfter(invited, gone)))
    return { kind: 'invited', row: invited, removed: gone ?? null };
  const held =
    withEmail.find((r) => !isInvitation(r) && r.data['externalId'] !== externalId) ?? null;
  if (gone) return { kind: 'removed', row: gone, held };
  // Removed so long ago that their row's tombstone was purged: still removed.
  if (await reader.purgedMember(orgId, externalId)) return { kind: 'purged', held };
  return held ? { kind: 'held', row: held } : { kind: 'new' };
}

/**
 * Whether a first sign-in may take over `holder`, the member who has its email under another
 * identity: only when the provider verified the email it asserts and the member has no
 * provider id yet (made by a dev sign-in, before the install moved to Clerk). A member with a
 * provider id of their own is someone else's account: the email alone never hands it over.
 */
export function mayTakeOver(identity: Identity, holder: StoredRow): boolean {
  return (
    identity.emailVerified === true &&
    identity.unasserted?.includes('email') !== true &&
    String(holder.data['externalId']).startsWith(DEV_SUBJECT_PREFIX)
  );
}

/** The refusal of a first sign-in whose email a member with another identity has. */
export function emailInUse(orgId: string, identity: Identity, holder: StoredRow): AppError {
  const devMember = String(holder.data['externalId']).startsWith(DEV_SUBJECT_PREFIX);
  const how =
    devMember && identity.emailVerified !== true
      ? 'that member has no identity-provider id yet and takes yours once your session token says the email is verified (email_verified: true), or'
      : 'sign in with the account that member signed in with, or';
  return new AppError(
    'EMAIL_IN_USE',
    `Another member of the organization ${orgId} already has the email ${identity.email} under another sign-in: ${how} ask one of its admins to remove that member so you can be added`,
    { reason: 'email-in-use', orgId },
  );
}

/** Whether `invitation` was created after `removed` was deleted (its last update). */
function madeAfter(invitation: StoredRow, removed: StoredRow): boolean {
  return (
    Date.parse(String(invitation.data['createdAt'])) >=
    Date.parse(String(removed.data['updatedAt']))
  );
}

/** An invitation (a REST-created user nobody has signed in as yet). */
export function isInvitation(row: StoredRow): boolean {
  return String(row.data['externalId']).startsWith(INVITED_PREFIX);
}

/**
 * The org's live users with this email, compared as `emailKey` does (the store's email index).
 * More than one only in data written before REST refused a second (`checkEmailFree`).
 */
export function usersWithEmail(
  reader: StoreReader,
  orgId: Identity['orgId'],
  email: string,
): Promise<StoredRow[]> {
  return reader.listRows({ orgId, entity: 'user', filter: { email }, afterId: null, limit: 20 });
}

export function memberRemoved(orgId: string): AppError {
  return new AppError(
    'MEMBER_REMOVED',
    `You were removed from the organization ${orgId}: ask one of its admins to add you again`,
    { reason: 'member-removed', orgId },
  );
}

/** The role a sign-in writes: the provider's (clerk mode) or the stored one (dev mode). */
export function roleFor(
  row: StoredRow | null,
  asserted: Role,
  roleFrom: 'identity' | 'stored',
): Role {
  if (roleFrom === 'stored' && row) return row.data['role'] as Role;
  return asserted;
}

/**
 * Creates a user row or writes some of its fields, stamped by the server's clock after
 * folding in the row's clocks — so the identity provider's latest word always wins, whichever
 * instance wrote the row before. Audited with `reason`.
 */
export async function writeUser(
  w: TxWriter,
  clock: HybridLogicalClock,
  row: StoredRow | null,
  fields: Partial<UserFields> & { externalId?: string },
  reason: string,
  who?: Attribution,
): Promise<Record<string, unknown>> {
  if (row) for (const c of Object.values(row.clocks)) clock.receive(c);
  const id = row?.id ?? serverEntityId();
  const by = who ?? { actorId: id as EntityId, requestId: null, clientId: null, mutationId: null };
  const before = row ? recordState(row) : EMPTY_RECORD;
  const result = applyWrite(before, { fields, hlc: clock.now() });
  const written = await w.recordWrite(by, 'user', id, row, result, reason);
  if (fields.email !== undefined) await takeUpInvitations(w, clock, by, id, fields.email);
  if (!written) return { ...row!.data };
  return written;
}

/**
 * Brings a removed member's row back live: the same id, so every device they had keeps
 * working with the user id it holds, and their history, tasks and projects stay theirs (as a
 * deactivated member is reactivated). `fields` are written at the server's clock and the
 * tombstone is cleared; the pending invitations for the email (the one that added them back)
 * are taken up as `writeUser` does, in the same transaction. Audited as a `create` with
 * `reason`.
 *
 * Only user rows come back: clients never write them (no user mutation exists) and every
 * replica takes a user change as the row's full state — put when live, dropped when
 * deleted — so a live state after a tombstone replaces it everywhere. Tasks and projects keep
 * "delete wins" (`applyDelete`).
 */
export async function reviveMember(
  w: TxWriter,
  clock: HybridLogicalClock,
  removed: StoredRow,
  fields: UserFields & { externalId: string },
  reason: string,
  who?: Attribution,
): Promise<Record<string, unknown>> {
  for (const c of Object.values(removed.clocks)) clock.receive(c);
  const by = who ?? {
    actorId: removed.id as EntityId,
    requestId: null,
    clientId: null,
    mutationId: null,
  };
  const hlc = clock.now();
  const before = recordState(removed);
  const clocks = { ...before.clocks };
  for (const field of Object.keys(fields)) clocks[field] = hlc;
  const result = {
    state: { fields: { ...before.fields, ...fields }, clocks, deleted: null },
    changed: ['deleted', ...Object.keys(fields)],
    conflicts: [],
  };
  const written = await w.recordWrite(by, 'user', removed.id, removed, result, reason);
  await takeUpInvitations(w, clock, by, removed.id, fields.email);
  return written ?? { ...removed.data };
}

const MOVE_PAGE = 500;

/**
 * An email the identity provider gives a member takes up the org's pending invitations for it
 * (compared as `emailKey` does): the org holds each email once, and the provider cannot be
 * refused as a REST edit is (409). The invitation was for this person, so the member keeps
 * their row and role and gets what was given to the invitation (tasks assigned, projects
 * owned); the invitation is deleted, its reason naming the member, so whoever invited sees in
 * Activity where it went, and Members no longer lists it.
 */
async function takeUpInvitations(
  w: TxWriter,
  clock: HybridLogicalClock,
  by: Attribution,
  memberId: string,
  email: string,
): Promise<void> {
  for (const invitation of await usersWithEmail(w.tx, w.orgId, email)) {
    if (invitation.id === memberId || !isInvitation(invitation)) continue;
    const why = `its invitation was taken up by the user ${memberId}, who now has its email`;
    await moveReferences(w, clock, by, 'task', 'assigneeId', invitation.id, memberId, why);
    await moveReferences(w, clock, by, 'project', 'ownerId', invitation.id, memberId, why);
    for (const c of Object.values(invitation.clocks)) clock.receive(c);
    await deleteRow(
      w,
      by,
      'user',
      invitation,
      clock.now(),
      `invitation taken up: the user ${memberId} now has this email (from the identity provider) and keeps their role`,
    );
  }
}

/**
 * A member removed (or an invitation revoked) leaves no task assigned to them: the tasks are
 * unassigned, in the removal's transaction, so every replica shows them as nobody's (the app
 * had nobody to name, and "Unassigned" did not find them) and anyone can take them up.
 */
export function unassignTasksOf(
  w: TxWriter,
  clock: HybridLogicalClock,
  by: Attribution,
  userId: string,
): Promise<void> {
  const why = `the user ${userId} was removed from the organization`;
  return moveReferences(w, clock, by, 'task', 'assigneeId', userId, null, why);
}

/** Points every live row's `field` that names `from` at `to` instead, at the server's clock. */
async function moveReferences(
  w: TxWriter,
  clock: HybridLogicalClock,
  by: Attribution,
  entity: 'task' | 'project',
  field: 'assigneeId' | 'ownerId',
  from: string,
  to: string | null,
  reason: string,
): Promise<void> {
  for (;;) {
    // Each moved row drops out of the filter, so always read the first page.
    const rows = await w.tx.listRows({
      orgId: w.orgId,
      entity,
      filter: { [field]: from },
      afterId: null,
      limit: MOVE_PAGE,
    });
    let moved = 0;
    for (const row of rows) {
      for (const c of Object.values(row.clocks)) clock.receive(c);
      const base = { [field]: row.clocks[field] ?? null };
      const result = applyWrite(recordState(row), {
        fields: { [field]: to },
        hlc: clock.now(),
        base,
      });
      await w.recordWrite(by, entity, row.id, row, result, reason);
      if (result.changed.length > 0) moved++;
    }
    if (rows.length < MOVE_PAGE || moved === 0) return;
  }
}

import { z } from 'zod';
import { orgIdSchema, unreachable, type OrgId } from '@outpost/shared';
import type { SyncEngine, SystemCause } from '../../engine/types.js';
import { mapRole } from '../session-token.js';
import { displayName, verifiedPrimaryEmail, type ClerkEvent } from './events.js';

const emailSchema = z.email().max(320);
const ORG_PAGE = 200;

/**
 * Applies one verified Clerk event through the engine (so every row write is merged, logged
 * and audited like any other) and says what it did. Idempotent: applying it twice changes
 * nothing the second time — replays are also stopped earlier by their svix-id.
 */
export async function applyClerkEvent(
  engine: SyncEngine,
  event: ClerkEvent,
  cause: SystemCause,
): Promise<string> {
  switch (event.type) {
    case 'user.created':
    case 'user.updated': {
      const email = verifiedPrimaryEmail(event.data);
      const name = displayName(event.data) ?? event.data.username ?? undefined;
      const profile = {
        ...(email ? { email } : {}),
        ...(name ? { name } : {}),
      };
      const n = await engine.syncProfile(event.data.id, profile, cause);
      return `profile of ${event.data.id} written in ${n} org(s)`;
    }
    case 'user.deleted': {
      const orgs = await engine.orgsOf(event.data.id);
      let removed = 0;
      for (const orgId of orgs)
        if (await engine.removeMember(orgId, event.data.id, cause)) removed++;
      return `user ${event.data.id} deleted: removed from ${removed} org(s)`;
    }
    case 'organization.created':
    case 'organization.updated':
      // Outpost keeps no org record: members arrive with their memberships.
      return `organization ${event.data.id} noted (no org record is kept)`;
    case 'organization.deleted': {
      const orgId = orgIdSchema.parse(event.data.id);
      const removed = await removeEveryone(engine, orgId, cause);
      return `organization ${orgId} deleted: ${removed} member(s) removed`;
    }
    case 'organizationMembership.created':
    case 'organizationMembership.updated': {
      const m = event.data;
      const orgId = orgIdSchema.parse(m.organization.id);
      const identifier = emailSchema.safeParse(m.public_user_data.identifier);
      const named = displayName(m.public_user_data);
      // A phone or username sign-in, or no name: stand-ins for a new member only.
      const unasserted = [
        ...(identifier.success ? [] : ['email' as const]),
        ...(named === null ? ['name' as const] : []),
      ];
      const { user, heldBy, stillRemoved } = await engine.syncMember(
        {
          externalId: m.public_user_data.user_id,
          orgId,
          role: mapRole(m.role),
          ...(unasserted.length > 0 ? { unasserted } : {}),
          email: identifier.success
            ? identifier.data
            : `${m.public_user_data.user_id.replace(/[^A-Za-z0-9._-]/g, '_')}@users.invalid`,
          name: named ?? m.public_user_data.identifier ?? m.public_user_data.user_id,
        },
        cause,
        {
          readd: event.type === 'organizationMembership.created',
          eventAt: event.timestamp ?? null,
        },
      );
      if (user) return `member ${m.public_user_data.user_id} in ${orgId} is ${user.role}`;
      if (stillRemoved && heldBy)
        return `member ${m.public_user_data.user_id} in ${orgId} not added again: the member ${heldBy} now has their email under another sign-in (one email, one member), so they stay removed`;
      return heldBy
        ? `member ${m.public_user_data.user_id} in ${orgId} not added: the member ${heldBy} has their email under another sign-in (their sign-in links them if safe, else is refused EMAIL_IN_USE)`
        : `member ${m.public_user_data.user_id} in ${orgId} stays removed (a later removal wins)`;
    }
    case 'organizationMembership.deleted': {
      const m = event.data;
      const orgId = orgIdSchema.parse(m.organization.id);
      const removed = await engine.removeMember(orgId, m.public_user_data.user_id, cause);
      return removed
        ? `member ${m.public_user_data.user_id} removed from ${orgId}`
        : `member ${m.public_user_data.user_id} was not in ${orgId}`;
    }
    default:
      return unreachable(event);
  }
}

/** Removes every member of an org (it was deleted in Clerk). */
async function removeEveryone(
  engine: SyncEngine,
  orgId: OrgId,
  cause: SystemCause,
): Promise<number> {
  let removed = 0;
  for (;;) {
    // Removed members drop out of the list: always read the first page.
    const page = await engine.list(orgId, { entity: 'user', filter: {}, limit: ORG_PAGE });
    let progressed = false;
    for (const row of page.items) {
      if (!('externalId' in row)) continue;
      if (await engine.removeMember(orgId, row.externalId, cause)) {
        removed++;
        progressed = true;
      }
    }
    if (page.items.length < ORG_PAGE || !progressed) return removed;
  }
}

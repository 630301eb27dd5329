import { isPersonalOrg } from '@outpost/shared';

/**
 * The org a Clerk session token speaks for, read from its payload (not verified: the server
 * does that). `null` = no active org (the personal workspace); undefined = not a JWT.
 */
export function tokenOrgId(token: string): string | null | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { o?: { id?: unknown }; org_id?: unknown };
    const org = claims.o?.id ?? claims.org_id;
    return typeof org === 'string' ? org : null;
  } catch {
    return undefined;
  }
}

/** True when `token` may act for `orgId` (personal orgs are tokens without an org). */
export function tokenMatchesOrg(token: string, orgId: string): boolean {
  const org = tokenOrgId(token);
  if (org === undefined) return false;
  return org === null ? isPersonalOrg(orgId) : org === orgId;
}

/** An org as the switcher and the sign-in screen name it: its id, or "Personal workspace". */
export function orgLabel(orgId: string): string {
  return isPersonalOrg(orgId) ? 'Personal workspace' : orgId;
}

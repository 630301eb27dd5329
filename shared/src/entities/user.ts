import { z } from '../schema.js';
import { rowMetaShape } from './common.js';
import { oneLineText, toOneLineText } from './text.js';

export const roleSchema = z.enum(['admin', 'manager', 'member']);
export type Role = z.infer<typeof roleSchema>;

/** A Clerk organization role (`org:admin`, a custom `org:…`) as ours: unknown ones are members. */
export function roleFromProvider(role: string | undefined): Role {
  switch (role) {
    case 'admin':
    case 'org:admin':
      return 'admin';
    case 'manager':
    case 'org:manager':
      return 'manager';
    default:
      return 'member';
  }
}

/**
 * What an email is compared by: trimmed and in lower case. Sign-in links a REST invitation to
 * its person by it, and an org's live users hold each at most once (a second would never link).
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Longest name and email (UTF-16 units, as `String.length`). */
export const USER_NAME_MAX = 200;
export const USER_EMAIL_MAX = 320;

/** The profile as rows hold it: without the text rules newer than some stored rows (text.ts). */
const userProfileShape = {
  email: z.email().check(z.maxLength(USER_EMAIL_MAX)),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(USER_NAME_MAX)),
  role: roleSchema,
};

/** The fields an admin may write through REST: the profile with the text rules. */
export const userFieldsSchema = z.strictObject({
  ...userProfileShape,
  name: /* @__PURE__ */ oneLineText(USER_NAME_MAX),
});
export type UserFields = z.infer<typeof userFieldsSchema>;

/**
 * The name a verified identity asserts (sign-in, the identity provider's webhooks), made to
 * follow the same rules as a name an admin types (`toOneLineText`) instead of being refused:
 * a bad display name never locks anyone out. Falls back to `fallback` (e.g. the email's local
 * part) when nothing is left.
 */
export function identityName(name: string, fallback: string): string {
  return toOneLineText(name, USER_NAME_MAX) || toOneLineText(fallback, USER_NAME_MAX) || 'Member';
}

export const userSchema = z.strictObject({
  ...rowMetaShape,
  ...userProfileShape,
  /** The identity provider's user id (Clerk `sub`). Foreign keys never use it. */
  externalId: z.string().check(z.minLength(1), z.maxLength(200)),
});
export type User = z.infer<typeof userSchema>;

/**
 * The `externalId` of a user an admin invited (a REST create): nobody has signed in as them yet.
 * Their first sign-in with that email links the row to their identity and replaces it.
 */
export const INVITED_PREFIX = 'invited:';

/** Whether `user` is an invitation nobody has accepted yet (see `INVITED_PREFIX`). */
export function isInvitation(user: Pick<User, 'externalId'>): boolean {
  return user.externalId.startsWith(INVITED_PREFIX);
}

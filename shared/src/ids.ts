import { z } from './schema.js';
import { isUuid, isUuidV7 } from './uuid.js';

/**
 * Identifiers are branded so an OrgId can never be passed where a ClientId is expected.
 * Each brand has exactly one schema (the parse function) that creates it.
 */
export const uuidSchema = z.string().check(z.refine(isUuid, { message: 'must be a UUID' }));

/** Ids of user-created entities are UUIDv7, generated on the client so they work offline. */
export const entityIdSchema = z
  .string()
  .check(z.refine(isUuidV7, { message: 'must be a UUIDv7' }))
  .brand<'EntityId'>();
export type EntityId = z.infer<typeof entityIdSchema>;

/**
 * The id of a row being created: a UUIDv7 in lower case, as `newEntityId` makes it. Ids
 * compare as text, so one UUID in upper case would be a second row with the same UUID; a create
 * is refused one (REST 400, push `validation`). Ids already stored read as they are.
 */
export function isNewRowId(s: string): boolean {
  return NEW_ROW_ID.test(s);
}
const NEW_ROW_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const NEW_ROW_ID_MESSAGE = 'must be a UUIDv7 in lower case, as generated';

/** A new row's id (REST create bodies): `isNewRowId`, a pattern so OpenAPI shows it. */
export const newRowIdSchema = /* @__PURE__ */ z
  .string()
  .check(z.regex(NEW_ROW_ID, { message: NEW_ROW_ID_MESSAGE }))
  .brand<'EntityId'>();

/**
 * A client id the server has not seen yet: a UUID in lower case, as `newClientId` makes it.
 * Client ids compare as text (the store keys a client's `lastMutationId` and owner by it), so
 * the same UUID in upper case would be a second client; the server refuses a new one (400), and
 * one already bound in another case keeps working as it was first sent.
 */
export function isNewClientId(s: string): boolean {
  return isUuid(s) && s === s.toLowerCase();
}
export const NEW_CLIENT_ID_MESSAGE = 'must be a UUID in lower case, as newClientId makes it';

export const clientIdSchema = z
  .string()
  .check(z.refine(isUuid, { message: 'must be a UUID' }))
  .brand<'ClientId'>();
export type ClientId = z.infer<typeof clientIdSchema>;

/** Longest org id. */
export const ORG_ID_MAX = 128;

/** Orgs come from the identity provider (Clerk org ids look like `org_…`), so any safe token. */
export const orgIdSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(ORG_ID_MAX),
    z.regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, _ and -'),
  )
  .brand<'OrgId'>();
export type OrgId = z.infer<typeof orgIdSchema>;

/** The org a user works in without one of their own choosing (an org of one): `personal_…`. */
export const PERSONAL_ORG_PREFIX = 'personal_';

export function isPersonalOrg(orgId: string): boolean {
  return orgId.startsWith(PERSONAL_ORG_PREFIX);
}

/** Per-client mutation ids start at 1 and increase by exactly 1. */
export const mutationIdSchema = z
  .number()
  .check(z.int(), z.gte(1), z.lte(Number.MAX_SAFE_INTEGER))
  .brand<'MutationId'>();
export type MutationId = z.infer<typeof mutationIdSchema>;

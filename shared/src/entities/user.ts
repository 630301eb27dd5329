import { z } from '../schema.js';
import { rowMetaShape } from './common.js';

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

export const userFieldsSchema = z.strictObject({
  email: z.email().check(z.maxLength(320)),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  role: roleSchema,
});
export type UserFields = z.infer<typeof userFieldsSchema>;

export const userSchema = z.strictObject({
  ...rowMetaShape,
  ...userFieldsSchema.shape,
  /** The identity provider's user id (Clerk `sub`). Foreign keys never use it. */
  externalId: z.string().check(z.minLength(1), z.maxLength(200)),
});
export type User = z.infer<typeof userSchema>;

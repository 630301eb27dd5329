import { z } from './schema.js';
import type { RowEntity } from './entities/common.js';
import type { Role } from './entities/user.js';

export const actionSchema = z.enum(['read', 'create', 'update', 'delete']);
export type Action = z.infer<typeof actionSchema>;

const ANY: readonly Role[] = ['admin', 'manager', 'member'];
const MANAGERS: readonly Role[] = ['admin', 'manager'];
const ADMINS: readonly Role[] = ['admin'];

/**
 * Who may do what: the one table sync push, REST and the UI consult, so a write refused on one
 * path is refused on the others and the UI never offers what the server will refuse. Reads are
 * open to every member of the org (tenancy is enforced separately: nothing crosses orgs).
 */
export const PERMISSIONS: Readonly<Record<RowEntity, Readonly<Record<Action, readonly Role[]>>>> = {
  project: { read: ANY, create: MANAGERS, update: MANAGERS, delete: MANAGERS },
  task: { read: ANY, create: ANY, update: ANY, delete: MANAGERS },
  user: { read: ANY, create: ADMINS, update: ADMINS, delete: ADMINS },
};

/**
 * Who reads the shared-resources library (external data) unless the server is configured
 * otherwise (`EXTERNAL_DATA_ROLES`); the server decides, the UI offers the library to these.
 */
export const EXTERNAL_DATA_READERS: readonly Role[] = MANAGERS;

export function can(role: Role, action: Action, entity: RowEntity): boolean {
  return PERMISSIONS[entity][action].includes(role);
}

/** Why `can` said no, in words a user of the API can act on. */
export function deniedMessage(role: Role, action: Action, entity: RowEntity): string {
  return `The ${role} role may not ${action} ${entity}s (allowed: ${PERMISSIONS[entity][action].join(', ')})`;
}

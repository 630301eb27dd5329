import type { Role } from '@outpost/shared';
import type { RestEntity } from './types.js';

export type Permission = 'read' | 'create' | 'update' | 'delete';

const ANY: readonly Role[] = ['admin', 'manager', 'member'];
const MANAGERS: readonly Role[] = ['admin', 'manager'];
const ADMINS: readonly Role[] = ['admin'];

/**
 * Who may do what: the one table both sync push and REST consult, so a write refused on one
 * path is refused on the other. Reads are open to every member of the org (tenancy is
 * enforced separately: nothing crosses orgs).
 */
export const PERMISSIONS: Readonly<
  Record<RestEntity, Readonly<Record<Permission, readonly Role[]>>>
> = {
  project: { read: ANY, create: MANAGERS, update: MANAGERS, delete: MANAGERS },
  task: { read: ANY, create: ANY, update: ANY, delete: MANAGERS },
  user: { read: ANY, create: ADMINS, update: ADMINS, delete: ADMINS },
};

export function can(role: Role, entity: RestEntity, permission: Permission): boolean {
  return PERMISSIONS[entity][permission].includes(role);
}

export function deniedMessage(role: Role, entity: RestEntity, permission: Permission): string {
  return `The ${role} role may not ${permission} ${entity}s (allowed: ${PERMISSIONS[entity][permission].join(', ')})`;
}

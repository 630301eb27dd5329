import { roleSchema, type Role } from '@outpost/shared';

/** A role as a person reads it in a list or a picker. */
export const ROLE_LABEL: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  member: 'Member',
};

/** The options of a role picker, in the shared schema's order. */
export function RoleOptions() {
  return roleSchema.options.map((r) => (
    <option key={r} value={r}>
      {ROLE_LABEL[r]}
    </option>
  ));
}

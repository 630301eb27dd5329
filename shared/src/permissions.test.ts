import { describe, expect, it } from 'vitest';
import { roleSchema } from './entities/user.js';
import { rowEntitySchema } from './entities/common.js';
import { PERMISSIONS, actionSchema, can, deniedMessage } from './permissions.js';

describe('can(role, action, entity)', () => {
  it('lets every member read everything', () => {
    for (const role of roleSchema.options)
      for (const entity of rowEntitySchema.options) expect(can(role, 'read', entity)).toBe(true);
  });

  it('lets members write tasks but only managers delete them (SPEC)', () => {
    expect(can('member', 'create', 'task')).toBe(true);
    expect(can('member', 'update', 'task')).toBe(true);
    expect(can('member', 'delete', 'task')).toBe(false);
    expect(can('manager', 'delete', 'task')).toBe(true);
    expect(can('admin', 'delete', 'task')).toBe(true);
  });

  it('keeps projects to managers and users to admins', () => {
    for (const action of ['create', 'update', 'delete'] as const) {
      expect(can('member', action, 'project')).toBe(false);
      expect(can('manager', action, 'project')).toBe(true);
      expect(can('manager', action, 'user')).toBe(false);
      expect(can('admin', action, 'user')).toBe(true);
    }
  });

  it('admins may do anything a manager may, managers anything a member may', () => {
    for (const entity of rowEntitySchema.options)
      for (const action of actionSchema.options) {
        if (can('member', action, entity)) expect(can('manager', action, entity)).toBe(true);
        if (can('manager', action, entity)) expect(can('admin', action, entity)).toBe(true);
      }
  });

  it('names the roles that are allowed when it refuses', () => {
    expect(deniedMessage('member', 'delete', 'task')).toBe(
      'The member role may not delete tasks (allowed: admin, manager)',
    );
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...rowEntitySchema.options].sort());
  });
});

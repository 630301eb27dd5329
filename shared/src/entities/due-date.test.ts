import { describe, expect, it } from 'vitest';
import { DUE_DATE_MESSAGE, dueDateSchema } from './common.js';
import { taskFieldsSchema, taskSchema } from './task.js';

describe('due dates', () => {
  it('are calendar dates that exist, in the years 1900–9999', () => {
    for (const ok of ['1900-01-01', '2000-02-29', '2024-02-29', '2026-12-31', '9999-12-31'])
      expect(dueDateSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['2023-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-1-1'])
      expect(dueDateSchema.safeParse(bad).success, bad).toBe(false);
    for (const early of ['0000-01-01', '0042-03-01', '1899-12-31']) {
      const parsed = dueDateSchema.safeParse(early);
      expect(parsed.success, early).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe(DUE_DATE_MESSAGE);
    }
  });

  it('apply to what a person writes; a row stored with an earlier year still reads', () => {
    const row = {
      id: '01a233e7-e1d4-7258-a5b5-bb2f67c46547',
      orgId: 'org_1',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      version: 3,
      projectId: '01a233e7-e1d4-7258-a5b5-bb2f67c46548',
      title: 'Old',
      notes: '',
      status: 'todo',
      assigneeId: null,
      dueDate: '0042-03-01',
    } as const;
    expect(taskSchema.safeParse(row).success).toBe(true);
    const { projectId, title, notes, status, assigneeId, dueDate } = row;
    const fields = { projectId, title, notes, status, assigneeId, dueDate };
    expect(taskFieldsSchema.safeParse(fields).success).toBe(false);
    expect(taskFieldsSchema.safeParse({ ...fields, dueDate: null }).success).toBe(true);
  });
});

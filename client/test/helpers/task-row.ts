import { v7 as uuidv7 } from 'uuid';

/** A task row as the mirror stores it (a new id each call), with the given fields over it. */
export function taskRow(over: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  return {
    id: uuidv7(),
    orgId: 'org',
    createdAt: now,
    updatedAt: now,
    version: 1,
    projectId: uuidv7(),
    title: 'A task',
    notes: '',
    status: 'todo',
    assigneeId: null,
    dueDate: null,
    ...over,
  };
}

import { describe, expect, it } from 'vitest';
import { REMOVED_REFUSAL, refuseWritesWhenRemoved } from './removed';

type LastError = { name: string; message: string; code: string | null; at: number } | null;

function fakeClient() {
  let lastError: LastError = null;
  const listeners = new Set<() => void>();
  const written: string[] = [];
  const write = (name: string) => async () => {
    written.push(name);
    return 'id';
  };
  const client = {
    status: {
      getSnapshot: () => ({ lastError }) as never,
      subscribe: (fn: () => void) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    },
    createProject: write('createProject'),
    updateProject: write('updateProject'),
    deleteProject: write('deleteProject'),
    createTask: write('createTask'),
    createTasks: write('createTasks'),
    updateTask: write('updateTask'),
    updateTasks: write('updateTasks'),
    deleteTask: write('deleteTask'),
    syncNow: () => undefined,
  };
  const fail = (e: LastError) => {
    lastError = e;
    for (const fn of listeners) fn();
  };
  return { client, written, fail };
}

const error = (name: string, code: string | null): LastError => ({
  name,
  message: '',
  code,
  at: 0,
});

describe('a removed member’s writes', () => {
  it('are refused, saying why, from the server’s MEMBER_REMOVED until a sync succeeds', async () => {
    const { client, written, fail } = fakeClient();
    const told: string[] = [];
    const guarded = refuseWritesWhenRemoved(client as never, (m) => told.push(m)) as typeof client;
    await guarded.createTask();
    expect(written).toEqual(['createTask']);

    fail(error('HttpError', 'MEMBER_REMOVED'));
    await expect(guarded.createTask()).rejects.toMatchObject({ name: 'RemovedError' });
    await expect(guarded.updateTasks()).rejects.toMatchObject({ message: REMOVED_REFUSAL });
    // Offline meanwhile, access is still gone.
    fail(error('NetworkError', null));
    await expect(guarded.deleteTask()).rejects.toMatchObject({ name: 'RemovedError' });
    expect(written).toEqual(['createTask']);
    expect(told).toEqual([REMOVED_REFUSAL, REMOVED_REFUSAL, REMOVED_REFUSAL]);

    // Added back: the next sync succeeds and writes go through again.
    fail(null);
    await guarded.updateTask();
    expect(written).toEqual(['createTask', 'updateTask']);
  });
});

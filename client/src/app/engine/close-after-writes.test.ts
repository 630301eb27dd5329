import { describe, expect, it } from 'vitest';
import { closeAfterWrites } from './close-after-writes';
import type { Writes } from './removed';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function fakeClient(pending: { resolve(): void }[]) {
  const write = () => () => {
    const d = deferred();
    pending.push(d);
    return d.promise.then(() => 'id');
  };
  return {
    createProject: write(),
    updateProject: write(),
    deleteProject: write(),
    createTask: write(),
    createTasks: write(),
    updateTask: write(),
    updateTasks: write(),
    deleteTask: write(),
  };
}

describe('closing the engine with a write in flight', () => {
  it('closes the database once the writes started before (and while waiting) are written', async () => {
    const pending: { resolve(): void }[] = [];
    let closed = false;
    const { client, close } = closeAfterWrites(
      fakeClient(pending) as unknown as Writes,
      () => (closed = true),
    );
    const typed = client.updateTask('t1', { notes: 'typed' });
    // As React unmounts a workspace: told to close, then a field saves what it held.
    const closing = close();
    const title = client.updateTask('t1', { title: 'renamed' });
    await Promise.resolve();
    expect(closed).toBe(false);
    pending[0]!.resolve();
    await typed;
    await Promise.resolve();
    expect(closed).toBe(false);
    pending[1]!.resolve();
    await title;
    await closing;
    expect(closed).toBe(true);
  });

  it('closes at once with nothing in flight, a refused write included', async () => {
    const pending: { resolve(): void }[] = [];
    let closed = false;
    const failing = {
      ...fakeClient(pending),
      deleteTask: () => Promise.reject(new Error('refused')),
    };
    const { client, close } = closeAfterWrites(failing as unknown as Writes, () => (closed = true));
    await expect(client.deleteTask('t1')).rejects.toThrow('refused');
    await close();
    expect(closed).toBe(true);
  });
});

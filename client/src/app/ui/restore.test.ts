import { afterEach, describe, expect, it, vi } from 'vitest';
import { restoreOrSay } from './restore';
import { toasts } from './toasts';

const lost = { entity: 'task', entityId: 't1', field: 'title', mine: 'Launch' };

describe('restoreOrSay ("Use mine", the notice’s and the sync inspector’s)', () => {
  afterEach(() => {
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
  });

  it('writes the lost value again and says it did', async () => {
    const client = { updateTask: vi.fn(async () => true), updateProject: vi.fn() };
    expect(await restoreOrSay(client, lost, { row: 'Launch v2', value: '“Launch”' })).toBe(true);
    expect(client.updateTask).toHaveBeenCalledWith('t1', { title: 'Launch' });
    expect(toasts.getSnapshot().map((t) => t.message)).toEqual([
      'Restored: the title of task “Launch v2” is back to “Launch”.',
    ]);
  });

  it('writes nothing where the field holds it already, and says so', async () => {
    const client = { updateTask: vi.fn(async () => false), updateProject: vi.fn() };
    expect(await restoreOrSay(client, lost, { row: null, value: '“Launch”' })).toBe(false);
    expect(toasts.getSnapshot().map((t) => t.message)).toEqual([
      'Nothing changed: the title of this task is already “Launch”.',
    ]);
  });
});

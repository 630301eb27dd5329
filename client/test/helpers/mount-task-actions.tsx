import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { Task } from '@outpost/shared';
import { OutpostDb, type SyncClient } from '@outpost/sync';
import { PendingDeletesProvider } from '../../src/data/pending-context';
import { EngineContext, type Engine } from '../../src/app/engine/context';
import { toasts } from '../../src/app/ui/toasts';
import { useTaskActions } from '../../src/app/screens/tasks/task-actions';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/**
 * The task actions as a screen holds them, over a replica holding `rows` and a stubbed client
 * (`updateTask` resolves true, `updateTasks` the ids it is given unless told otherwise). A
 * test file calls `cleanUpTaskActions()` once, at its top.
 */
export async function mountTaskActions(rows: Task[]) {
  const db = new OutpostDb(`task-actions-${uuidv7()}`);
  await db.open();
  await db.tasks.bulkPut(rows as never);
  cleanup.push(() => db.delete());
  const client = {
    replica: { userId: 'me', db },
    updateTask: vi.fn(async (_id: string, _patch: object) => true),
    updateTasks: vi.fn(async (_edits: { id: string; patch: object }[]): Promise<string[]> => []),
    deleteTask: vi.fn(async (_id: string) => undefined),
  };
  const engine = {
    client,
    replica: client.replica,
    session: { user: { id: 'me' } },
    unsentBeforeEviction: [],
    keptUnsaved: [],
  } as unknown as Engine;
  let actions!: ReturnType<typeof useTaskActions>;
  function Probe() {
    actions = useTaskActions();
    return null;
  }
  const root = createRoot(document.createElement('div'));
  act(() =>
    root.render(
      <EngineContext.Provider value={engine}>
        <PendingDeletesProvider client={client as unknown as SyncClient}>
          <Probe />
        </PendingDeletesProvider>
      </EngineContext.Provider>,
    ),
  );
  cleanup.push(() => act(() => root.unmount()));
  return { db, client, actions: () => actions };
}

const cleanup: (() => Promise<void> | void)[] = [];

/** Unmounts what `mountTaskActions` mounted, deletes its database and clears the toasts. */
export function cleanUpTaskActions(): void {
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
  });
}

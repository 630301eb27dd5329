// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { act, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncClient } from '@outpost/sync';
import { appDatabases } from '../../../../test/helpers/app-db';
import { statusStore } from '../../../../test/helpers/status-store';
import { taskRow } from '../../../../test/helpers/task-row';
import { EngineContext, type Engine } from '../../engine/context';
import { PendingDeletesProvider } from '../../../data/pending-context';
import { createUnsavedNotices, UnsavedNoticesProvider } from '../../shell/unsaved-notices';
import { TaskDetail } from './TaskDetail';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const appDb = appDatabases();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A write refused as the engine refuses one to a row it no longer has. */
const notFound = () => Object.assign(new Error('Task not found'), { name: 'NotFoundError' });

describe('TaskDetail: notes typed into a task deleted meanwhile', () => {
  it('are said in a notice, to copy, when the panel was closed before their save failed', async () => {
    const db = await appDb();
    const task = taskRow({ title: 'Fix login' });
    await db.tasks.put(task as never);
    // The task deleted elsewhere, not yet read here: its save fails a moment after it is asked.
    let fail!: () => void;
    const client = {
      status: statusStore({}),
      replica: { db, orgId: 'org', userId: 'me' },
      updateTask: vi.fn(
        () => new Promise<boolean>((_, reject) => (fail = () => reject(notFound()))),
      ),
    };
    const engine = {
      client,
      replica: client.replica,
      session: { user: { id: 'me', role: 'member', orgId: 'org' } },
      unsentBeforeEviction: [],
      keptUnsaved: [],
    } as unknown as Engine;
    const notices = createUnsavedNotices();
    let close!: () => void;
    function Panel() {
      const [open, setOpen] = useState(true);
      close = () => setOpen(false);
      return open ? (
        <TaskDetail
          taskId={task.id}
          where="Website"
          users={[]}
          canDelete={false}
          onClose={() => setOpen(false)}
          onDeleted={() => undefined}
        />
      ) : null;
    }
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    cleanup.push(() => host.remove());
    cleanup.push(() => act(() => root.unmount()));
    act(() =>
      root.render(
        <QueryClientProvider client={new QueryClient()}>
          <EngineContext.Provider value={engine}>
            <PendingDeletesProvider client={client as unknown as SyncClient}>
              <UnsavedNoticesProvider value={notices}>
                <Panel />
              </UnsavedNoticesProvider>
            </PendingDeletesProvider>
          </EngineContext.Provider>
        </QueryClientProvider>,
      ),
    );
    // The task is read from the database after the first render: wait for it inside act, so its
    // updates are applied there (outside act React warns of each).
    const notes = await act(() =>
      vi.waitFor(() => {
        const el = host.querySelector<HTMLTextAreaElement>('textarea[aria-label="Notes"]');
        if (!el) throw new Error('no Notes field yet');
        return el;
      }),
    );
    act(() => {
      const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
      set.call(notes, 'Call Ana about the SSO bug');
      notes.dispatchEvent(new Event('input', { bubbles: true }));
    });
    // Closed: the field saves what it holds as it goes; the save then fails.
    act(() => close());
    expect(client.updateTask).toHaveBeenCalledWith(
      task.id,
      { notes: 'Call Ana about the SSO bug' },
      { notes: '' },
    );
    await act(async () => fail());
    await vi.waitFor(() =>
      expect(notices.getSnapshot().map((n) => [n.message, n.texts])).toEqual([
        [
          '“Fix login” was deleted before what you typed into it was saved — copy it if you need it.',
          [{ label: 'Notes', text: 'Call Ana about the SSO bug' }],
        ],
      ]),
    );
  });
});

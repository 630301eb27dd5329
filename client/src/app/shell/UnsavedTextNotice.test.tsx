// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { appDatabases } from '../../../test/helpers/app-db';
import { taskRow } from '../../../test/helpers/task-row';
import { testRoot } from '../testing/test-root';
import { EngineContext, type Engine } from '../engine/context';
import type { KeptUnsaved } from '../engine/kept-edits';
import { KeptRefusedNotices } from './UnsavedTextNotice';

const appDb = appDatabases();
const t = testRoot();

describe('KeptRefusedNotices', () => {
  it('shows text a closed page kept whose write was refused while its task is still here, to copy; a deleted task’s panel says the other', async () => {
    const db = await appDb();
    const here = taskRow({ title: 'Fix login' });
    await db.tasks.put(here as never);
    const gone = taskRow({ title: 'Old task' });
    const keptUnsaved: KeptUnsaved[] = [
      { kind: 'task', of: here.id, field: 'notes', text: 'Call Ana about the SSO bug' },
      { kind: 'task', of: gone.id, field: 'notes', text: 'Said in its panel' },
    ];
    const replica = { db, orgId: 'org', userId: 'me' };
    const engine = {
      client: { replica },
      replica,
      session: { user: { id: 'me', orgId: 'org' } },
      unsentBeforeEviction: [],
      keptUnsaved,
    } as unknown as Engine;
    act(() =>
      t.root.render(
        <QueryClientProvider client={new QueryClient()}>
          <EngineContext.Provider value={engine}>
            <KeptRefusedNotices />
          </EngineContext.Provider>
        </QueryClientProvider>,
      ),
    );
    const notice = await vi.waitFor(() => {
      const el = t.host.querySelector<HTMLElement>('[data-kind="unsaved-text"]');
      if (!el) throw new Error('no notice yet');
      return el;
    });
    expect(notice.querySelector('p')?.textContent).toBe(
      'What you typed into “Fix login” as the page last closed could not be saved — copy it if you need it.',
    );
    expect([...t.host.querySelectorAll('textarea')].map((a) => a.value)).toEqual([
      'Call Ana about the SSO bug',
    ]);
    expect(notice.querySelector('label')?.firstChild?.textContent).toBe('Notes');
    // OK answers it.
    act(() => notice.querySelector<HTMLButtonElement>('button')!.click());
    expect(t.host.querySelector('[data-kind="unsaved-text"]')).toBeNull();
  });
});

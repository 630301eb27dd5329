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
import type { KeyValueStorage } from '@outpost/sync';
import { KeptRefusedNotices, UnsavedTextNotices } from './UnsavedTextNotice';
import { createUnsavedNotices, UnsavedNoticesProvider } from './unsaved-notices';

const appDb = appDatabases();
const t = testRoot();

/** localStorage as a page sees it, kept across the "reloads" of one test. */
function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

const shownNotice = () =>
  vi.waitFor(() => {
    const el = t.host.querySelector<HTMLElement>('[data-kind="unsaved-text"]');
    if (!el) throw new Error('no notice yet');
    return el;
  });

describe('KeptRefusedNotices', () => {
  it('shows text a closed page kept whose write was refused while its task is still here, to copy, until OK across a reload; a deleted task’s panel says the other', async () => {
    const db = await appDb();
    const here = taskRow({ title: 'Fix login' });
    await db.tasks.put(here as never);
    const gone = taskRow({ title: 'Old task' });
    const keptUnsaved: KeptUnsaved[] = [
      { kind: 'task', of: here.id, field: 'notes', text: 'Call Ana about the SSO bug' },
      { kind: 'task', of: gone.id, field: 'notes', text: 'Said in its panel' },
    ];
    const replica = { db, orgId: 'org', userId: 'me' };
    const engineOf = (kept: KeptUnsaved[]) =>
      ({
        client: { replica },
        replica,
        session: { user: { id: 'me', orgId: 'org' } },
        unsentBeforeEviction: [],
        keptUnsaved: kept,
      }) as unknown as Engine;
    const storage = memoryStorage();
    // The workspace: its notices made from what this page kept (as at each start).
    const workspace = (kept: KeptUnsaved[]) => (
      <QueryClientProvider client={new QueryClient()}>
        <EngineContext.Provider value={engineOf(kept)}>
          <UnsavedNoticesProvider
            value={createUnsavedNotices({ orgId: 'org', userId: 'me' }, storage)}
          >
            <KeptRefusedNotices />
            <UnsavedTextNotices />
          </UnsavedNoticesProvider>
        </EngineContext.Provider>
      </QueryClientProvider>
    );
    act(() => t.root.render(workspace(keptUnsaved)));
    const notice = await shownNotice();
    const message =
      'What you typed into “Fix login” as the page last closed could not be saved — copy it if you need it.';
    expect(notice.querySelector('p')?.textContent).toBe(message);
    expect([...t.host.querySelectorAll('textarea')].map((a) => a.value)).toEqual([
      'Call Ana about the SSO bug',
    ]);
    expect(notice.querySelector('label')?.firstChild?.textContent).toBe('Notes');
    // A reload before OK: that start has nothing kept to write (this one forgot it), and the
    // notice is back, its text with it — the only copy of it.
    act(() => t.root.render(<></>));
    act(() => t.root.render(workspace([])));
    const again = await shownNotice();
    expect(again.querySelector('p')?.textContent).toBe(message);
    expect([...t.host.querySelectorAll('textarea')].map((a) => a.value)).toEqual([
      'Call Ana about the SSO bug',
    ]);
    // OK answers it, for good: the next start does not show it again.
    act(() => again.querySelector<HTMLButtonElement>('button')!.click());
    expect(t.host.querySelector('[data-kind="unsaved-text"]')).toBeNull();
    act(() => t.root.render(<></>));
    act(() => t.root.render(workspace([])));
    expect(t.host.querySelector('[data-kind="unsaved-text"]')).toBeNull();
    expect(storage.map.size).toBe(0);
  });
});

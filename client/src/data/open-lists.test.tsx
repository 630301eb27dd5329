// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { SyncClient } from '@outpost/sync';
import { statusStore } from '../../test/helpers/status-store';
import { appDatabases } from '../../test/helpers/app-db';
import { taskRow } from '../../test/helpers/task-row';
import type { Engine } from '../app/engine/context';
import type { OpenTaskLists } from './open-lists';
import type * as ReadsModule from './reads';

type Reads = typeof ReadsModule;

vi.mock('./reads', async (original) => {
  const actual = await original<Reads>();
  return {
    ...actual,
    readTaskIds: vi.fn(actual.readTaskIds),
    readTaskCounts: vi.fn(actual.readTaskCounts),
  };
});
// The client's tests share their worker's modules (vitest.config.ts: `isolate: false`): a file
// run before this one may have loaded `id-lists.ts` with the real reads already, and the counts
// below would then see no call. Loaded afresh, what reads them gets the mock.
vi.resetModules();
const reads = await import('./reads');
const { OutpostDb } = await import('@outpost/sync');
const { EngineContext } = await import('../app/engine/context');
const { PendingDeletesProvider } = await import('./pending-context');
const { useOpenTaskLists } = await import('./open-lists');
type OutpostDb = InstanceType<typeof OutpostDb>;

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const openDb = appDatabases();

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  vi.mocked(reads.readTaskIds).mockClear();
  vi.mocked(reads.readTaskCounts).mockClear();
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A project of `doing` tasks In progress and `todo` To do, in creation order. */
async function project(db: OutpostDb, doing: number, todo: number) {
  const projectId = uuidv7();
  const rows = [
    ...Array.from({ length: doing }, () => taskRow({ projectId, status: 'doing' })),
    ...Array.from({ length: todo }, () => taskRow({ projectId, status: 'todo' })),
  ];
  await db.tasks.bulkPut(rows as never[]);
  const ids = (s: string) => rows.filter((r) => r.status === s).map((r) => r.id);
  return { projectId, doing: ids('doing'), todo: ids('todo') };
}

/** Mounts `useOpenTaskLists` over `db`; every render's answer is in `seen`. */
function mount(db: OutpostDb, projectId: string, opts: { now?: boolean } = {}) {
  const seen: OpenTaskLists[] = [];
  function Lists() {
    seen.push(useOpenTaskLists(projectId, { showCompleted: false, ...opts }));
    return null;
  }
  const client = {
    status: statusStore({ pending: 0 }),
    replica: { db, orgId: 'org_1', userId: 'user_1' },
    deleteTask: () => Promise.resolve(),
  } as unknown as SyncClient;
  const root = createRoot(document.createElement('div'));
  act(() =>
    root.render(
      <QueryClientProvider client={new QueryClient()}>
        <EngineContext.Provider value={{ client } as Engine}>
          <PendingDeletesProvider client={client}>
            <Lists />
          </PendingDeletesProvider>
        </EngineContext.Provider>
      </QueryClientProvider>,
    ),
  );
  const unmount = () => act(() => root.unmount());
  return { seen, unmount };
}

const until = async (ready: () => boolean) => {
  while (!ready()) await act(() => new Promise((r) => setTimeout(r, 5)));
};

describe('useOpenTaskLists', () => {
  it('renders the head of each section before it asks for the full id lists', async () => {
    const db = new OutpostDb(`open-lists-${uuidv7()}`);
    cleanup.push(() => db.delete());
    const p = await project(db, 3, 80);
    // Whether a render had the head's rows when each full id list was asked for.
    const headRendered: boolean[] = [];
    const { seen, unmount } = mount(db, p.projectId);
    cleanup.push(unmount);
    vi.mocked(reads.readTaskIds).mockImplementation(async (...args) => {
      headRendered.push(seen.some((s) => s.head !== undefined));
      const actual = await vi.importActual<Reads>('./reads');
      return actual.readTaskIds(...args);
    });
    await until(() => seen.at(-1)?.doing !== undefined && seen.at(-1)?.todo !== undefined);

    const first = seen.find((s) => s.head !== undefined)!;
    // The first screen: a limited read of each open section, no id list yet.
    expect(first.doing).toBeUndefined();
    expect(first.todo).toBeUndefined();
    expect(first.head!.doing.map((t) => t.id)).toEqual(p.doing);
    expect(first.head!.todo.map((t) => t.id)).toEqual(p.todo.slice(0, 50));
    // The three id lists (Completed's for its count) asked for after that render, not beside
    // the head's read.
    expect(headRendered).toEqual([true, true, true]);
    expect(seen.at(-1)!.doing).toEqual(p.doing);
    expect(seen.at(-1)!.todo).toEqual(p.todo);
  });

  it('reads the id lists at once for a sorted list, and takes lists still in memory at once', async () => {
    const db = new OutpostDb(`open-lists-${uuidv7()}`);
    cleanup.push(() => db.delete());
    const p = await project(db, 2, 5);
    const sorted = mount(db, p.projectId, { now: true });
    // Asked for in the first render's effects, with the head's read.
    expect(vi.mocked(reads.readTaskIds)).toHaveBeenCalledTimes(3);
    await until(() => sorted.seen.at(-1)?.todo !== undefined);
    const reopened = mount(db, p.projectId);
    cleanup.push(reopened.unmount);
    sorted.unmount();
    // The lists the sorted screen read are kept a while: the first render has them.
    expect(reopened.seen[0]!.doing).toEqual(p.doing);
    expect(reopened.seen[0]!.todo).toEqual(p.todo);
    expect(vi.mocked(reads.readTaskIds)).toHaveBeenCalledTimes(3);
  });

  it('counts from the index for the first screen, then from the id lists: a change is not read again', async () => {
    const db = await openDb();
    const p = await project(db, 2, 5);
    const { seen, unmount } = mount(db, p.projectId);
    cleanup.push(unmount);
    await until(() => seen.at(-1)?.doing !== undefined && seen.at(-1)?.todo !== undefined);
    // The first screen's counts, from the index (before any id list was read).
    const first = seen.find((s) => s.counts !== undefined)!;
    expect(first.doing).toBeUndefined();
    expect(first.counts).toEqual({ doing: 2, todo: 5, done: 0 });
    expect(vi.mocked(reads.readTaskCounts)).toHaveBeenCalled();
    const counted = vi.mocked(reads.readTaskCounts).mock.calls.length;
    const settled = seen.length;

    // Another device's tick, as a pulled page or a poke applies it: one row put.
    const row = (await db.tasks.get(p.todo[0]! as never))!;
    await act(() => db.tasks.put({ ...row, status: 'done', version: 2 } as never));
    await until(() => seen.at(-1)!.todo!.length === 4);

    // Counted from the lists, patched from the row the commit wrote: not read again.
    expect(vi.mocked(reads.readTaskCounts)).toHaveBeenCalledTimes(counted);
    expect(seen.at(-1)!.counts).toEqual({ doing: 2, todo: 4, done: 1 });
    // Every render since has counts that agree with its lists (no render with the row gone
    // from To do and the counts still as they were, which a second render then puts right).
    for (const s of seen.slice(settled)) if (s.todo) expect(s.counts!.todo).toBe(s.todo.length);
  });
});

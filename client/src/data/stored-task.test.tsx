// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { act, useSyncExternalStore } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { Task } from '@outpost/shared';
import type { OutpostDb } from '@outpost/sync';
import { appDatabases } from '../../test/helpers/app-db';
import { statusStore } from '../../test/helpers/status-store';
import { mountApp } from '../../test/helpers/mount-app';
import { taskRow } from '../../test/helpers/task-row';
import { useStoredTask, useTaskWindows } from './task-hooks';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const appDb = appDatabases();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const tick = () => act(() => new Promise((r) => setTimeout(r, 5)));

/**
 * Puts `row` in the tasks table as a committed write Dexie has not announced yet: what a local
 * write's caller sees when its promise resolves (at the commit's capture phase, `whenCommitted`,
 * just before Dexie's own complete handler tells the views and the written rows).
 */
function commitUnannounced(db: OutpostDb, row: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.backendDB().transaction('tasks', 'readwrite');
    tx.objectStore('tasks').put(row);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

describe('useStoredTask', () => {
  it('reads a task asked for right after a local write as the database holds it, where the views still hold it as it was', async () => {
    const db = await appDb();
    const launch = uuidv7();
    const website = uuidv7();
    const row = taskRow({ projectId: launch, title: 'Write copy' });
    await db.tasks.put(row as never);
    const windows = [[row.id]];
    // The focus request, as the list follows it.
    let request: { taskId: string } | null = null;
    const told = new Set<() => void>();
    const ask = (r: { taskId: string }) => {
      request = r;
      for (const l of told) l();
    };
    const subscribe = (l: () => void) => (told.add(l), () => void told.delete(l));
    const seen: { shown: ReadonlyMap<string, Task>; stored: Task | null | undefined }[] = [];
    function List() {
      // As the list: its windows (patched from the rows commits wrote) hold the task's row.
      const shown = useTaskWindows(windows);
      const asked = useSyncExternalStore(subscribe, () => request);
      seen.push({ shown, stored: useStoredTask(asked?.taskId ?? null, asked) });
      return null;
    }
    cleanup.push(mountApp(db, statusStore({}), List));
    while (!seen.at(-1)?.shown.has(row.id)) await tick();

    // Moved to Website (announced: the views hold it there), then the Undo's write takes it
    // back to Launch and resolves before Dexie announces it.
    await act(async () => {
      await db.tasks.put({ ...row, projectId: website, version: 2 } as never);
    });
    while (seen.at(-1)!.shown.get(row.id)?.projectId !== website) await tick();
    await commitUnannounced(db, { ...row, projectId: launch, version: 3 });

    // The Undo asks for its row: the views still say Website (a list judging by them drops the
    // request: the row is not coming), the stored task says Launch, where it is coming.
    const from = seen.length;
    act(() => ask({ taskId: row.id }));
    while (seen.at(-1)!.stored === undefined) await tick();
    const after = seen.slice(from);
    expect(after[0]!.shown.get(row.id)?.projectId).toBe(website);
    const answers = after.flatMap((s) => (s.stored === undefined ? [] : [s.stored]));
    expect(answers.map((t) => t?.projectId)).toEqual(answers.map(() => launch));

    // Asked again (a new request) after another unannounced write: read again.
    await commitUnannounced(db, { ...row, projectId: website, version: 4 });
    act(() => ask({ taskId: row.id }));
    while (seen.at(-1)!.stored?.projectId !== website) await tick();
  });
});

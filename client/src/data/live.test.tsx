// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { OutpostDb } from '@outpost/sync';
import { taskRow } from '../../test/helpers/task-row';
import { useLiveData } from './live';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('useLiveData', () => {
  it('reads nothing while not enabled: no re-read after a write, and live again once enabled', async () => {
    const db = new OutpostDb(`live-${uuidv7()}`);
    cleanup.push(() => db.delete());
    const reads = { probe: 0, control: 0 };
    const counted = (name: keyof typeof reads) => async () => {
      reads[name]++;
      return db.tasks.count();
    };
    // The control stays enabled: once it has read a write, the probe would have too.
    function Probe({ enabled }: { enabled: boolean }) {
      useLiveData(['probe'], counted('probe'), { enabled, persist: false });
      useLiveData(['control'], counted('control'), { persist: false });
      return null;
    }
    const host = document.createElement('div');
    const root: Root = createRoot(host);
    const client = new QueryClient();
    cleanup.push(() => act(() => root.unmount()));
    const show = (enabled: boolean) =>
      act(() =>
        root.render(
          <QueryClientProvider client={client}>
            <Probe enabled={enabled} />
          </QueryClientProvider>,
        ),
      );
    const until = async (ready: () => boolean) => {
      while (!ready()) await act(() => new Promise((r) => setTimeout(r, 5)));
    };

    show(true);
    await until(() => reads.probe >= 1 && reads.control >= 1);
    await db.tasks.put(taskRow() as never);
    await until(() => reads.probe >= 2 && reads.control >= 2);

    show(false);
    // A read the probe's subscription scheduled before it was closed may still start late (on
    // a loaded machine, after the next write or two): writes pass until one passes with no
    // probe read. An open subscription reads on every write, so it never gets one.
    let quiet = false;
    for (let i = 0; i < 5 && !quiet; i++) {
      const was = { ...reads };
      await db.tasks.put(taskRow() as never);
      await until(() => reads.control > was.control);
      quiet = reads.probe === was.probe;
    }
    expect(quiet).toBe(true);
    const before = { ...reads };
    await db.tasks.put(taskRow() as never);
    await until(() => reads.control > before.control);
    expect(reads.probe).toBe(before.probe);

    show(true);
    await until(() => reads.probe > before.probe);
    const again = reads.probe;
    await db.tasks.put(taskRow() as never);
    await until(() => reads.probe > again);
  });
});

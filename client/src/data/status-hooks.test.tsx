// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncClient } from '@outpost/sync';
import { statusStore, type StatusStore } from '../../test/helpers/status-store';
import { EngineContext, type Engine } from '../app/engine/context';
import { useSetUp, useSyncStatus } from './hooks';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function mount(status: StatusStore, Component: () => null) {
  const root = createRoot(document.createElement('div'));
  const engine = { client: { status } as unknown as SyncClient } as Engine;
  act(() =>
    root.render(
      <EngineContext.Provider value={engine}>
        <Component />
      </EngineContext.Provider>,
    ),
  );
  cleanup.push(() => act(() => root.unmount()));
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the sync status in React', () => {
  it('a screen reading only setUp does not render again when the pending count changes', async () => {
    const status = statusStore({ setUp: false });
    const seen: boolean[] = [];
    mount(status, () => {
      seen.push(useSetUp());
      return null;
    });
    expect(seen).toEqual([false]);
    // A write's pending count, and its push answered: nothing this screen shows.
    await act(async () => {
      status.set({ pending: 1 });
      status.set({ pending: 0 });
      await nextTask();
    });
    expect(seen).toEqual([false]);
    await act(async () => {
      status.set({ setUp: true });
      await nextTask();
    });
    expect(seen).toEqual([false, true]);
  });

  it('the whole status renders a task after the change, not in the microtask after it', async () => {
    const status = statusStore({});
    const pending: number[] = [];
    mount(status, () => {
      pending.push(useSyncStatus().pending);
      return null;
    });
    // React's own scheduling from here (as in the browser), not act's queue.
    const env = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
    env.IS_REACT_ACT_ENVIRONMENT = false;
    cleanup.push(() => (env.IS_REACT_ACT_ENVIRONMENT = true));
    // The engine counts a write, then pushes it in the microtasks that follow: React renders a
    // store's change in a microtask, so an immediate render would run before the push left.
    status.set({ pending: 1 });
    await Promise.resolve();
    await Promise.resolve();
    expect(pending).toEqual([0]);
    // Two changes in one task render once, with the latest value.
    status.set({ pending: 2 });
    await nextTask();
    await nextTask();
    expect(pending).toEqual([0, 2]);
  });
});

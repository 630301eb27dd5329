// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { ConflictDetail, OutpostDb } from '@outpost/sync';
import { appDatabases } from '../../../test/helpers/app-db';
import { EngineContext, type Engine } from '../engine/context';
import { testRoot } from '../testing/test-root';
import { ConflictNotice } from './ConflictNotice';

const openDb = appDatabases();
const t = testRoot();

/** A title of mine that lost to a teammate's, on a task this device does not hold. */
const DETAIL: ConflictDetail = {
  activityId: uuidv7(),
  entity: 'task',
  entityId: uuidv7(),
  field: 'title',
  mine: 'Order chairs',
  theirs: 'Order tables',
  deleted: false,
  winner: null,
  at: new Date().toISOString(),
};

describe('ConflictNotice', () => {
  it('"Use mine" pressed twice before its write resolves writes the value once', async () => {
    const db: OutpostDb = await openDb();
    const replica = { db, orgId: 'org_1', userId: 'user_1' };
    let resolve!: (wrote: boolean) => void;
    const client = {
      replica,
      updateTask: vi.fn(
        (_id: string, _patch: object) => new Promise<boolean>((res) => (resolve = res)),
      ),
      updateProject: vi.fn(async () => true),
    };
    const onDone = vi.fn();
    const engine = { client, replica, session: { user: { id: 'user_1' } } } as unknown as Engine;
    await act(async () =>
      t.root.render(
        <QueryClientProvider client={new QueryClient()}>
          <EngineContext.Provider value={engine}>
            <ConflictNotice detail={DETAIL} onDone={onDone} />
          </EngineContext.Provider>
        </QueryClientProvider>,
      ),
    );
    const useMine = () =>
      [...t.host.querySelectorAll('button')].find((b) => b.textContent === 'Use mine') ?? null;
    await vi.waitFor(() => expect(useMine()).not.toBeNull());
    // A double click: both presses land before the write resolves.
    await act(async () => {
      useMine()!.click();
      useMine()!.click();
    });
    expect(client.updateTask).toHaveBeenCalledTimes(1);
    expect(useMine()!.getAttribute('aria-disabled')).toBe('true');
    await act(async () => resolve(true));
    expect(onDone).toHaveBeenCalledTimes(1);
  });
});

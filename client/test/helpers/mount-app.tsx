import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { OutpostDb, SyncClient } from '@outpost/sync';
import { EngineContext, type Engine } from '../../src/app/engine/context';
import type { StatusStore } from './status-store';

/**
 * Renders `Component` with the app's providers (a fresh QueryClient, an engine whose client is
 * `db` and `status`) in a detached element; returns the unmount for the test's cleanup. Call
 * with React's act environment on (`IS_REACT_ACT_ENVIRONMENT`).
 */
export function mountApp(db: OutpostDb, status: StatusStore, Component: () => null): () => void {
  const engine = {
    client: { status, replica: { db, orgId: 'org_1' } } as unknown as SyncClient,
  } as Engine;
  const root = createRoot(document.createElement('div'));
  act(() =>
    root.render(
      <QueryClientProvider client={new QueryClient()}>
        <EngineContext.Provider value={engine}>
          <Component />
        </EngineContext.Provider>
      </QueryClientProvider>,
    ),
  );
  return () => act(() => root.unmount());
}

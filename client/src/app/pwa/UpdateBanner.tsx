import { useSyncExternalStore } from 'react';
import type { Pwa } from './service-worker';

/** "New version available — reload": shown when a new service worker is installed and waiting. */
export function UpdateBanner({ pwa }: { pwa: Pwa }) {
  const state = useSyncExternalStore(pwa.subscribe, pwa.getSnapshot);
  if (!state.updateReady) return null;
  return (
    <div className="notice info" role="status" aria-live="polite" style={{ margin: 8 }}>
      <div>
        <p>
          <strong>A new version of Outpost is available.</strong> Your unsent changes are kept.
        </p>
      </div>
      <button type="button" className="primary" onClick={() => pwa.applyUpdate()}>
        Reload to update
      </button>
    </div>
  );
}

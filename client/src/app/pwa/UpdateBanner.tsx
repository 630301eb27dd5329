import { useState, useSyncExternalStore } from 'react';
import type { Pwa } from './service-worker';

/**
 * "New version available — reload": shown when a new service worker is installed and waiting.
 * It floats over the page (never pushes it while someone is reading or typing) and can be put
 * away; the update then waits for the next start.
 */
export function UpdateBanner({ pwa }: { pwa: Pwa }) {
  const state = useSyncExternalStore(pwa.subscribe, pwa.getSnapshot);
  const [dismissed, setDismissed] = useState(false);
  if (!state.updateReady || dismissed) return null;
  return (
    <div className="notice info update-banner" role="status" aria-live="polite">
      <div>
        <p>
          <strong>A new version of Outpost is available.</strong> Your unsent changes are kept.
        </p>
      </div>
      <button type="button" className="primary" onClick={() => pwa.applyUpdate()}>
        Reload to update
      </button>
      <button type="button" onClick={() => setDismissed(true)}>
        Later
      </button>
    </div>
  );
}

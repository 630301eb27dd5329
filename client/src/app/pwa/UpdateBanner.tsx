import { useState, useSyncExternalStore } from 'react';
import type { Pwa } from './service-worker';
import { confirmAction } from '../ui/confirm';
import { leaveWithoutAsking, unsavedDrafts } from '../ui/drafts';

/**
 * "New version available — reload": shown when a new service worker is installed and waiting.
 * It floats over the page (never pushes it while someone is reading or typing) and can be put
 * away; the update then waits for the next start. Unsent changes live in the replica and survive
 * the reload; text typed and not yet saved does not, so the reload asks first.
 */
export function UpdateBanner({ pwa }: { pwa: Pwa }) {
  const state = useSyncExternalStore(pwa.subscribe, pwa.getSnapshot);
  const [dismissed, setDismissed] = useState(false);
  if (!state.updateReady || dismissed) return null;

  async function reload() {
    const typed = unsavedDrafts();
    if (
      typed.length > 0 &&
      !(await confirmAction({
        title: 'Reload and lose what you typed?',
        message: `What you typed in ${typed.map((t) => `\u201c${t}\u201d`).join(' and ')} is not saved yet: reloading clears it. Your unsent changes are kept.`,
        confirmLabel: 'Reload anyway',
        danger: true,
      }))
    )
      return;
    leaveWithoutAsking();
    pwa.applyUpdate();
  }

  return (
    <div className="notice info update-banner" role="status" aria-live="polite">
      <div>
        <p>
          <strong>A new version of Outpost is available.</strong> Your unsent changes are kept.
        </p>
      </div>
      <button type="button" className="primary" onClick={() => void reload()}>
        Reload to update
      </button>
      <button type="button" onClick={() => setDismissed(true)}>
        Later
      </button>
    </div>
  );
}

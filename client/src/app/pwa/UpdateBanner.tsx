import { useRef, useState, useSyncExternalStore } from 'react';
import type { Pwa } from './service-worker';
import { confirmAction } from '../ui/confirm';
import { leaveWithoutAsking, unsavedDrafts } from '../ui/drafts';
import { useInset } from '../ui/insets';

/**
 * "New version available — reload": shown when a new service worker is installed and waiting.
 * It can be put away; the update then waits for the next start. Unsent changes live in the
 * replica and survive the reload; text typed and not yet saved does not, so the reload asks first.
 */
export function UpdateBanner({ pwa }: { pwa: Pwa }) {
  const state = useSyncExternalStore(pwa.subscribe, pwa.getSnapshot);
  const [dismissed, setDismissed] = useState(false);
  if (!state.updateReady || dismissed) return null;
  return <Banner pwa={pwa} onLater={() => setDismissed(true)} />;
}

/**
 * Held at the window's top, above the sticky header, in a band of its own: the page, the header
 * and a phone's full-screen sheets start below it (styles.css reads `--update-bar-height`), so
 * it covers none of their controls. Fixed, not in the page's flow, so a sheet never makes it
 * inert (sheet-inert.ts): it stays in reach with a task open.
 */
function Banner({ pwa, onLater }: { pwa: Pwa; onLater(): void }) {
  const bar = useRef<HTMLDivElement>(null);
  useInset('top', bar, '--update-bar-height');

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
    <div ref={bar} className="update-bar">
      <div className="notice info update-banner" role="status" aria-live="polite">
        <div>
          <p>
            <strong>A new version of Outpost is available.</strong> Your unsent changes are kept.
          </p>
        </div>
        <button type="button" className="primary" onClick={() => void reload()}>
          Reload to update
        </button>
        <button type="button" onClick={onLater}>
          Later
        </button>
      </div>
    </div>
  );
}

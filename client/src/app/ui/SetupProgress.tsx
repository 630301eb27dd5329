import { useLayoutEffect, useRef, useState } from 'react';
import { downloadText, downloadView, syncHeadline } from '../engine/headline';
import { useSyncStatus } from '../../data';
import { count } from './format';

/**
 * Where a list would be empty or still filling, while this device's first sync runs: what is
 * arriving, how far it is and how long it may take — so an empty list never reads as "nothing
 * here". Renders nothing once the device is set up (or before that is known) — but where it was
 * shown, it stays, saying the device is set up, until the screen is left. While rows are listed
 * under it, it never gets shorter than it was: taking it away, or shrinking it, would move them
 * up as the person reads or taps them; it keeps the progress's shape then (the bar, full, and a
 * line under it), so the height it holds is not an empty block. With nothing under it (a new workspace's first screen,
 * `listed` false), it fits its one line rather than keeping an empty block where the progress
 * was.
 */
export function SetupProgress({ what, listed = true }: { what: string; listed?: boolean }) {
  const status = useSyncStatus();
  const settingUp = status.setUp === false;
  const [shown, setShown] = useState(settingUp);
  if (settingUp && !shown) setShown(true);
  const box = useRef<HTMLDivElement>(null);
  const height = useRef(0);
  // Whether the download's bar was shown: once set up, a full one stands in its place.
  const hadBar = useRef(false);
  if (status.download) hadBar.current = true;
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    // Nothing under it to move: it fits what it says.
    if (!settingUp && !listed) {
      height.current = 0;
      el.style.minHeight = '';
      return;
    }
    // It never shrinks while shown (before the browser paints): not when the download's last
    // page is in and the bar goes, nor when it says the device is set up.
    height.current = Math.max(height.current, el.getBoundingClientRect().height);
    el.style.minHeight = `${height.current}px`;
  });
  if (!settingUp)
    return shown ? (
      <div ref={box} className="setup panel" data-testid="setup-progress">
        <p>
          <strong>This device is set up</strong> — everything has arrived, and it all works offline.
        </p>
        {/* Held at the progress's height over a list, it fills it as the progress did (the bar
            done, a line under it) rather than an empty block under the words. */}
        {listed && (
          <>
            {hadBar.current && <progress aria-label="This device is set up" max={1} value={1} />}
            <p className="muted">From now on, changes show here as they happen.</p>
          </>
        )}
      </div>
    ) : null;
  const h = syncHeadline(status);
  const view = status.download ? downloadView(status.download) : null;
  const paused =
    h.kind === 'offline'
      ? 'paused while you are offline; it continues when the connection is back'
      : h.kind === 'unreachable'
        ? 'paused: the server cannot be reached; retrying'
        : h.kind === 'action-needed'
          ? 'paused: see the status line below'
          : null;
  const sofar = view ? ` (${count(view.done)} of ${count(view.total)} so far)` : '';
  return (
    <div ref={box} className="setup panel" data-testid="setup-progress">
      <p>
        <strong>Setting up this device</strong>
        {paused
          ? ` — ${paused}${sofar}.`
          : view
            ? ` — ${downloadText(view)}`
            : ' — downloading your workspace…'}
      </p>
      {view && (
        <progress
          aria-label="Setting up this device"
          max={Math.max(view.total, 1)}
          value={view.done}
        />
      )}
      <p className="muted">
        {what} appear here as they arrive; what has arrived can be used already.
      </p>
    </div>
  );
}

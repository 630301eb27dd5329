import type { UnsavedText } from '../ui/drafts';
import { TextToCopy } from '../ui/TextToCopy';

/** Text typed in another organization's workspace and not saved when the tab left it. */
export interface LeftBehind {
  /** The organization the text was typed in, as the switcher names it. */
  from: string;
  drafts: readonly UnsavedText[];
  /**
   * Left on "Join another organization…" and come back to the same workspace (its sign-in form
   * closed): nothing was switched, but the workspace's fields went when the form opened.
   */
  back?: boolean;
}

/**
 * The tab switched organization (here, or in another tab: every tab follows) while a field
 * held text nothing had saved. That workspace's screens are gone, so the text is shown here, to
 * copy, instead of dropped without a word; it is not kept on the device.
 */
export function LeftBehindNotice({
  leftBehind,
  now,
  onDismiss,
}: {
  leftBehind: LeftBehind;
  now: string;
  onDismiss(): void;
}) {
  return (
    <div className="notice warn" role="alert" aria-label="Not saved">
      <div>
        <p>
          {leftBehind.back
            ? 'What you had typed before “Join another organization…” was not saved; copy it now if you need it.'
            : `Switched to “${now}”. What you had typed in “${leftBehind.from}” was not saved; copy it now if you need it.`}
        </p>
        {leftBehind.drafts.map((d, i) => (
          <TextToCopy key={i} label={d.label} text={d.text} />
        ))}
      </div>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

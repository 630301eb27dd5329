import type { UnsavedText } from '../ui/drafts';
import { TextToCopy } from '../ui/TextToCopy';

interface Props {
  drafts: readonly UnsavedText[];
  onDismiss(): void;
  /** What happened, said first (by default: signed out). */
  message?: string;
}

const SIGNED_OUT =
  'You were signed out. What you had typed was not saved; copy it now if you need it.';

/**
 * Signed out (in another tab, too) while a field held text nothing had saved: the text is shown
 * here, selectable, so it can be copied before it goes (it is not kept on the device).
 */
export function UnsavedOnSignOut({ drafts, onDismiss, message = SIGNED_OUT }: Props) {
  return (
    <section className="signed-out-drafts" role="alert" aria-label="Not saved">
      <p>{message}</p>
      {drafts.map((d, i) => (
        <TextToCopy key={i} label={d.label} text={d.text} />
      ))}
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </section>
  );
}

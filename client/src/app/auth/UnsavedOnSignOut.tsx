import type { UnsavedText } from '../ui/drafts';

interface Props {
  drafts: readonly UnsavedText[];
  onDismiss(): void;
}

/**
 * Signed out (in another tab, too) while a field held text nothing had saved: the text is shown
 * here, selectable, so it can be copied before it goes (it is not kept on the device).
 */
export function UnsavedOnSignOut({ drafts, onDismiss }: Props) {
  return (
    <section className="signed-out-drafts" role="alert" aria-label="Not saved">
      <p>You were signed out. What you had typed was not saved; copy it now if you need it.</p>
      {drafts.map((d, i) => (
        <label key={i}>
          {d.label}
          <textarea readOnly value={d.text} rows={Math.min(4, d.text.split('\n').length)} />
        </label>
      ))}
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </section>
  );
}

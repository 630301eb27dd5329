import { useEffect, useId, useRef, useSyncExternalStore } from 'react';
import { confirmRequest } from './confirm';
import { unavailableProps } from './unavailable';

/**
 * Shows the pending `confirmAction` as a modal dialog: focus moves to Cancel (the safe choice),
 * Escape cancels, and focus goes back to where it was when the dialog closes. A live request's
 * new words are shown in the same open dialog (focus stays where it is; the message is a polite
 * live region, so a screen reader hears the change). While the request says it cannot go ahead
 * (`unavailable`), its confirm button keeps focus but does nothing, described by the reason shown
 * above it, and works again when the reason goes.
 */
export function ConfirmDialog() {
  const request = useSyncExternalStore(confirmRequest.subscribe, confirmRequest.getSnapshot);
  const ref = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const messageId = useId();
  const reasonId = useId();
  const id = request?.id;
  useEffect(() => {
    const dialog = ref.current;
    if (id === undefined || !dialog) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    first.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      before?.focus();
    };
  }, [id]);
  if (!request) return null;
  return (
    <dialog
      ref={ref}
      className="confirm"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={messageId}
      onCancel={(e) => {
        // Escape: the dialog's own close, then the request answers false.
        e.preventDefault();
        request.resolve(false);
      }}
    >
      <h2 id={titleId}>{request.title}</h2>
      <p id={messageId} aria-live="polite">
        {request.message}
      </p>
      {/* Always there (empty when it can go ahead), so the reason is announced as it comes. */}
      <div aria-live="polite">
        {request.unavailable !== undefined && (
          <p id={reasonId} className="notice warn">
            {request.unavailable}
          </p>
        )}
      </div>
      <div className="row confirm-actions">
        {!request.alert && (
          <button ref={first} type="button" onClick={() => request.resolve(false)}>
            Cancel
          </button>
        )}
        <button
          ref={request.alert ? first : undefined}
          type="button"
          className={request.danger ? 'danger' : 'primary'}
          {...unavailableProps(request.unavailable !== undefined, reasonId)}
          onClick={() => {
            if (request.unavailable === undefined) request.resolve(true);
          }}
        >
          {request.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

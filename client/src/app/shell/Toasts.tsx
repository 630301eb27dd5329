import { useSyncExternalStore } from 'react';
import { toasts } from '../ui/toasts';

/**
 * Toasts for what was just done ("Deleted “X”. Undo", "Added “X”. Show"), floating above the
 * status bar. Named for what they hold: they are not all undo offers.
 */
export function Toasts() {
  const list = useSyncExternalStore(toasts.subscribe, toasts.getSnapshot);
  return (
    <div className="toasts" role="region" aria-label="Recent actions">
      {list.map((t) => (
        <div key={t.id} className="toast" role="status">
          <span className="grow">{t.message}</span>
          {t.action && (
            <button
              type="button"
              className="toast-action"
              onClick={() => {
                t.action!.run();
                toasts.dismiss(t.id);
              }}
            >
              {t.action.label}
            </button>
          )}
          <button
            type="button"
            className="icon"
            aria-label="Dismiss"
            onClick={() => toasts.dismiss(t.id)}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

import { useSyncExternalStore } from 'react';
import { toasts } from '../ui/toasts';

/** Undo toasts ("Deleted “X”. Undo"), floating above the status bar. */
export function Toasts() {
  const list = useSyncExternalStore(toasts.subscribe, toasts.getSnapshot);
  return (
    <div className="toasts" role="region" aria-label="Undo">
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

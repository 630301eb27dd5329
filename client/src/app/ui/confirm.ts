import { createStore } from './store';

export interface ConfirmRequest {
  title: string;
  message: string;
  /** The button that goes ahead ("Delete project"); Cancel is always there and focused first. */
  confirmLabel: string;
  /** Colours the confirm button as destructive. */
  danger?: boolean;
  /** A message with only an OK button (nothing to decide). */
  alert?: boolean;
}

interface Pending extends ConfirmRequest {
  resolve(ok: boolean): void;
}

const store = createStore<Pending | null>(null);

/**
 * The app's own confirmation (instead of `window.confirm`, which blocks the page, cannot be
 * styled for a phone and is suppressed by some browsers): resolves true when the user confirms,
 * false on Cancel or Escape. One at a time: a new request cancels the one still open.
 */
export function confirmAction(request: ConfirmRequest): Promise<boolean> {
  store.getSnapshot()?.resolve(false);
  return new Promise<boolean>((resolve) => {
    const pending: Pending = {
      ...request,
      resolve: (ok) => {
        if (store.getSnapshot() === pending) store.set(null);
        resolve(ok);
      },
    };
    store.set(pending);
  });
}

/** A message the user acknowledges (instead of `window.alert`). */
export function showAlert(title: string, message: string): Promise<void> {
  return confirmAction({ title, message, confirmLabel: 'OK', alert: true }).then(() => undefined);
}

export const confirmRequest = { subscribe: store.subscribe, getSnapshot: store.getSnapshot };

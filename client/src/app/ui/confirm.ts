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
  /**
   * Why going ahead cannot happen just now (offline, say): the confirm button stays in place and
   * keeps focus but does nothing, described by these words in the dialog; Cancel still works.
   * A watch clears it when the obstacle goes, and the same open dialog works again.
   */
  unavailable?: string;
}

interface Pending extends ConfirmRequest {
  /** Which request this is: a live request keeps it as its words change (the dialog stays open). */
  id: number;
  resolve(ok: boolean): void;
}

/**
 * Keeps an open question current: called once when it opens with `update`, which replaces the
 * words the dialog shows (the answer still resolves the same promise); returns what stops it.
 */
export type ConfirmWatch = (update: (next: ConfirmRequest) => void) => () => void;

const store = createStore<Pending | null>(null);
let lastId = 0;

/**
 * The app's own confirmation (instead of `window.confirm`, which blocks the page, cannot be
 * styled for a phone and is suppressed by some browsers): resolves true when the user confirms,
 * false on Cancel or Escape. One at a time: a new request cancels the one still open. With
 * `watch`, the question follows what it is about while it is open (see `ConfirmWatch`).
 */
export function confirmAction(request: ConfirmRequest, watch?: ConfirmWatch): Promise<boolean> {
  store.getSnapshot()?.resolve(false);
  return new Promise<boolean>((resolve) => {
    const id = ++lastId;
    let stop: (() => void) | null = null;
    let answered = false;
    const answer = (ok: boolean) => {
      // Going ahead while it cannot (offline) does nothing; the question stays open.
      const open = store.getSnapshot();
      if (ok && open?.id === id && open.unavailable !== undefined) return;
      if (answered) return;
      answered = true;
      stop?.();
      stop = null;
      if (store.getSnapshot()?.id === id) store.set(null);
      resolve(ok);
    };
    store.set({ ...request, id, resolve: answer });
    if (!watch) return;
    const unwatch = watch((next) => {
      const open = store.getSnapshot();
      if (open?.id !== id || sameWords(open, next)) return;
      store.set({ ...next, id, resolve: answer });
    });
    if (answered) unwatch();
    else stop = unwatch;
  });
}

function sameWords(a: ConfirmRequest, b: ConfirmRequest): boolean {
  return (
    a.title === b.title &&
    a.message === b.message &&
    a.confirmLabel === b.confirmLabel &&
    Boolean(a.danger) === Boolean(b.danger) &&
    Boolean(a.alert) === Boolean(b.alert) &&
    a.unavailable === b.unavailable
  );
}

/** A message the user acknowledges (instead of `window.alert`). */
export function showAlert(title: string, message: string): Promise<void> {
  return confirmAction({ title, message, confirmLabel: 'OK', alert: true }).then(() => undefined);
}

export const confirmRequest = { subscribe: store.subscribe, getSnapshot: store.getSnapshot };

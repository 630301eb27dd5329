import { createStore } from './store';

/**
 * Where focus should go next in the task list ("the row of this task" after an undo or a
 * closed detail, "the row now at this position" after a delete). The list consumes it once
 * the row is rendered, so focus never falls to the page body.
 */
export type FocusRequest =
  | { taskId: string; at: number }
  /** Once `leaving` is gone from the list (a completed or deleted row), the row now at `index`. */
  | { index: number; leaving?: string; at: number }
  | null;

export const focusRequest = createStore<FocusRequest>(null);

/** Requests older than this are dropped (the row never came): focus must not jump later. */
export const FOCUS_REQUEST_TTL_MS = 2000;

export function requestFocus(
  request: { taskId: string } | { index: number; leaving?: string },
): void {
  focusRequest.set({ ...request, at: Date.now() });
}

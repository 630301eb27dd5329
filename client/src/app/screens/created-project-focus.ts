import { navigate } from '../shell/router';

/**
 * A project just created opens, with focus in its "Add a task…" field, as Linear's, Todoist's
 * and Things' do: the next thing typed is its first task, not the project list's keys (focus
 * on the new row in the list made `c`, `n`, `j`, `k` act there). Back returns to the list.
 */
let wanted: string | null = null;

export function openCreatedProject(id: string): void {
  wanted = id;
  navigate({ name: 'project', id });
}

/** True (once) when the project screen showing `id` was opened by its create. */
export function takeCreatedProjectFocus(id: string): boolean {
  if (wanted !== id) return false;
  wanted = null;
  return true;
}

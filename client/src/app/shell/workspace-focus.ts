/**
 * Where focus goes when a workspace opens in place of another — an org switched to or joined
 * (its first screen's heading), or "Join another organization…" backed out of (the org switcher
 * the user came from). The element that had focus left with the old workspace: without this,
 * focus would fall to the page body. Taken once, by the one it names.
 */
export type WorkspaceFocus = 'heading' | 'switcher';

let wanted: WorkspaceFocus | null = null;

export function focusNextWorkspace(where: WorkspaceFocus): void {
  wanted = where;
}

/** True (once) when the next workspace's focus was asked to go to `where`. */
export function takeWorkspaceFocus(where: WorkspaceFocus): boolean {
  if (wanted !== where) return false;
  wanted = null;
  return true;
}

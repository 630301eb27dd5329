/**
 * The page's localStorage, or null where there is none (tests without a DOM) or the browser
 * refuses it (storage disabled: reading `localStorage` then throws). What the app keeps there
 * is a help, never needed: its callers go on without it.
 */
export function localStorageOrNull(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

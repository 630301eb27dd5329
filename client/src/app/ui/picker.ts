/** Opens a native control's picker (a select's list, a date's calendar) where the browser can. */
export function openPicker(el: HTMLInputElement | HTMLSelectElement): void {
  try {
    el.showPicker();
  } catch {
    // Not here (no user gesture, or not supported): the control still takes keys and taps.
  }
}

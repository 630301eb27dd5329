/**
 * A count as people read it: 2,000, not 2000 (en-US grouping). Counts are whole numbers, grouped
 * here without `Intl` (see `lazily` in format.ts): the task list's headings and the status bar show them at boot.
 */
export function count(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** What the UI benches print: percentiles and one markdown table with its heading. */
import os from 'node:os';

/** The `p`th percentile of `xs` (NaN when empty). */
export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/**
 * Prints `title` with the date, the cores and the load since `loadBefore`, the table (`head`
 * then `rows`, columns padded), and the run's total seconds since `started`.
 */
export function printTable(
  title: string,
  head: readonly string[],
  rows: readonly (readonly string[])[],
  run: { started: number; loadBefore: number },
): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(
    `\n${title} — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load ${run.loadBefore.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}\n`,
  );
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(`\n(total ${((Date.now() - run.started) / 1000).toFixed(0)} s)`);
}

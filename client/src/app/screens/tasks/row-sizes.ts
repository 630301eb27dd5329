/** Rows measured at a width before its estimate is kept: about a screen of rows. */
const SETTLE = 16;

/**
 * The estimated height of rows not measured yet, per width of the list: the height measured
 * most often among the first rows measured at that width, then kept until the width changes.
 * It does not follow the rows measured lately: every change of a long list lays its rows not
 * measured yet out again at the estimate, so an estimate that flipped between a one-line and a
 * two-line row (48 and 65 px on a phone) as the user scrolled through a different mix moved the
 * list's end by some 17 px a row (135,000 px in 10,000 rows) at the next change.
 */
export class RowSizes {
  private readonly widths = new Map<number, { counts: Map<number, number>; typical: number }>();
  private width: number | null = null;
  constructor(private readonly initial: number) {}

  /** The estimate at the width rows were last measured at (`initial` before any). */
  get typical(): number {
    return (this.width !== null && this.widths.get(this.width)?.typical) || this.initial;
  }

  /** A row (not a placeholder) measured `size` high at a list `width` wide. */
  add(size: number, width: number): void {
    const w = Math.round(width);
    this.width = w;
    let at = this.widths.get(w);
    if (!at) this.widths.set(w, (at = { counts: new Map(), typical: size }));
    const { counts } = at;
    let n = 0;
    for (const c of counts.values()) n += c;
    if (n >= SETTLE) return;
    counts.set(size, (counts.get(size) ?? 0) + 1);
    // Only a height measured more often takes over (the first one measured wins a tie).
    if ((counts.get(size) ?? 0) > (counts.get(at.typical) ?? 0)) at.typical = size;
  }
}

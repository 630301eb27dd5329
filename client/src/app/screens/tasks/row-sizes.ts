/** Rows measured at a width before its estimate is kept: about a screen of rows. */
const SETTLE = 16;

interface AtWidth {
  counts: Map<number, number>;
  typical: number;
}

/**
 * The estimated height of rows not measured yet, per list (a project's: its tasks may all be
 * one line, or mostly two) and width of the list: the height measured most often among the
 * first rows measured there, then kept until the width changes. It does not follow the rows
 * measured lately: every change of a long list lays its rows not measured yet out again at the
 * estimate, so an estimate that flipped between a one-line and a two-line row (48 and 65 px on
 * a phone) as the user scrolled through a different mix moved the list's end by some 17 px a
 * row (135,000 px in 10,000 rows) at the next change. Nor is it another list's: a project of
 * two-line rows opened after one of one-line rows was laid out some 17 px a row too short.
 */
export class RowSizes {
  private readonly lists = new Map<
    string,
    { widths: Map<number, AtWidth>; width: number | null }
  >();
  constructor(private readonly initial: number) {}

  /** The estimate for `list` at the width its rows were last measured at (`initial` before any). */
  typical(list: string): number {
    const at = this.lists.get(list);
    return (at && at.width !== null && at.widths.get(at.width)?.typical) || this.initial;
  }

  /** A row of `list` (not a placeholder) measured `size` high at a list `width` wide. */
  add(list: string, size: number, width: number): void {
    const w = Math.round(width);
    let of = this.lists.get(list);
    if (!of) this.lists.set(list, (of = { widths: new Map(), width: null }));
    of.width = w;
    let at = of.widths.get(w);
    if (!at) of.widths.set(w, (at = { counts: new Map(), typical: size }));
    const { counts } = at;
    let n = 0;
    for (const c of counts.values()) n += c;
    if (n >= SETTLE) return;
    counts.set(size, (counts.get(size) ?? 0) + 1);
    // Only a height measured more often takes over (the first one measured wins a tie).
    if ((counts.get(size) ?? 0) > (counts.get(at.typical) ?? 0)) at.typical = size;
  }
}

/** The row height measured most often lately (the estimate for rows not measured yet). */
export class RowSizes {
  private readonly last: number[] = [];
  constructor(public typical: number) {}
  add(size: number): void {
    // The last 32 measures: a new width (a rotated phone) soon sets a new typical height.
    if (this.last.push(size) > 32) this.last.shift();
    const n = (h: number) => this.last.reduce((c, x) => c + (x === h ? 1 : 0), 0);
    if (size !== this.typical && n(size) > n(this.typical)) this.typical = size;
  }
}

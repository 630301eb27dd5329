/**
 * `pnpm bench:ui:first-open` — a project's first open right after signing in (everything just
 * synced, nothing read yet), as a new teammate meets it: a project of 3,000 tasks all To do (as
 * the E2E's `seedProject` seeds them), the baseline one of 30, each opened by a person of its
 * own (a browser process each), alternating. Prints the time from the click to the first rows
 * and the page's long tasks (over 50 ms) until 3 s after, then the medians.
 *
 * Flags: `--runs N` (per project, default 5), `--width W` (default 360), `--port P`.
 */
import { clickToFirstRows } from './ui/measures';
import { openStage } from './ui/setup';

const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(flag('--runs') ?? 5);
const WIDTH = Number(flag('--width') ?? 360);
const PORT = flag('--port') === undefined ? undefined : Number(flag('--port'));
const med = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const stage = await openStage({ bigN: 3000, smallN: 30, port: PORT, allTodo: true });
  const seen: Record<string, { first: number[]; longest: number[] }> = {
    Big: { first: [], longest: [] },
    Small: { first: [], longest: [] },
  };
  try {
    for (let i = 0; i < 2 * RUNS; i++) {
      const project = i % 2 === 0 ? 'Big' : 'Small';
      const page = await stage.addPerson({
        name: `Person ${i}`,
        email: `person${i}@example.com`,
        role: 'admin',
      });
      await page.setViewportSize({ width: WIDTH, height: WIDTH < 600 ? 740 : 800 });
      await page.evaluate(() => {
        const w = window as unknown as { __long: number[] };
        w.__long = [];
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) w.__long.push(e.duration);
        }).observe({ type: 'longtask' });
      });
      const first = (await clickToFirstRows(page, project)).ms;
      await page.waitForTimeout(3000);
      const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
      seen[project]!.first.push(first);
      seen[project]!.longest.push(Math.max(0, ...long));
      console.log(
        `${project} at ${WIDTH} px: first rows ${first.toFixed(0)} ms, long tasks [${long.map((d) => d.toFixed(0)).join(', ')}]`,
      );
      await page.context().close();
    }
    const [big, small] = [seen.Big!, seen.Small!];
    console.log(
      `median of ${RUNS}: first rows ${med(big.first).toFixed(0)} ms (baseline ${med(small.first).toFixed(0)} ms, ×${(med(big.first) / med(small.first)).toFixed(2)}); longest task ${med(big.longest).toFixed(0)} ms (baseline ${med(small.longest).toFixed(0)} ms), max ${Math.max(...big.longest).toFixed(0)} ms`,
    );
  } finally {
    await stage.close();
  }
}

void main();

/**
 * `pnpm bench:ui:search` — the first keystroke of a search typed right after a 10,000-task
 * project opens (the "search first keystroke" of `pnpm bench:ui`, one sample per run there), S
 * times: each sample reloads the page, opens the project cold and types at once. Prints each
 * sample and the median. The figure is bimodal: ~80 ms when the search index was built before
 * the click (search-index.ts `warm`), hundreds of ms when the keystroke builds it.
 *
 * Flags: `--tasks N` (default 10000), `--port P`, `--samples S` (default 7), `--after MS` (type
 * MS after the first rows, as someone who reads the list first would; default 0).
 */
import os from 'node:os';
import { firstRows, search } from './ui/measures';
import { pct } from './ui/report';
import { matches, openStage } from './ui/setup';

const flag = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : undefined;
};
const N = flag('--tasks') ?? 10_000;
const PORT = flag('--port');
const SAMPLES = flag('--samples') ?? 7;
const AFTER = flag('--after') ?? 0;

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const stage = await openStage({ bigN: N, smallN: 10, port: PORT });
  const { page, big } = stage;
  try {
    const first: number[] = [];
    const opens: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      opens.push((await firstRows(page, 'Big')).ms);
      if (AFTER) await page.waitForTimeout(AFTER);
      first.push(await search(page, 'needle', matches(big, 'needle')));
      console.log(
        `open ${opens.at(-1)!.toFixed(0)} ms, first keystroke ${first.at(-1)!.toFixed(0)} ms`,
      );
    }
    const f = (xs: number[]) =>
      `median ${pct(xs, 50).toFixed(0)} ms [${xs.map((x) => x.toFixed(0)).join(', ')}]`;
    console.log(`first rows 10k: ${f(opens)}`);
    console.log(`search first keystroke: ${f(first)}`);
    console.log(
      `load before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await stage.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

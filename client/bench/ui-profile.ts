/**
 * `pnpm bench:ui:profile` — where the time to first rows goes: one cold open of a
 * 10,000-task project (unminified build) under the V8 sampling profiler. Prints the
 * functions with the most self time and how much of the open the main thread sat idle
 * (waiting on IndexedDB), and writes the .cpuprofile (open it in Chromium's DevTools).
 *
 * Flags: `--tasks N` (default 10000), `--out FILE` (default /tmp/outpost-first-rows.cpuprofile).
 */
import fs from 'node:fs/promises';
import { firstRows } from './ui/measures';
import { openStage } from './ui/setup';

const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const N = Number(flag('--tasks') ?? 10_000);
const OUT = flag('--out') ?? '/tmp/outpost-first-rows.cpuprofile';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

async function main(): Promise<void> {
  const stage = await openStage({ bigN: N, smallN: 10, debug: true });
  try {
    const cdp = await stage.page.context().newCDPSession(stage.page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    // One warm-up open so both runs below find the same caches.
    await firstRows(stage.page, 'Big');
    const opened = await firstRows(stage.page, 'Big', async () => {
      await cdp.send('Profiler.start');
    });
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    await fs.writeFile(OUT, JSON.stringify(profile));

    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      total += ms;
      const frame = byNode.get(id)!.callFrame;
      const file = frame.url.split('/').pop() ?? '';
      const key = `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
      self.set(key, (self.get(key) ?? 0) + ms);
    });
    console.log(
      `first rows in ${opened.ms.toFixed(0)} ms; profile spans ${total.toFixed(0)} ms (load ${(await fs.readFile('/proc/loadavg', 'utf8')).split(' ')[0]})`,
    );
    for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30))
      console.log(`${ms.toFixed(1).padStart(8)} ms  ${key}`);
    console.log(`profile written to ${OUT}`);
  } finally {
    await stage.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

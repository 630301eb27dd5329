/**
 * `pnpm bench:ui:profile` — where the time goes in the task list of a 10,000-task project
 * (unminified build) under the V8 sampling profiler: one cold open (time to first rows), or
 * with `--scroll` one scroll to the end with Completed expanded (the frames of `pnpm bench:ui`),
 * or with `--tick` ten ticks of the first row as `pnpm bench:ui` does them (Completed expanded),
 * or with `--new` ten quick adds at the end of the list as `pnpm bench:ui` does them.
 * Prints the functions with the most self time and writes the .cpuprofile (open it in
 * Chromium's DevTools).
 *
 * Flags: `--tasks N` (default 10000), `--port P` (the server's; default any free one), `--scroll`, `--out FILE` (default
 * /tmp/outpost-first-rows.cpuprofile, or /tmp/outpost-scroll.cpuprofile with `--scroll`).
 */
import fs from 'node:fs/promises';
import { expandCompleted, firstRows, newTask, scrollToEnd, tick } from './ui/measures';
import { openStage } from './ui/setup';

const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const N = Number(flag('--tasks') ?? 10_000);
const PORT = flag('--port') === undefined ? undefined : Number(flag('--port'));
const SCROLL = process.argv.includes('--scroll');
const TICK = process.argv.includes('--tick');
const NEW = process.argv.includes('--new');
const OUT =
  flag('--out') ??
  `/tmp/outpost-${SCROLL ? 'scroll' : TICK ? 'tick' : NEW ? 'new-task' : 'first-rows'}.cpuprofile`;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function main(): Promise<void> {
  const stage = await openStage({ bigN: N, smallN: 10, debug: true, port: PORT });
  try {
    const cdp = await stage.page.context().newCDPSession(stage.page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    // One warm-up open so both runs below find the same caches.
    await firstRows(stage.page, 'Big');
    let what: string;
    let frames = 0;
    if (SCROLL) {
      await expandCompleted(stage.page);
      await cdp.send('Profiler.start');
      const scroll = await scrollToEnd(stage.page, 600);
      frames = scroll.frames.length;
      what = `scrolled ${scroll.frames.length} frames: p50 ${pct(scroll.frames, 50).toFixed(0)} ms · p95 ${pct(scroll.frames, 95).toFixed(0)} ms, ${scroll.placeholderFrames} showing a row still loading`;
    } else if (TICK) {
      await expandCompleted(stage.page);
      await tick(stage.page);
      await cdp.send('Profiler.start');
      const moved: number[] = [];
      for (let i = 0; i < 10; i++) moved.push((await tick(stage.page)).moved);
      what = `10 ticks: row moved p50 ${pct(moved, 50).toFixed(0)} ms, max ${Math.max(...moved).toFixed(0)} ms`;
    } else if (NEW) {
      await newTask(stage.page, 'warm-up task');
      await cdp.send('Profiler.start');
      const shown: number[] = [];
      for (let i = 0; i < 10; i++) shown.push(await newTask(stage.page, `profiled task ${i}`));
      what = `10 new tasks: row shown p50 ${pct(shown, 50).toFixed(0)} ms, max ${Math.max(...shown).toFixed(0)} ms`;
    } else {
      const opened = await firstRows(stage.page, 'Big', async () => {
        await cdp.send('Profiler.start');
      });
      what = `first rows in ${opened.ms.toFixed(0)} ms`;
    }
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
    // The main thread's busy time (all but idle) per frame is steadier under load than frame times.
    const busy = total - (self.get('(idle) ') ?? 0);
    console.log(
      `${what}; profile spans ${total.toFixed(0)} ms, main thread busy ${busy.toFixed(0)} ms${frames ? ` = ${(busy / frames).toFixed(1)} ms per frame` : ''} (load ${(await fs.readFile('/proc/loadavg', 'utf8')).split(' ')[0]})`,
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

/**
 * `--trace-apply=FILE` (d2d and `--probe=apply`): where a carried page's apply transaction spends
 * its time, from a Chromium trace of the applying browser (every process: the renderer and the
 * browser process that runs IndexedDB's backend). The page marks each poke and each transaction's
 * open and complete (`performance.mark`, only while tracing); for every poke, its first
 * read-write transaction over `activities,meta,tasks` is the apply. Per apply, the work of the
 * renderer's main thread and of IndexedDB's backend thread within it, as wall time (tasks
 * running, including time the thread waited for a core) and as thread CPU time: a wall far above
 * the CPU says the apply waited for the machine, not for its own work.
 */
import fs from 'node:fs/promises';
import type { TraceEvent } from './trace-event';

/** `[poke, apply opened, apply complete]` (trace µs) of every carried page applied. */
function applies(events: TraceEvent[]): [number, number, number][] {
  const marks = events
    .filter((e) => e.cat === 'blink.user_timing')
    .sort((a, b) => a.ts - b.ts)
    .map((e) => [e.ts, e.name] as const);
  const out: [number, number, number][] = [];
  marks.forEach(([poke, name], i) => {
    if (name !== 'poke') return;
    let opened: number | null = null;
    for (const [ts, next] of marks.slice(i + 1)) {
      if (next === 'poke') return;
      if (opened === null && next === 'tx-open readwrite activities,meta,tasks') opened = ts;
      else if (opened !== null && next === 'tx-done readwrite activities,meta,tasks') {
        out.push([poke, opened, ts]);
        return;
      }
    }
  });
  return out;
}

/** Top-level tasks of each thread (µs), sorted by start. */
function tasks(events: TraceEvent[]): TraceEvent[] {
  return events
    .filter(
      (e) =>
        e.ph === 'X' &&
        (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'ThreadPool_RunTask') &&
        e.dur !== undefined &&
        e.dur > 0,
    )
    .sort((a, b) => a.ts - b.ts);
}

/** Wall and CPU time (µs) of `thread`'s tasks within [from, to], a task cut at the edges. */
function within(
  list: TraceEvent[],
  thread: (e: TraceEvent) => boolean,
  from: number,
  to: number,
): { wall: number; cpu: number } {
  let wall = 0;
  let cpu = 0;
  for (const e of list) {
    if (e.ts > to) break;
    const end = e.ts + e.dur!;
    if (end < from || !thread(e)) continue;
    const part = Math.min(end, to) - Math.max(e.ts, from);
    wall += part;
    cpu += ((e.tdur ?? 0) * part) / e.dur!;
  }
  return { wall, cpu };
}

async function read(file: string): Promise<TraceEvent[]> {
  const json = JSON.parse(await fs.readFile(file, 'utf8')) as
    TraceEvent[] | { traceEvents: TraceEvent[] };
  return Array.isArray(json) ? json : json.traceEvents;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

/**
 * The split of the traced applies (medians, ms), and with `otherFile` (the other browser's
 * trace, same clock) that browser's CPU time within each apply.
 */
export async function applySplit(file: string, otherFile?: string): Promise<string[]> {
  const events = await read(file);
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name')
      names.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  const main = (e: TraceEvent) => names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain';
  // IndexedDB's backend runs its transactions on a pool thread of the browser process.
  const backendThreads = new Set(
    events.filter((e) => e.name === 'Transaction::RunTasks').map((e) => `${e.pid}:${e.tid}`),
  );
  const backend = (e: TraceEvent) => backendThreads.has(`${e.pid}:${e.tid}`);
  const list = tasks(events);
  const other = otherFile ? tasks(await read(otherFile)) : null;
  const found = applies(events);
  const col = { apply: [] as number[], mw: [] as number[], mc: [] as number[] };
  const more = { bw: [] as number[], bc: [] as number[], oc: [] as number[] };
  for (const [, opened, done] of found) {
    const m = within(list, main, opened, done);
    const b = within(list, backend, opened, done);
    col.apply.push(done - opened);
    col.mw.push(m.wall);
    col.mc.push(m.cpu);
    more.bw.push(b.wall);
    more.bc.push(b.cpu);
    if (other) more.oc.push(within(other, () => true, opened, done).cpu);
  }
  const ms = (us: number) => (us / 1000).toFixed(2);
  return [
    `apply transactions traced: ${found.length}, open → complete p50 ${ms(median(col.apply))} ms`,
    `  renderer main thread within it: tasks ${ms(median(col.mw))} ms, CPU ${ms(median(col.mc))} ms`,
    `  IndexedDB backend thread within it: tasks ${ms(median(more.bw))} ms, CPU ${ms(median(more.bc))} ms`,
    ...(other
      ? [`  the other browser's CPU within it (all threads): ${ms(median(more.oc))} ms`]
      : []),
  ];
}

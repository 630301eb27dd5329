/**
 * `--trace-long=FILE` (with the initial syncs): what the renderer main thread's long tasks
 * (over 50 ms) of each initial sync contained, from a Chromium trace of the sync (timeline,
 * V8 GC, V8's sampling profiler, IndexedDB). The trace is streamed over CDP and only what the
 * summary reads is kept (the main thread's events of 0.5 ms or more, GC events, the samples);
 * FILE gets the long tasks' own events (DevTools can open it). Per long task: its wall time
 * beside the thread's CPU time within it (a wall far above the CPU is the thread waiting for a
 * core, not work), the events it ran (self time by name, e.g. `V8.GC_MARK_COMPACTOR`,
 * `FunctionCall`, `v8.deserializeValue` for a structured clone, `ParseHTML`), each GC in it
 * with its kind, and the JavaScript functions it sampled (self and inclusive, ms).
 */
import fs from 'node:fs/promises';
import type { Browser, CDPSession } from '@playwright/test';
import type { TraceEvent } from './trace-event';

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

// Light enough that the sync under trace is not much slower than without; the sampler (names
// the JavaScript, but slows the renderer) only with `samples`.
const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-v8.gc', 'IndexedDB'];
const SAMPLER = 'disabled-by-default-v8.cpu_profiler';

const LONG_US = 50_000;
const isTask = (e: TraceEvent) =>
  e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
const isGc = (e: TraceEvent) => /GC|Scavenge|MarkCompact|Sweep/i.test(e.name);

/** A trace of `browser` running while `measure` does. */
export async function traceLongTasks<T>(
  browser: Browser,
  file: string | undefined,
  measure: () => Promise<T>,
  withSamples = false,
): Promise<{ result: T; lines: string[] }> {
  if (!file) return { result: await measure(), lines: [] };
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const kept: TraceEvent[] = [];
  const threadNames = new Map<string, string>();
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const e of value as unknown as TraceEvent[]) {
      if (e.ph === 'M') {
        if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, String(e.args?.name));
        kept.push(e);
      } else if (e.name === 'Profile' || e.name === 'ProfileChunk') kept.push(e);
      else if (e.ph === 'X' && ((e.dur ?? 0) >= 500 || isGc(e))) kept.push(e);
      else if ((e.ph === 'B' || e.ph === 'E') && isGc(e)) kept.push(e);
    }
  });
  const complete = new Promise<void>((resolve) =>
    cdp.once('Tracing.tracingComplete', () => resolve()),
  );
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: withSamples ? [...CATEGORIES, SAMPLER] : CATEGORIES,
      recordMode: 'recordContinuously',
    },
  });
  const result = await measure();
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const lines = summarize(kept, threadNames);
  const longs = mainTasks(kept, mainThread(kept, threadNames)).filter((t) => t.dur! > LONG_US);
  const own = kept.filter(
    (e) =>
      e.ph === 'M' ||
      e.name === 'Profile' ||
      e.name === 'ProfileChunk' ||
      longs.some((t) => t.pid === e.pid && e.ts >= t.ts && e.ts <= t.ts + t.dur!),
  );
  await fs.writeFile(file, JSON.stringify({ traceEvents: own }));
  return { result, lines };
}

/**
 * Whether an event is on the traced page's main thread: of the renderers' main threads, the one
 * busiest in the trace (the trace holds every renderer; the other pages idle meanwhile).
 */
function mainThread(events: TraceEvent[], names: Map<string, string>): (e: TraceEvent) => boolean {
  const busy = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (isTask(e) && names.get(key) === 'CrRendererMain')
      busy.set(key, (busy.get(key) ?? 0) + e.dur!);
  }
  const main = [...busy].sort((a, b) => b[1] - a[1])[0]?.[0];
  return (e) => `${e.pid}:${e.tid}` === main;
}

/** The page's main-thread outermost tasks (a task nested in another is not counted). */
function mainTasks(events: TraceEvent[], isMain: (e: TraceEvent) => boolean): TraceEvent[] {
  const all = events
    .filter((e) => isTask(e) && isMain(e))
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const out: TraceEvent[] = [];
  for (const e of all) {
    const last = out.at(-1);
    if (last && e.ts < last.ts + last.dur!) continue;
    out.push(e);
  }
  return out;
}

/** Samples of the renderer's profiles: `[ts, node id]` and the nodes, per pid. */
function samples(events: TraceEvent[]) {
  const byId = new Map<
    string,
    { pid: number; t: number; nodes: Map<number, ProfileNode>; at: [number, number][] }
  >();
  for (const e of events.filter((x) => x.name === 'Profile' || x.name === 'ProfileChunk')) {
    const key = `${e.pid}:${e.id}`;
    const data = (e.args?.data ?? {}) as {
      startTime?: number;
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
    let p = byId.get(key);
    if (!p)
      byId.set(key, (p = { pid: e.pid, t: data.startTime ?? e.ts, nodes: new Map(), at: [] }));
    if (e.name === 'Profile') {
      p.t = data.startTime ?? p.t;
      continue;
    }
    for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
    const s = data.cpuProfile?.samples ?? [];
    const d = data.timeDeltas ?? [];
    s.forEach((id, i) => {
      p!.t += d[i] ?? 0;
      p!.at.push([p!.t, id]);
    });
  }
  return [...byId.values()];
}

function frameName(n: ProfileNode): string {
  const f = n.callFrame;
  const file = f.url ? f.url.split('/').pop()!.split('?')[0] : '';
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
}

function summarize(events: TraceEvent[], names: Map<string, string>): string[] {
  const isMain = mainThread(events, names);
  const all = mainTasks(events, isMain);
  const longs = all.filter((t) => t.dur! > LONG_US);
  const ms = (us: number) => (us / 1000).toFixed(1);
  const profiles = samples(events);
  const cpu = (e: TraceEvent) => e.tdur ?? e.dur!;
  const worst = (by: (e: TraceEvent) => number) =>
    all
      .map(by)
      .sort((a, b) => b - a)
      .slice(0, 5)
      .map(ms)
      .join(', ');
  const out: string[] = [
    `main-thread tasks: ${all.length} of 0.5 ms or more; over 50 ms: ${longs.length} by wall time, ${all.filter((e) => cpu(e) > LONG_US).length} by the thread's CPU time`,
    `  longest five by wall ${worst((e) => e.dur!)} ms; by CPU ${worst(cpu)} ms`,
  ];
  // Every major GC on the main thread (its pause, the heap before → after, why it ran) and the
  // heap the minor GCs left (what survived them: it grows until a major GC).
  const mib = (b: unknown) => (Number(b) / 2 ** 20).toFixed(0);
  const gcOf = (name: string) => events.filter((e) => e.name === name && e.ph === 'X' && isMain(e));
  for (const g of gcOf('MajorGC'))
    out.push(
      `  major GC: ${ms(g.dur!)} ms wall, ${ms(cpu(g))} ms CPU, heap ${mib(g.args?.usedHeapSizeBefore)} → ${mib(g.args?.usedHeapSizeAfter)} MiB (${String(g.args?.type)})`,
    );
  const minor = gcOf('MinorGC');
  if (minor.length)
    out.push(
      `  minor GCs: ${minor.length}, heap after them ${minor.map((g) => mib(g.args?.usedHeapSizeAfter)).join(' ')} MiB; over 50 ms wall ${minor.filter((g) => g.dur! > LONG_US).length}, CPU ${minor.filter((g) => cpu(g) > LONG_US).length}`,
    );
  // The longest five by wall time and the five that took the most CPU (long or not: what a
  // task costs when the thread has a core), in the order they ran.
  const shown = new Set([
    ...[...longs].sort((a, b) => b.dur! - a.dur!).slice(0, 5),
    ...[...all].sort((a, b) => cpu(b) - cpu(a)).slice(0, 5),
  ]);
  for (const t of all.filter((e) => shown.has(e))) {
    const end = t.ts + t.dur!;
    out.push(
      `- task ${ms(t.dur!)} ms wall, ${t.tdur !== undefined ? ms(t.tdur) : '?'} ms thread CPU, at +${ms(t.ts - all[0]!.ts)} ms`,
    );
    // Events inside it on the same thread: self time by name (nested X events).
    const inside = events
      .filter(
        (e) =>
          e !== t &&
          e.ph === 'X' &&
          e.pid === t.pid &&
          e.tid === t.tid &&
          e.ts >= t.ts &&
          e.ts < end,
      )
      .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const self = new Map<string, number>();
    const stack: TraceEvent[] = [];
    for (const e of inside) {
      while (stack.length && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
      const parent = stack.at(-1);
      if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur!);
      self.set(e.name, (self.get(e.name) ?? 0) + e.dur!);
      stack.push(e);
    }
    out.push(
      `    events (self ms, ≥ 0.5 ms events only): ${[...self]
        .filter(([, v]) => v >= 500)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([k, v]) => `${k} ${ms(v)}`)
        .join(', ')}`,
    );
    const calls = inside
      .filter(
        (e) => e.name === 'FunctionCall' || e.name === 'EventDispatch' || e.name === 'TimerFire',
      )
      .slice(0, 6)
      .map((e) => {
        const d = (e.args?.data ?? {}) as { functionName?: string; type?: string; url?: string };
        return `${e.name}${d.type ? `(${d.type})` : ''}${d.functionName ? ` ${d.functionName}` : ''} ${ms(e.dur!)}`;
      });
    if (calls.length) out.push(`    entry points: ${calls.join(', ')}`);
    const gcs = events.filter(
      (e) =>
        e.pid === t.pid && e.tid === t.tid && isGc(e) && e.ph === 'X' && e.ts >= t.ts && e.ts < end,
    );
    const gcTop = new Map<string, [number, number]>();
    for (const g of gcs) {
      const [n, d] = gcTop.get(g.name) ?? [0, 0];
      gcTop.set(g.name, [n + 1, d + g.dur!]);
    }
    if (gcTop.size)
      out.push(
        `    GC: ${[...gcTop]
          .sort((a, b) => b[1][1] - a[1][1])
          .slice(0, 8)
          .map(([k, [n, d]]) => `${k} ×${n} ${ms(d)}`)
          .join(', ')}`,
      );
    const heap = gcs
      .map(
        (g) =>
          g.args?.data as { usedHeapSizeBefore?: number; usedHeapSizeAfter?: number } | undefined,
      )
      .find((d) => d?.usedHeapSizeBefore);
    if (heap)
      out.push(
        `    heap ${(heap.usedHeapSizeBefore! / 2 ** 20).toFixed(0)} → ${((heap.usedHeapSizeAfter ?? 0) / 2 ** 20).toFixed(0)} MiB`,
      );
    // Sampled functions within it.
    const selfFn = new Map<string, number>();
    const inclFn = new Map<string, number>();
    let n = 0;
    for (const p of profiles.filter((x) => x.pid === t.pid)) {
      for (let i = 0; i < p.at.length; i++) {
        const [ts, id] = p.at[i]!;
        if (ts < t.ts || ts >= end) continue;
        const w = (p.at[i + 1]?.[0] ?? ts) - ts;
        n++;
        let node = p.nodes.get(id);
        if (!node) continue;
        selfFn.set(frameName(node), (selfFn.get(frameName(node)) ?? 0) + w);
        const seen = new Set<string>();
        while (node) {
          const k = frameName(node);
          if (!seen.has(k)) inclFn.set(k, (inclFn.get(k) ?? 0) + w);
          seen.add(k);
          node = node.parent !== undefined ? p.nodes.get(node.parent) : undefined;
        }
      }
    }
    const top = (m: Map<string, number>, k: number) =>
      [...m]
        .filter(([name]) => !/^\((root|program)\)$/.test(name.split(' ')[0]!) || m === selfFn)
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([name, v]) => `${name} ${ms(v)}`)
        .join(' · ');
    if (n) {
      out.push(`    samples: ${n}; self: ${top(selfFn, 8)}`);
      out.push(`    inclusive: ${top(inclFn, 10)}`);
    }
  }
  return out;
}

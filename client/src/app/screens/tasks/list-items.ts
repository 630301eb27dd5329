import type { Task, TaskStatus } from '@outpost/shared';
import { ROW_WINDOW } from '../../../data';

export type Item =
  | {
      kind: 'head';
      key: string;
      status: TaskStatus | 'results';
      count: number;
      /** A group's own heading (a project's, in the workspace search). */
      label?: string | undefined;
    }
  | { kind: 'task'; key: string; id: string; window: readonly string[] }
  /** A row whose id is not read yet (the section's count is known). */
  | { kind: 'pending'; key: string };

export interface Section {
  status: TaskStatus | 'results';
  /** A group of results under its own heading (a project, in the workspace search). */
  group?: { key: string; label: string };
  ids: readonly string[];
  /** Rows already read (a section's head), shown without waiting for their window. */
  rows?: readonly Task[];
  /** Shown count (a collapsed section still has its count). */
  count: number;
  collapsed?: boolean;
}

/** A task put in (`insert`) at `at`, or taken out from `at`: the items after it moved by one. */
interface Edit {
  insert: boolean;
  id: string;
  at: number;
}

/** Past this many edits over the map of positions, it is built again. */
const MAX_EDITS = 64;

/**
 * Every task's position in the items, as a map built once and the few insertions and removals
 * since (immutable: each version shares the map with the one before, so an add to a list of
 * 10,000 does not build a map of 10,000 positions again).
 */
class Positions {
  constructor(
    readonly base: ReadonlyMap<string, number>,
    readonly edits: readonly Edit[],
    /** A task listed twice (in two sections at once): the last place counts; never patched. */
    readonly twice = false,
  ) {}

  static of(items: readonly Item[]): Positions {
    const map = new Map<string, number>();
    let tasks = 0;
    items.forEach((it, i) => it.kind === 'task' && (tasks++, map.set(it.id, i)));
    return new Positions(map, [], tasks !== map.size);
  }

  get(id: string): number {
    let at = this.base.get(id) ?? -1;
    for (const e of this.edits) {
      if (e.id === id) at = e.insert ? e.at : -1;
      else if (at >= 0 && (e.insert ? at >= e.at : at > e.at)) at += e.insert ? 1 : -1;
    }
    return at;
  }
}

/** The rows of a list of sections, as the virtualized list lays them out. */
export interface ListItems {
  readonly items: readonly Item[];
  /** Where the section headings are (a few). */
  readonly heads: readonly number[];
  /** A task's position among the items (-1 when not listed). */
  indexOf(id: string): number;
}

interface Built extends ListItems {
  readonly sections: readonly Section[];
  /** Each section's heading's position (-1: the section is not shown). */
  readonly starts: readonly number[];
  readonly positions: Positions;
}

function windows(ids: readonly string[]): (readonly string[])[] {
  const out: (readonly string[])[] = [];
  for (let i = 0; i < ids.length; i += ROW_WINDOW) out.push(ids.slice(i, i + ROW_WINDOW));
  return out;
}

const shown = (s: Section) => s.status === 'results' || s.count > 0;
const headOf = (s: Section): Item => {
  const key = s.group?.key ?? s.status;
  return {
    kind: 'head',
    key: `head:${key}`,
    status: s.status,
    count: s.count,
    label: s.group?.label,
  };
};

function built(
  items: readonly Item[],
  sections: readonly Section[],
  starts: readonly number[],
  positions: Positions,
): Built {
  return {
    items,
    sections,
    starts,
    positions,
    heads: starts.filter((s) => s >= 0),
    indexOf: (id) => positions.get(id),
  };
}

function build(sections: readonly Section[]): Built {
  const out: Item[] = [];
  const starts: number[] = [];
  for (const s of sections) {
    if (!shown(s)) {
      starts.push(-1);
      continue;
    }
    starts.push(out.length);
    out.push(headOf(s));
    if (s.collapsed) continue;
    const key = s.group?.key ?? s.status;
    const w = windows(s.ids);
    s.ids.forEach((id, i) =>
      out.push({ kind: 'task', key: id, id, window: w[Math.floor(i / ROW_WINDOW)]! }),
    );
    for (let i = s.ids.length; i < s.count; i++) out.push({ kind: 'pending', key: `${key}:${i}` });
  }
  return built(out, sections, starts, Positions.of(out));
}

/** `next` is `prev` with one id put in or taken out: which, and where; null when it is not. */
function oneEdit(
  prev: readonly string[],
  next: readonly string[],
): { insert: boolean; id: string; k: number } | 'same' | null {
  const insert = next.length === prev.length + 1;
  if (!insert && next.length !== prev.length - 1) {
    if (next.length !== prev.length) return null;
    for (let i = 0; i < next.length; i++) if (next[i] !== prev[i]) return null;
    return 'same';
  }
  const [long, short] = insert ? [next, prev] : [prev, next];
  let k = 0;
  while (k < short.length && short[k] === long[k]) k++;
  for (let i = k; i < short.length; i++) if (short[i] !== long[i + 1]) return null;
  return { insert, id: long[k]!, k };
}

/**
 * The list's items for `sections`: patched from `prev` (the items for the sections before)
 * when each section changed by one task put in or taken out (an add, a tick, a delete — the
 * other items and the map of positions are kept, the array copied once), else built again.
 * A task put in is read in a window of its own (the windows of the rows around it stay as
 * they were read).
 */
export function listItems(prev: ListItems | null, sections: readonly Section[]): ListItems {
  const was = prev as Built | null;
  if (!was || was.sections === sections) return was ?? build(sections);
  if (was.sections.length !== sections.length || was.positions.twice) return build(sections);
  let items: Item[] | null = null;
  const edits = [...was.positions.edits];
  // (the edits so far: pushed to as the sections are gone through)
  const positions = new Positions(was.positions.base, edits);
  const starts: number[] = [];
  let shift = 0;
  for (let i = 0; i < sections.length; i++) {
    const p = was.sections[i]!;
    const s = sections[i]!;
    const start = was.starts[i]! < 0 ? -1 : was.starts[i]! + shift;
    starts.push(start);
    if (p === s) continue;
    if (
      p.status !== s.status ||
      p.group?.key !== s.group?.key ||
      p.group?.label !== s.group?.label ||
      !p.collapsed !== !s.collapsed ||
      shown(p) !== shown(s) ||
      p.rows !== undefined ||
      s.rows !== undefined
    )
      return build(sections);
    if (!shown(s)) continue;
    // Rows still loading (placeholders) are laid out again.
    if (!s.collapsed && (p.count !== p.ids.length || s.count !== s.ids.length))
      return build(sections);
    if (p.count !== s.count) (items ??= [...was.items])[start] = headOf(s);
    if (s.collapsed || p.ids === s.ids) continue;
    const edit = oneEdit(p.ids, s.ids);
    if (edit === null) return build(sections);
    if (edit === 'same') continue;
    const at = start + 1 + edit.k;
    // A task put in while listed elsewhere, or taken out of one of two places: built again.
    if (positions.get(edit.id) !== (edit.insert ? -1 : at)) return build(sections);
    items ??= [...was.items];
    if (edit.insert) {
      items.splice(at, 0, { kind: 'task', key: edit.id, id: edit.id, window: [edit.id] });
      shift++;
    } else {
      items.splice(at, 1);
      shift--;
    }
    edits.push({ insert: edit.insert, id: edit.id, at });
  }
  const next = items ?? was.items;
  return built(next, sections, starts, edits.length > MAX_EDITS ? Positions.of(next) : positions);
}

/** Whether `a` and `b` are built on the same map of positions (for tests). */
export function sharesPositions(a: ListItems, b: ListItems): boolean {
  return (a as Built).positions.base === (b as Built).positions.base;
}

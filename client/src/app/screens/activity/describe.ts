import type { Activity, FieldChange } from '@outpost/shared';
import { conflictLine, fieldLabel } from '../../ui/conflict-text';
import { carriedName } from '../../../data';
import { dayLabel as writeDay, STATUS_LABEL } from '../../ui/format';

/** What the feed can tell about ids it meets: live rows from the mirror, else names seen in activities. */
export interface Lookup {
  name(id: string): string | null;
  /** The reader's own user id: their actions and values read "You" / "you". */
  me?: string | undefined;
  /** The project a task belongs (or belonged) to, if known. */
  projectOf(taskId: string): string | null;
  /** Where a project or task that is still here opens (an href); null when it is gone. */
  open?(entity: 'task' | 'project', id: string): string | null;
}

const STATUS: Record<string, string> = {
  ...STATUS_LABEL,
  active: 'Active',
  archived: 'Archived',
};

/** A calendar date (`YYYY-MM-DD`) as the device writes it, with its year: "Dec 3, 2026". */
export function readableDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return writeDay(new Date(y, m - 1, d), { weekday: false, year: true });
}

/** A field's value in words: status labels, readable dates, names for ids, short text. */
export function humanValue(field: string, v: unknown, lookup: Lookup): string {
  if (v === null || v === undefined || v === '') return field.endsWith('Id') ? 'nobody' : 'empty';
  if (typeof v === 'string') {
    if (field === 'status' || field === 'role')
      return STATUS[v] ?? v.charAt(0).toUpperCase() + v.slice(1);
    if (field.endsWith('Id'))
      return v === lookup.me ? 'you' : (lookup.name(v) ?? 'an unknown item');
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return readableDate(v);
    return `“${v.length > 80 ? `${v.slice(0, 79)}…` : v}”`;
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return JSON.stringify(v);
}

/** "status: To do → Done" — one changed field of an update or create. */
export function describeChange(c: FieldChange, lookup: Lookup): string {
  const to = humanValue(c.field, c.to, lookup);
  return c.from !== undefined
    ? `${fieldLabel(c.field)}: ${humanValue(c.field, c.from, lookup)} → ${to}`
    : `${fieldLabel(c.field)}: ${to}`;
}

/**
 * A conflict's line per field, in the words the inspector and notices use (`conflictLine`):
 * whose value was kept and whose was lost, values in words.
 */
export function describeConflict(c: FieldChange, lookup: Lookup, deleted: boolean): string {
  const line = conflictLine(
    c,
    {
      // A side with no user is a server stamp (a REST write): the server cannot tell who.
      user: (id) => (!id ? 'someone' : id === lookup.me ? 'you' : (lookup.name(id) ?? 'someone')),
      // A value is named as it is: "your Ana" would read oddly as "your you".
      value: (field, v) => humanValue(field, v, { ...lookup, me: undefined }),
    },
    deleted,
  );
  return line.charAt(0).toUpperCase() + line.slice(1);
}

/** Names and projects learnt from the activities themselves, newest last so it wins. */
export function learn(activities: readonly Activity[]): {
  names: Map<string, string>;
  projects: Map<string, string>;
} {
  const names = new Map<string, string>();
  const projects = new Map<string, string>();
  for (const a of [...activities].reverse()) {
    if (!a.entityId) continue;
    const name = carriedName(a);
    if (name) names.set(a.entityId, name);
    const p = a.changes.find((c) => c.field === 'projectId')?.to;
    if (a.entity === 'task' && typeof p === 'string') projects.set(a.entityId, p);
  }
  return { names, projects };
}

export type Kind = 'all' | 'create' | 'update' | 'delete' | 'conflict' | 'problem';

export const KINDS: { value: Kind; label: string }[] = [
  { value: 'all', label: 'Everything' },
  { value: 'create', label: 'Created' },
  { value: 'update', label: 'Changed' },
  { value: 'delete', label: 'Deleted' },
  { value: 'conflict', label: 'Conflicts' },
  { value: 'problem', label: 'Refused' },
];

export interface Filter {
  projectId: string;
  personId: string;
  kind: Kind;
}

export const NO_FILTER: Filter = { projectId: '', personId: '', kind: 'all' };

export function isFiltered(f: Filter): boolean {
  return f.projectId !== '' || f.personId !== '' || f.kind !== 'all';
}

/**
 * The project an activity is about: itself, or its task's project — the one the activity put
 * the task in when it says (a create, a move), else the task's project now. A task created in
 * Launch and moved to Side since reads "created … in Launch", and Launch's filter finds it.
 */
export function projectOf(a: Activity, lookup: Lookup): string | null {
  if (!a.entityId) return null;
  if (a.entity === 'project') return a.entityId;
  if (a.entity !== 'task') return null;
  const put = a.changes.find((c) => c.field === 'projectId')?.to;
  return typeof put === 'string' ? put : lookup.projectOf(a.entityId);
}

export function matches(a: Activity, f: Filter, lookup: Lookup): boolean {
  if (f.personId && a.actorId !== f.personId) return false;
  if (f.projectId && projectOf(a, lookup) !== f.projectId) return false;
  if (f.kind === 'all') return true;
  if (f.kind === 'problem') return a.action === 'rejected' || a.action === 'access-denied';
  return a.action === f.kind;
}

/** Local calendar day of a timestamp, as a sortable key. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** "Today", "Yesterday", else "Monday, November 23" (its year too when not this one). */
export function dayLabel(key: string, now: Date = new Date()): string {
  if (key === dayKey(now.toISOString())) return 'Today';
  const y = new Date(now);
  y.setDate(y.getDate() - 1);
  if (key === dayKey(y.toISOString())) return 'Yesterday';
  const [yy, m, d] = key.split('-').map(Number) as [number, number, number];
  return writeDay(new Date(yy, m - 1, d), {
    weekday: true,
    year: yy !== now.getFullYear(),
    long: true,
  });
}

/** Newest first, grouped by local day. */
export function groupByDay(activities: readonly Activity[]): { day: string; items: Activity[] }[] {
  const groups: { day: string; items: Activity[] }[] = [];
  for (const a of activities) {
    const day = dayKey(a.createdAt);
    const last = groups.at(-1);
    if (last?.day === day) last.items.push(a);
    else groups.push({ day, items: [a] });
  }
  return groups;
}

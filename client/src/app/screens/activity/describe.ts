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

/** "status: To do → Completed" — one changed field of an update or create. */
export function describeChange(c: FieldChange, lookup: Lookup): string {
  const to = humanValue(c.field, c.to, lookup);
  return c.from !== undefined
    ? `${fieldLabel(c.field)}: ${humanValue(c.field, c.from, lookup)} → ${to}`
    : `${fieldLabel(c.field)}: ${to}`;
}

/** Who did it: "You" for the reader's own actions (the person filter's "… (you)"). */
export function actorName(a: Activity, lookup: Lookup): string {
  if (!a.actorId) return 'The system';
  return a.actorId === lookup.me ? 'You' : (lookup.name(a.actorId) ?? 'Someone');
}

/** Who a sentence starts with: the actor, or for a member who joined, the member. */
export function actorOf(a: Activity, lookup: Lookup): string {
  if (describeActivity(a, lookup)?.alone !== true) return actorName(a, lookup);
  return a.entityId === lookup.me ? 'You' : (rowName(a, lookup) ?? actorName(a, lookup));
}

/** The row's name: live from the mirror, else the one the activity carries. */
export function rowName(a: Activity, lookup: Lookup): string | null {
  return (a.entityId ? lookup.name(a.entityId) : null) ?? carriedName(a);
}

/**
 * What a create, update or delete did, as a person would say it after the actor's name:
 * `{verb} {subject}{tail}` — "completed “X”", "assigned “X” to Bo", "unassigned Bo from “X”".
 * The subject is the row (“X” for a task, "the project “X”", a member's name); `name` replaces
 * its name where the sentence needs the old one (a rename). Fields the sentence does not say
 * are `rest`, listed below it ("due date: empty → Dec 3, 2026").
 */
export interface Sentence {
  verb: string;
  /** Says no subject: "Bo joined the team". */
  alone?: true;
  /** The row's name as the sentence needs it (a rename: the old one); else its name now. */
  name?: string;
  tail: string;
  rest: FieldChange[];
}

/** A member's name in a sentence: "you" for the reader, else their name, else "a member". */
function person(id: unknown, lookup: Lookup): string {
  if (typeof id !== 'string') return 'nobody';
  return id === lookup.me ? 'you' : (lookup.name(id) ?? 'a member');
}

/** "Fri, Dec 5", with its year when not the year it was said in. */
function dueDay(iso: string, said: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return writeDay(new Date(y, m - 1, d), {
    weekday: true,
    year: y !== new Date(said).getFullYear(),
  });
}

const ARTICLE_ROLE: Record<string, string> = {
  admin: 'an admin',
  manager: 'a manager',
  member: 'a member',
};
const role = (v: unknown) => (typeof v === 'string' ? (ARTICLE_ROLE[v] ?? `a ${v}`) : 'a member');

/** Which changed field an update's sentence is about, most telling first. */
const LEAD: Record<string, readonly string[]> = {
  task: ['status', 'assigneeId', 'projectId', 'title', 'dueDate', 'notes'],
  project: ['status', 'name', 'ownerId', 'description'],
  user: ['role', 'name', 'email'],
};

/** One changed field as a sentence, or null for a field with no words of its own. */
function fieldSentence(a: Activity, c: FieldChange, lookup: Lookup): Omit<Sentence, 'rest'> | null {
  const task = a.entity === 'task';
  switch (`${a.entity}.${c.field}`) {
    case 'task.status':
      if (c.to === 'done') return { verb: 'completed', tail: '' };
      if (c.from === 'done') return { verb: 'reopened', tail: '' };
      if (c.to === 'doing') return { verb: 'started', tail: '' };
      return { verb: 'moved', tail: ` back to ${humanValue('status', c.to, lookup)}` };
    case 'task.assigneeId':
      if (typeof c.to === 'string')
        return c.to === a.actorId
          ? { verb: 'took', tail: '' }
          : { verb: 'assigned', tail: ` to ${person(c.to, lookup)}` };
      return typeof c.from === 'string'
        ? { verb: `unassigned ${person(c.from, lookup)} from`, tail: '' }
        : { verb: 'unassigned', tail: '' };
    case 'task.projectId': {
      const to = typeof c.to === 'string' ? lookup.name(c.to) : null;
      return { verb: 'moved', tail: to ? ` to ${to}` : ' to another project' };
    }
    case 'task.title':
    case 'project.name':
      return typeof c.from === 'string' && typeof c.to === 'string'
        ? { verb: 'renamed', name: c.from, tail: ` to “${c.to}”` }
        : null;
    case 'task.dueDate':
      if (typeof c.to !== 'string') return { verb: 'cleared the due date of', tail: '' };
      return {
        verb: typeof c.from === 'string' ? 'moved the due date of' : 'set the due date of',
        tail: ` to ${dueDay(c.to, a.createdAt)}`,
      };
    case 'task.notes':
    case 'project.description':
      return { verb: `edited the ${task ? 'notes' : 'description'} of`, tail: '' };
    case 'project.status':
      if (c.to === 'archived') return { verb: 'archived', tail: '' };
      if (c.from === 'archived') return { verb: 'unarchived', tail: '' };
      return null;
    case 'project.ownerId':
      return { verb: `made ${person(c.to, lookup)} the owner of`, tail: '' };
    case 'user.role':
      return { verb: 'made', tail: ` ${role(c.to)}` };
    case 'user.name':
      return typeof c.from === 'string' && typeof c.to === 'string'
        ? { verb: 'renamed', name: c.from, tail: ` to ${c.to}` }
        : null;
    case 'user.email':
      return { verb: 'gave', tail: ` the email ${humanValue('email', c.to, lookup)}` };
    default:
      return null;
  }
}

/**
 * The sentence of a create, update or delete (null for other actions, which say themselves):
 * a completion reads "completed", a create names its assignee and due date, a project's archive
 * reads "archived", so none falls to a generic "changed".
 */
export function describeActivity(a: Activity, lookup: Lookup): Sentence | null {
  if (a.action === 'create') {
    const to = (field: string) => a.changes.find((c) => c.field === field)?.to;
    if (a.entity === 'task') {
      const assignee = to('assigneeId');
      const due = to('dueDate');
      const done = to('status') === 'done';
      return {
        verb: 'added',
        tail:
          (typeof assignee === 'string' ? ` for ${person(assignee, lookup)}` : '') +
          (typeof due === 'string' ? `, due ${dueDay(due, a.createdAt)}` : '') +
          (done ? ', already completed' : ''),
        rest: [],
      };
    }
    if (a.entity === 'user')
      // A member's first sign-in (or the identity provider) creates their row: they joined.
      return a.reason === 'first sign-in' || a.actorId === a.entityId
        ? { verb: 'joined the team', alone: true, tail: '', rest: [] }
        : { verb: 'invited', tail: ` as ${role(to('role'))}`, rest: [] };
    return { verb: 'created', tail: '', rest: [] };
  }
  if (a.action === 'delete')
    return a.entity === 'user'
      ? { verb: 'removed', tail: ' from the team', rest: [] }
      : { verb: 'deleted', tail: '', rest: [] };
  if (a.action !== 'update') return null;
  for (const field of LEAD[a.entity] ?? []) {
    const c = a.changes.find((x) => x.field === field);
    const said = c && fieldSentence(a, c, lookup);
    if (said) return { ...said, rest: a.changes.filter((x) => x !== c) };
  }
  return { verb: 'changed', tail: '', rest: a.changes };
}

/** The row as a sentence names it in plain text: “X” (a task), the project “X”, Bo (a member). */
export function subjectText(a: Activity, lookup: Lookup, name: string | null): string {
  if (a.entity === 'user') {
    if (a.entityId !== null && a.entityId === a.actorId)
      return a.entityId === lookup.me ? 'yourself' : 'themselves';
    return a.entityId === lookup.me ? 'you' : (name ?? 'a member');
  }
  if (!name) return `a ${a.entity === 'project' ? 'project' : a.entity}`;
  return a.entity === 'task' ? `“${name}”` : `the ${a.entity} “${name}”`;
}

/** A create, update or delete in one plain line: "Ana completed “Book venue”". */
export function activityText(a: Activity, lookup: Lookup): string | null {
  const s = describeActivity(a, lookup);
  if (!s) return null;
  if (s.alone) return `${actorOf(a, lookup)} ${s.verb}`;
  return `${actorName(a, lookup)} ${s.verb} ${subjectText(a, lookup, s.name ?? rowName(a, lookup))}${s.tail}`;
}

/**
 * A task's create, update or delete as its own History says it, the task implied: the feed's
 * sentence with "this task" or "it" for its name ("You completed this task", "Ana assigned it
 * to you", "You set its due date to Fri, Dec 5"); a rename names the old title. Fields the
 * sentence does not say follow it: "Ana completed this task · notes: “…”".
 */
export function historyText(a: Activity, lookup: Lookup): string | null {
  const s = describeActivity(a, lookup);
  if (!s) return null;
  const who = actorName(a, lookup);
  const rest = (changes: readonly FieldChange[]) =>
    changes.map((c) => describeChange(c, lookup)).join(', ');
  // No sentence of its own: say what changed, as the feed lists it under "changed".
  if (s.verb === 'changed' && s.rest.length > 0) {
    const [first, ...more] = s.rest as [FieldChange, ...FieldChange[]];
    const to = humanValue(first.field, first.to, lookup);
    const from =
      first.from !== undefined ? ` from ${humanValue(first.field, first.from, lookup)}` : '';
    const others = rest(more);
    return `${who} changed the ${fieldLabel(first.field)}${from} to ${to}${others ? ` · ${others}` : ''}`;
  }
  const its = /^(.*) the (due date|notes) of$/.exec(s.verb);
  const said = its
    ? `${its[1]} its ${its[2]}`
    : `${s.verb} ${s.name !== undefined ? `“${s.name}”` : IT.has(s.verb) && s.tail ? 'it' : 'this task'}`;
  const others = rest(s.rest);
  return `${who} ${said}${s.tail}${others ? ` · ${others}` : ''}`;
}

/** Verbs whose sentence goes on after the task, where "it" reads better: "assigned it to Bo". */
const IT: ReadonlySet<string> = new Set(['assigned', 'moved']);

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

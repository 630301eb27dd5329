import {
  sameValue,
  writerSchema,
  type Activity,
  type Mutation,
  type Writer,
} from '@outpost/shared';
import type { ConflictDetail, Notice } from '@outpost/sync';
import { z } from 'zod/mini';
import { reasonIds, reasonText } from '../ui/reason-text';
import { STATUS_LABEL, andList, sentenceCase } from '../ui/format';
import { count } from '../ui/count';

/**
 * Every notice's words, from the facts the engine put in its `detail` (the engine raises
 * notices without text so its bundle carries none: `sync/notice-drafts.ts`).
 */

/** A `conflict` notice's detail, parsed (it may come from another tab's engine version). */
export const conflictDetailSchema = z.object({
  activityId: z.string(),
  version: z.optional(z.number()),
  entity: z.string(),
  entityId: z.string(),
  field: z.string(),
  mine: z.unknown(),
  theirs: z.optional(z.unknown()),
  deleted: z.boolean(),
  winner: z.nullable(writerSchema),
  at: z.string(),
}) satisfies z.ZodMiniType<ConflictDetail>;

/**
 * The field holds the lost value again on this device — a teammate set it back, or it was typed
 * again here (`row`: the row now, null when not here, undefined while read): the notice no
 * longer says what is true, and "Use mine" would change nothing. A lost-to-delete one never is.
 */
export function holdsLostValue(
  d: Pick<ConflictDetail, 'field' | 'mine' | 'deleted'>,
  row: object | null | undefined,
): boolean {
  if (d.deleted || !row) return false;
  const now = (row as Record<string, unknown>)[d.field];
  // An empty value travels as null or is absent; either is the same empty.
  return sameValue(now ?? null, d.mine ?? null);
}

/**
 * The field's value here when it is neither the lost value nor the one that won — someone wrote
 * a third since (`row` as for `holdsLostValue`): the notice must not go on claiming the winner's
 * value is there. Null while it holds either of them (or is not read, or the row is gone).
 */
export function changedSince(
  d: Pick<ConflictDetail, 'field' | 'mine' | 'theirs' | 'deleted'>,
  row: object | null | undefined,
): { now: unknown } | null {
  if (d.deleted || !row) return null;
  const now = (row as Record<string, unknown>)[d.field] ?? null;
  if (sameValue(now, d.mine ?? null) || sameValue(now, d.theirs ?? null)) return null;
  return { now };
}

/**
 * What a row's delete took of the edits made here (`lost`, its conflicts lost to that delete):
 * each field once, with the last value written to it here, and not at all when that value is
 * the one the row held when it was deleted — a tick then its undo, offline, changed nothing, so
 * nothing was lost. The value it held is read from the row's history here (`history`: its
 * activities, the last create or update that set the field before its delete); a field whose
 * value is not known here (its history past the window kept) is said, as before.
 */
export function netLostToDelete(
  lost: readonly ConflictDetail[],
  history: readonly Pick<Activity, 'action' | 'version' | 'changes'>[],
): ConflictDetail[] {
  const last = new Map<string, ConflictDetail>();
  for (const c of lost) last.set(c.field, c);
  const gone = history.find((a) => a.action === 'delete');
  const held = (field: string): { value: unknown } | null => {
    let at = -1;
    let value: { value: unknown } | null = null;
    for (const a of history) {
      if (a.action !== 'create' && a.action !== 'update') continue;
      if ((gone && a.version > gone.version) || a.version <= at) continue;
      const ch = a.changes.find((x) => x.field === field && 'to' in x);
      if (!ch) continue;
      at = a.version;
      value = { value: ch.to };
    }
    return value;
  };
  return [...last.values()].filter((c) => {
    if (!c.deleted) return true;
    const before = held(c.field);
    return before === null || !sameValue(before.value ?? null, c.mine ?? null);
  });
}

/**
 * The conflict notices one delete caused (one per field of the row edited here): the first of
 * a row's maps to the others (with their details), each other maps to null (said by the first).
 */
export function groupLostToDelete(
  notices: readonly Notice[],
): Map<string, { id: string; detail: ConflictDetail }[] | null> {
  const groups = new Map<string, { id: string; detail: ConflictDetail }[] | null>();
  const firstOf = new Map<string, { id: string; detail: ConflictDetail }[]>();
  for (const n of notices) {
    if (n.kind !== 'conflict') continue;
    const c = conflictDetailSchema.safeParse(n.detail);
    if (!c.success || !c.data.deleted) continue;
    const row = `${c.data.entity}:${c.data.entityId}:${c.data.winner?.userId ?? ''}`;
    const others = firstOf.get(row);
    if (others) {
      others.push({ id: n.id, detail: c.data });
      groups.set(n.id, null);
    } else {
      const mine: { id: string; detail: ConflictDetail }[] = [];
      firstOf.set(row, mine);
      groups.set(n.id, mine);
    }
  }
  return groups;
}

/**
 * The conflict notice's words about the side that won, as the device whose value lost reads
 * them: `me` is the reader's user id, `winnerName` the winner's name when this device knows it.
 * The reader's own write from another device (or through the API) is not "theirs": the
 * buttons say which copy each keeps.
 */
export function conflictWinnerWords(
  d: Pick<ConflictDetail, 'winner'>,
  me: string,
  winnerName: string | null,
): { byWhom: string; whose: string | null; how: string; useMine: string; keepTheirs: string } {
  // A write through the REST API names no device (clientId null); its person is named (a
  // REST write stored before REST stamps named their writer is nobody's: "someone").
  const viaApi = d.winner?.clientId === null;
  const mine = d.winner !== null && d.winner.userId === me;
  const whose = mine
    ? viaApi
      ? 'your'
      : 'your other device\u2019s'
    : winnerName
      ? `${winnerName}\u2019s`
      : null;
  return {
    byWhom: mine
      ? viaApi
        ? 'you, through the API,'
        : 'you, on another device,'
      : (winnerName ?? (viaApi ? 'someone, through the API,' : 'someone')),
    whose,
    how: viaApi ? 'written through the API' : whose ? 'edited' : 'written elsewhere',
    useMine: mine ? 'Use this device\u2019s' : 'Use mine',
    keepTheirs: mine
      ? viaApi
        ? 'Keep the API edit'
        : 'Keep the other device\u2019s'
      : 'Keep theirs',
  };
}

/**
 * The restore button of a conflict the reader's own write lost, as the sync inspector shows it
 * on any of the reader's devices (`here` is this device's client id): on the device that lost,
 * the notice's own words (`conflictWinnerWords`); elsewhere, when both values are the reader's,
 * which copy it brings back ("Use the other device's", "Use the API edit").
 */
export function conflictRestoreWords(
  c: { winner?: Writer | null; loser?: Writer | null },
  me: string,
  here: string,
): string {
  const winner = c.winner ?? null;
  const loser = c.loser ?? null;
  if (loser?.clientId === here || winner?.userId !== me)
    return conflictWinnerWords({ winner }, me, null).useMine;
  return loser?.clientId === null ? 'Use the API edit' : 'Use the other device\u2019s';
}

/** "creating a task", "editing a project", "deleting the task “Plan”" (given its name). */
export function describeMutation(type: Mutation['type'], subject: string | null = null): string {
  const [entity, kind] = type.split('.');
  const verb = kind === 'create' ? 'creating' : kind === 'update' ? 'editing' : 'deleting';
  return subject === null ? `${verb} a ${entity}` : `${verb} the ${entity} “${subject}”`;
}

/** What a mutation's row is called: the title or name it writes, else the row's known name. */
function mutationSubject(m: Partial<Mutation>, name: (id: string) => string | null): string | null {
  const fields = 'fields' in m && typeof m.fields === 'object' ? (m.fields as Detail) : {};
  const own = str(fields, 'title') ?? str(fields, 'name');
  if (own) return own;
  return typeof m.entityId === 'string' ? name(m.entityId) : null;
}

/** The row ids a notice mentions (its mutation's row, those in its reason), to name them. */
export function noticeIds(n: Pick<Notice, 'kind' | 'detail'>): string[] {
  if (n.kind !== 'rejected' || typeof n.detail !== 'object' || n.detail === null) return [];
  const d = n.detail as Detail;
  const m = d.mutation as Partial<Mutation> | undefined;
  const reason = str(d, 'reason');
  return [
    ...(typeof m?.entityId === 'string' ? [m.entityId] : []),
    ...(reason ? reasonIds(reason) : []),
  ];
}

/**
 * The write a `rejected` notice refused: its row and the fields it wrote (from our push's
 * mutation, else the pulled audit entry's changes; null when neither says). Null for any
 * other notice.
 */
export function refusedWrite(
  n: Pick<Notice, 'kind' | 'detail'>,
): { row: string; fields: string[] | null } | null {
  if (n.kind !== 'rejected' || typeof n.detail !== 'object' || n.detail === null) return null;
  const d = n.detail as Detail;
  const m = d.mutation as Partial<Mutation> | undefined;
  const row = typeof m?.entityId === 'string' ? m.entityId : str(d, 'entityId');
  if (row === null) return null;
  const written =
    m && 'fields' in m && typeof m.fields === 'object' && m.fields !== null
      ? Object.keys(m.fields)
      : Array.isArray(d.changes)
        ? (d.changes as unknown[]).flatMap((c) =>
            typeof c === 'object' && c !== null && typeof (c as Detail).field === 'string'
              ? [(c as Detail).field as string]
              : [],
          )
        : [];
  return { row, fields: written.length > 0 ? written : null };
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The detail's fields, read defensively: another tab may run another engine version. */
type Detail = Record<string, unknown>;
const num = (d: Detail, k: string) => (typeof d[k] === 'number' ? d[k] : 0);
const str = (d: Detail, k: string) => (typeof d[k] === 'string' ? d[k] : null);

/**
 * A notice in words. `name` gives the names of rows this device knows (by id), so a refused
 * change says which task and a reason names rows instead of showing their ids; `me` (the
 * reader's user id) is "you" in a reason.
 */
export function noticeText(
  n: Pick<Notice, 'kind' | 'detail'>,
  name: (id: string) => string | null = () => null,
  me: string | null = null,
): string {
  const d: Detail = typeof n.detail === 'object' && n.detail !== null ? (n.detail as Detail) : {};
  switch (n.kind) {
    case 'rejected': {
      // Our push's answer carries the mutation; a pulled audit entry names the entity.
      const m = d.mutation as Partial<Mutation> | undefined;
      const what =
        typeof m?.type === 'string'
          ? describeMutation(m.type, mutationSubject(m, name))
          : `a change to a ${str(d, 'entity') ?? 'row'}`;
      const reason = str(d, 'reason');
      return `The server refused ${what}: ${reason === null ? 'no reason given' : reasonText(reason, name, me)}. The change was undone.`;
    }
    case 'evicted': {
      if ('keptChanges' in d) {
        const kept = num(d, 'keptChanges');
        return `This device\u2019s offline data was older than the server\u2019s record of it (restored or partly cleared). It is being downloaded again.${kept > 0 ? ` ${kept} unsent change${plural(kept, ' is', 's are')} kept and will be sent.` : ''} Changes made on this device after that copy was taken and never sent cannot be recovered.`;
      }
      // Not known (a detail that lost its count): never "nothing was lost".
      if (typeof d['lostChanges'] !== 'number')
        return 'This browser cleared Outpost\u2019s offline data. Everything was downloaded again from the server, but changes made on this device that had not been sent yet may have been lost.';
      const lost = num(d, 'lostChanges');
      return lost > 0
        ? `This browser cleared Outpost\u2019s offline data. Everything was downloaded again from the server, but ${lost} change${plural(lost, '', 's')} made on this device that had not been sent yet ${plural(lost, 'was', 'were')} lost.`
        : 'This browser cleared Outpost\u2019s offline data. Everything was downloaded again from the server; no unsent changes were lost.';
    }
    case 'sync-blocked':
      return 'The server has not received some of this device\u2019s earlier changes (it may have been restored from a backup). Sending is paused so nothing is applied out of order.';
    case 'resynced': {
      const removed = num(d, 'removed');
      const kept = num(d, 'keptChanges');
      return (
        `This device was away longer than the server keeps deletions, so it downloaded the workspace again${removed > 0 ? `: ${removed} item${plural(removed, '', 's')} deleted elsewhere meanwhile ${plural(removed, 'was', 'were')} removed here` : ''}. ` +
        `Nothing unsent was lost${kept > 0 ? `: ${kept} change${plural(kept, '', 's')} made here will still be sent` : ''}.`
      );
    }
    case 'update-required':
      // The server's own words.
      return str(d, 'message') ?? 'This app and the server need different versions: reload.';
    case 'quota':
      return 'The device is out of storage space for Outpost\u2019s offline data. Free some space; changes may not be saved.';
    case 'conflict': {
      const c = conflictDetailSchema.safeParse(n.detail);
      if (!c.success) return 'A change of yours was replaced by one written elsewhere.';
      const { entity, field, mine, theirs, deleted, winner } = c.data;
      // The reader's own write from another device is not "elsewhere": say where it was.
      const where =
        me !== null && winner?.userId === me
          ? winner.clientId === null
            ? 'through the API'
            : 'on your other device'
          : 'elsewhere';
      return deleted
        ? `Your edit of a ${entity}\u2019s ${field} (${brief(mine)}) was lost: the ${entity} was deleted.`
        : `Your ${entity} ${field} ${brief(mine)} was replaced by ${brief(theirs)}, written ${where} after yours.`;
    }
  }
}

/** A value in a notice: quoted text, or JSON for anything else. */
function brief(v: unknown): string {
  if (v === undefined || v === null || v === '') return '(empty)';
  return typeof v === 'string'
    ? `\u201c${v.length > 60 ? `${v.slice(0, 57)}\u2026` : v}\u201d`
    : JSON.stringify(v);
}

/** The fields of a task a refused create would have made (as `createTask` takes them). */
export interface LostTask {
  title: string;
  notes?: string;
  status?: 'todo' | 'doing' | 'done';
  assigneeId?: string | null;
  dueDate?: string | null;
}

/** A refused task create, with its later edits refused with it (they had no task to edit). */
export interface RefusedTask {
  taskId: string;
  projectId: string | null;
  task: LostTask;
  /** The notices of those later edits (said by the create's notice, answered with it). */
  also: string[];
}

const TASK_STATUS = new Set(['todo', 'doing', 'done']);

/** A task's fields read from a refused mutation's, defensively (another tab's engine). */
function lostTaskFields(into: Partial<LostTask>, fields: unknown): void {
  if (typeof fields !== 'object' || fields === null) return;
  const f = fields as Detail;
  if (typeof f.title === 'string' && f.title.trim() !== '') into.title = f.title;
  if (typeof f.notes === 'string') into.notes = f.notes;
  if (typeof f.status === 'string' && TASK_STATUS.has(f.status))
    into.status = f.status as LostTask['status'];
  if (typeof f.assigneeId === 'string' || f.assigneeId === null) into.assigneeId = f.assigneeId;
  if (typeof f.dueDate === 'string' || f.dueDate === null) into.dueDate = f.dueDate;
}

/**
 * Tasks added here that the server refused (their project deleted meanwhile, say), with every
 * field they had: the create's, then the edits made to the new task before it was sent (each
 * refused on its own: no such task), in the order they were made. The create's notice maps to
 * the task; each of those edits' notices maps to null (said by the create's).
 */
export function refusedTaskCreates(
  notices: readonly Pick<Notice, 'id' | 'kind' | 'detail'>[],
): Map<string, RefusedTask | null> {
  const out = new Map<string, RefusedTask | null>();
  type Refused = { notice: string; m: Detail & { id: number; entityId: string } };
  const byTask = new Map<string, Refused[]>();
  for (const n of notices) {
    if (n.kind !== 'rejected' || typeof n.detail !== 'object' || n.detail === null) continue;
    const m = (n.detail as Detail).mutation;
    if (typeof m !== 'object' || m === null) continue;
    const md = m as Detail;
    if (typeof md.entityId !== 'string' || typeof md.id !== 'number') continue;
    if (md.type !== 'task.create' && md.type !== 'task.update') continue;
    const list = byTask.get(md.entityId) ?? [];
    list.push({ notice: n.id, m: md as Refused['m'] });
    byTask.set(md.entityId, list);
  }
  for (const [taskId, list] of byTask) {
    list.sort((a, b) => a.m.id - b.m.id);
    const first = list[0]!;
    if (first.m.type !== 'task.create') continue;
    const task: Partial<LostTask> = {};
    for (const r of list) lostTaskFields(task, r.m.fields);
    if (task.title === undefined) continue;
    const fields = first.m.fields as Detail | undefined;
    out.set(first.notice, {
      taskId,
      projectId: typeof fields?.projectId === 'string' ? fields.projectId : null,
      task: task as LostTask,
      also: list.slice(1).map((r) => r.notice),
    });
    for (const r of list.slice(1)) out.set(r.notice, null);
  }
  return out;
}

/** A refused task as plain text, to copy elsewhere: its title, then each field it had. */
export function lostTaskText(
  t: LostTask,
  assignee: (id: string) => string | null = () => null,
): string {
  const lines = [t.title];
  if (t.status && t.status !== 'todo') lines.push(`Status: ${STATUS_LABEL[t.status]}`);
  if (t.assigneeId) lines.push(`Assignee: ${assignee(t.assigneeId) ?? t.assigneeId}`);
  if (t.dueDate) lines.push(`Due: ${t.dueDate}`);
  if (t.notes) lines.push('', t.notes);
  return lines.join('\n');
}

/** The edits of one task lost to its project's delete (its conflict notices, one per field). */
export interface LostTaskEdits {
  taskId: string;
  details: ConflictDetail[];
}

/** The edits of several tasks of one project, lost to the project's delete: one notice. */
export interface LostToProject {
  projectId: string;
  winner: Writer | null;
  tasks: LostTaskEdits[];
  /** Every notice the group says (the first's included), answered together. */
  ids: string[];
}

/**
 * Edits of several tasks lost because someone deleted their project (its delete took them
 * with it: `projectOf` says which project's, from each task's delete) are one notice for the
 * project: the group's first notice maps to the group, each other notice of it to null. A
 * project whose delete cost edits of one task only is left to that task's notice.
 */
export function groupLostToProject(
  notices: readonly Pick<Notice, 'id' | 'kind' | 'detail'>[],
  projectOf: (taskId: string) => string | null,
): Map<string, LostToProject | null> {
  const groups = new Map<string, { first: string; group: LostToProject }>();
  for (const n of notices) {
    if (n.kind !== 'conflict') continue;
    const c = conflictDetailSchema.safeParse(n.detail);
    if (!c.success || !c.data.deleted || c.data.entity !== 'task') continue;
    const projectId = projectOf(c.data.entityId);
    if (projectId === null) continue;
    const key = `${projectId}:${c.data.winner?.userId ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { first: n.id, group: { projectId, winner: c.data.winner, tasks: [], ids: [] } };
      groups.set(key, g);
    }
    g.group.ids.push(n.id);
    const task = g.group.tasks.find((t) => t.taskId === c.data.entityId);
    if (task) task.details.push(c.data);
    else g.group.tasks.push({ taskId: c.data.entityId, details: [c.data] });
  }
  const out = new Map<string, LostToProject | null>();
  for (const { first, group } of groups.values()) {
    if (group.tasks.length < 2) continue;
    for (const id of group.ids) out.set(id, id === first ? group : null);
  }
  return out;
}

/**
 * What a project's delete took of the edits made here, task by task, as `netLostToDelete` says
 * it for one task (`histories`: each task's activities, by id): each field once, with its last
 * value, none whose last value the task held anyway, and no task whose edits all came to
 * nothing (a tick then its undo, offline). Empty when nothing was lost.
 */
export function netLostToProject(
  tasks: readonly LostTaskEdits[],
  histories: ReadonlyMap<string, readonly Pick<Activity, 'action' | 'version' | 'changes'>[]>,
): LostTaskEdits[] {
  return tasks
    .map((t) => ({
      taskId: t.taskId,
      details: netLostToDelete(t.details, histories.get(t.taskId) ?? []),
    }))
    .filter((t) => t.details.length > 0);
}

/** Tasks added here that reached one project, archived by one person before they came. */
export interface AddedToArchivedGroup {
  projectId: string;
  projectName: string;
  /** Who archived it: their name, "you", or null when not known. */
  by: string | null;
  titles: readonly string[];
}

/**
 * "“X” was added to “P”, which Ana archived meanwhile" — or, for several, "3 tasks were added
 * to “P”, …" (one notice per project: its link opens it).
 */
export function addedToArchivedText(g: AddedToArchivedGroup): string {
  const what =
    g.titles.length === 1 ? `“${g.titles[0]}” was` : `${count(g.titles.length)} tasks were`;
  return `${what} added to “${g.projectName}”, which ${g.by ?? 'someone'} archived meanwhile`;
}

/**
 * The project-lost notice's sentence: who deleted the project (`byWhom`, as
 * `conflictWinnerWords` says it), its name when known, and how many of its tasks had changes of
 * the reader's not applied (`titles`: each task's title, null when not known here). One task
 * is named as `addedToArchivedText` names one ("your changes to “Plan” were not applied"),
 * never "1 of its tasks"; several are counted.
 */
export function projectLostText(
  byWhom: string,
  project: string | null,
  titles: readonly (string | null)[],
): string {
  const which = project ? ` \u201c${project}\u201d` : '';
  const tasks =
    titles.length === 1
      ? titles[0]
        ? `\u201c${titles[0]}\u201d`
        : 'one of its tasks'
      : `${count(titles.length)} of its tasks`;
  return `${sentenceCase(byWhom)} deleted the project${which}; your changes to ${tasks} were not applied.`;
}

/**
 * What the reader had set a lost task's fields to, said as theirs — "you had set its status to
 * In progress and its due date to Dec 24" — so it does not read as the task's old values beside
 * its title (`fields`: each field's label and the reader's value, as shown).
 */
export function lostValuesText(fields: readonly { label: string; value: string }[]): string {
  return `you had set ${andList(fields.map((f) => `its ${f.label} to ${f.value}`))}`;
}

/** The label over text typed into a lost task's title or notes: "You had changed its title to". */
export function typedTextLabel(label: string): string {
  return `You had changed its ${label} to`;
}

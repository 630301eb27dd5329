import type { FieldChange, Writer } from '@outpost/shared';
import { showValue } from './format';

/** Field names as people say them. */
const FIELD_LABEL: Readonly<Record<string, string>> = {
  title: 'title',
  name: 'name',
  notes: 'notes',
  description: 'description',
  status: 'status',
  assigneeId: 'assignee',
  dueDate: 'due date',
  projectId: 'project',
  ownerId: 'owner',
  role: 'role',
  email: 'email',
};

export function fieldLabel(field: string): string {
  return FIELD_LABEL[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export interface ConflictNames {
  /**
   * A user's display name (null: the server cannot tell who wrote it); `you` for the reader
   * (then "your title").
   */
  user(userId: string | null): string;
  /** A field's value as shown (ids become names, codes become labels). */
  value?(field: string, value: unknown): string;
}

const possessive = (name: string) =>
  name === 'you' ? 'your' : name.endsWith('s') ? `${name}\u2019` : `${name}\u2019s`;

/**
 * One line saying who won a conflict and whose value lost, e.g.
 * `Ben’s title “Launch v2” replaced Ana’s “Launch”`. Two devices of one person say so, and so
 * does a value one person set through the API (it names no device);
 * a deletion that beat an edit (`deleted`: `lostToDelete` of the change's activity) says the
 * edit was lost. Pure: the feed, the inspector and the notices use it.
 */
export function conflictLine(change: FieldChange, names: ConflictNames, deleted: boolean): string {
  const show = (v: unknown) => names.value?.(change.field, v) ?? showValue(v);
  const field = fieldLabel(change.field);
  const loser = names.user(change.loser?.userId ?? null);
  const winner = names.user(change.winner?.userId ?? null);
  const lost = show(change.lost);
  if (deleted) return `${winner} deleted it; ${possessive(loser)} ${field} ${lost} was lost`;
  const kept = show(change.to ?? null);
  if (!change.winner || !change.loser) return `${field}: ${kept} replaced ${lost}`;
  if (sameWriter(change.winner, change.loser))
    return `${possessive(winner)} ${field} ${kept} replaced ${lost} (the same device)`;
  if (change.winner.userId !== null && change.winner.userId === change.loser.userId)
    return change.winner.clientId !== null && change.loser.clientId !== null
      ? `${possessive(winner)} ${field} ${kept} from one device replaced ${lost} from another`
      : `${possessive(winner)} ${field} ${kept} ${source(change.winner)} replaced ${lost} ${source(change.loser)}`;
  return `${possessive(winner)} ${field} ${kept} replaced ${possessive(loser)} ${lost}`;
}

/** Where one person's value came from: a write through the REST API names no device. */
const source = (w: Writer) => (w.clientId === null ? 'through the API' : 'from a device');

function sameWriter(a: Writer, b: Writer): boolean {
  return a.clientId !== null && a.clientId === b.clientId;
}

/**
 * Who wrote a value that arrived while the reader was editing it: a named person, the reader
 * from another device or tab, or through the API, or nobody the device can name yet (the
 * activity has not arrived, or the person is not in this device's list).
 */
export type ChangedBy =
  | { kind: 'person'; name: string }
  | { kind: 'you'; where: 'device' | 'tab' | 'api' }
  | { kind: 'unknown' };

/** Longest part of the new value the line quotes: a title whole, a note's start. */
const QUOTE_MAX = 80;

function quote(value: string): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return `“${line.length > QUOTE_MAX ? `${line.slice(0, QUOTE_MAX - 1).trimEnd()}…` : line}”`;
}

const WHERE = { device: 'on another device', tab: 'in another tab', api: 'through the API' };

/**
 * The line under a field whose saved value changed while the reader typed in it, e.g.
 * `Ana changed the title to “Ship v2” while you were editing. Enter keeps yours; Escape takes
 * theirs.` `field` as people say it ("title", "project name"); `saveKey` the key that saves
 * the field ("Enter", or "Ctrl+Enter" in notes).
 */
export function changedWhileEditing(
  by: ChangedBy,
  field: string,
  value: string,
  saveKey: string,
): string {
  const what =
    value.trim() === '' ? `cleared the ${field}` : `changed the ${field} to ${quote(value)}`;
  if (by.kind === 'you')
    return `You ${what} ${WHERE[by.where]} while you were editing here. ${saveKey} keeps this text; Escape takes that one.`;
  const who = by.kind === 'person' ? by.name : 'Someone';
  return `${who} ${what} while you were editing. ${saveKey} keeps yours; Escape takes theirs.`;
}

import { findDuePhrases, type DuePhrase } from './due-phrase';
import {
  completeMention,
  findMentions,
  handleOf,
  matchMention,
  type Member,
  type MentionToken,
} from './mention';

/** What a quick-add title is read against. */
export interface QuickAddContext {
  /** `YYYY-MM-DD` on this device. */
  today: string;
  members: readonly Member[];
  me: string;
  /** Parts the person chose to keep as text (`keepKey`). */
  kept: ReadonlySet<string>;
  /** Words picked from the suggestions (lower-cased, no `@`) → member id. */
  picked: ReadonlyMap<string, string>;
}

/** An `@word` that stays text, and why. */
export type MentionNote =
  | { kind: 'many'; token: MentionToken; members: Member[] }
  | { kind: 'none'; token: MentionToken }
  | { kind: 'extra'; token: MentionToken };

/** The task a quick-add title will create. */
export interface QuickAdd {
  /** The title without the parts recognised (and not kept as text). */
  title: string;
  due: DuePhrase | null;
  assignee: { token: MentionToken; member: Member } | null;
  notes: MentionNote[];
}

/** The key a recognised part is kept as text under: the same words stay text wherever typed. */
export function keepKey(part: { text: string }): string {
  return part.text.toLowerCase().replace(/\s+/g, ' ');
}

/** Cuts [start, end) out, leaving one space where the words met. */
function cut(text: string, start: number, end: number): string {
  const before = text.slice(0, start).trimEnd();
  const after = text.slice(end).trimStart();
  return before && after ? `${before} ${after}` : before || after;
}

/**
 * Reads a quick-add title: the last date phrase and the last `@name` that names exactly one
 * member become the due date and the assignee, and leave the title. Everything else, and
 * anything kept as text, stays in it.
 */
export function parseQuickAdd(text: string, ctx: QuickAddContext): QuickAdd {
  const due =
    findDuePhrases(text, ctx.today)
      .filter((p) => !ctx.kept.has(keepKey(p)))
      .at(-1) ?? null;
  // A date phrase is never inside a mention: it does not start after an `@`.
  const tokens = findMentions(text).filter((t) => t.word && !ctx.kept.has(keepKey(t)));
  const matches = tokens.map(
    (token) => [token, matchMention(token.word, ctx.members, ctx.me, ctx.picked)] as const,
  );
  let assignee: QuickAdd['assignee'] = null;
  for (const [token, match] of matches) {
    if (match.kind === 'one') assignee = { token, member: match.member };
  }
  const notes: MentionNote[] = [];
  for (const [token, match] of matches) {
    if (match.kind === 'many') notes.push({ kind: 'many', token, members: match.members });
    else if (match.kind === 'none') notes.push({ kind: 'none', token });
    else if (token !== assignee?.token) notes.push({ kind: 'extra', token });
  }
  let title = text;
  const parts = [due, assignee?.token].filter((p) => p != null).sort((a, b) => b.start - a.start);
  for (const p of parts) title = cut(title, p.start, p.end);
  return { title: title.trim(), due, assignee, notes };
}

/** The `@word` whose suggestions are open, and the person highlighted in them. */
export interface OpenMention {
  token: MentionToken;
  highlighted: Member;
}

/**
 * Whether Enter, with the suggestions open, adds the task rather than picking: the `@word`
 * already names the highlighted person in full ("@me", "@ben"), so nothing is left to pick (as
 * in Linear and Todoist). On part of a name ("@be"), or with another person highlighted, it picks.
 */
export function enterAdds(open: OpenMention, ctx: QuickAddContext): boolean {
  const whole = completeMention(open.token.word, ctx.members, ctx.me, ctx.picked);
  return whole?.id === open.highlighted.id;
}

/** A title once `member` is picked for `token`: "@Ana " in its place, the caret after it. */
export interface Picked {
  text: string;
  caret: number;
  kept: ReadonlySet<string>;
  picked: ReadonlyMap<string, string>;
}

/** Picks `member` for the `@word` at `token`: written as their handle, read as them from now on. */
export function pickMention(
  text: string,
  token: MentionToken,
  member: Member,
  ctx: Pick<QuickAddContext, 'kept' | 'picked'>,
): Picked {
  const handle = handleOf(member);
  const before = text.slice(0, token.start);
  const after = text.slice(token.end);
  const gap = /^\s/.test(after) ? '' : ' ';
  const key = handle.toLowerCase();
  const kept = new Set(ctx.kept);
  kept.delete(`@${key}`);
  return {
    text: `${before}@${handle}${gap}${after}`,
    caret: before.length + 1 + handle.length + 1,
    kept: kept.size === ctx.kept.size ? ctx.kept : kept,
    picked: new Map(ctx.picked).set(key, member.id),
  };
}

/**
 * What the preview under the field shows: the task Enter adds. With the suggestions open and
 * Enter picking (`open`), that is the task as it will be once the highlighted person is picked —
 * the title the next Enter adds, who it is for, and any @name that stays text. The assignee's
 * part keeps the `@word` as typed, so its × keeps that word as text.
 */
export function previewQuickAdd(
  text: string,
  ctx: QuickAddContext,
  open: OpenMention | null,
): QuickAdd {
  if (!open || enterAdds(open, ctx)) return parseQuickAdd(text, ctx);
  const next = pickMention(text, open.token, open.highlighted, ctx);
  const q = parseQuickAdd(next.text, { ...ctx, kept: next.kept, picked: next.picked });
  return q.assignee?.token.start === open.token.start
    ? { ...q, assignee: { ...q.assignee, token: open.token } }
    : q;
}

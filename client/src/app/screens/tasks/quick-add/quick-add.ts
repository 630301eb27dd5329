import { findDuePhrases, type DuePhrase } from './due-phrase';
import { findMentions, matchMention, type Member, type MentionToken } from './mention';

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
 *
 * `open` is the `@word` whose suggestions are open (for the preview only): Enter then picks a
 * person rather than adding the task, so it leaves the title and needs no note, as it will once
 * someone is picked for it.
 */
export function parseQuickAdd(
  text: string,
  ctx: QuickAddContext,
  open: MentionToken | null = null,
): QuickAdd {
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
  const typing = open && open.start !== assignee?.token.start ? open : null;
  const parts = [due, assignee?.token, typing]
    .filter((p) => p != null)
    .sort((a, b) => b.start - a.start);
  for (const p of parts) title = cut(title, p.start, p.end);
  return {
    title: title.trim(),
    due,
    assignee,
    notes: open ? notes.filter((n) => n.token.start !== open.start) : notes,
  };
}

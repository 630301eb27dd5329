/**
 * `@name` in a quick-add title: which member of the org it names, if exactly one. Pure.
 */

/** A member as mentions match them. */
export interface Member {
  id: string;
  name: string;
  email: string;
}

/** An `@word` in the text (the `@` included), at a word boundary. */
export interface MentionToken {
  start: number;
  end: number;
  /** As typed, `@` included: "@Ana". */
  text: string;
  /** The word after `@`, lower-cased, without trailing punctuation: "ana". */
  word: string;
}

export type MentionMatch =
  { kind: 'one'; member: Member } | { kind: 'many'; members: Member[] } | { kind: 'none' };

// After a space or at the start: "bob@example.com" in a title is not a mention.
const TOKEN = /(?<![^\s(])@([^\s@]*)/gu;
const TRAILING = /[.,;:!?)]+$/u;

/** Every `@word` in the text, in order (a bare `@` too, with an empty word). */
export function findMentions(text: string): MentionToken[] {
  const out: MentionToken[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const word = m[1]!.replace(TRAILING, '');
    const end = m.index + 1 + word.length;
    out.push({ start: m.index, end, text: text.slice(m.index, end), word: word.toLowerCase() });
  }
  return out;
}

/** The `@word` the caret is in or just after, if any. */
export function mentionAt(text: string, caret: number): MentionToken | null {
  return findMentions(text).find((t) => caret > t.start && caret <= t.end) ?? null;
}

const words = (m: Member): string[] => m.name.toLowerCase().split(/\s+/).filter(Boolean);
const localPart = (m: Member): string => m.email.toLowerCase().split('@')[0] ?? '';

/** Name words, the name without spaces and the email's name: the keys a word is matched to. */
function keys(m: Member): string[] {
  const w = words(m);
  return [...w, w.join(''), localPart(m)];
}

/**
 * Who `@word` names: first a name picked from the suggestions for that word, then `me`, then
 * whoever has it as a whole name word or email name, then as the start of one. Two or more at
 * the same step is `many`: a mention is never guessed.
 */
export function matchMention(
  word: string,
  members: readonly Member[],
  me: string,
  picked: ReadonlyMap<string, string> = new Map(),
): MentionMatch {
  if (!word) return { kind: 'none' };
  const pickedId = picked.get(word);
  const pickedMember = pickedId ? members.find((m) => m.id === pickedId) : undefined;
  if (pickedMember) return { kind: 'one', member: pickedMember };
  if (word === 'me') {
    const self = members.find((m) => m.id === me);
    if (self) return { kind: 'one', member: self };
  }
  for (const fits of [(k: string) => k === word, (k: string) => k.startsWith(word)]) {
    const found = members.filter((m) => keys(m).some(fits));
    if (found.length === 1) return { kind: 'one', member: found[0]! };
    if (found.length > 1) return { kind: 'many', members: found };
  }
  return { kind: 'none' };
}

/**
 * The member `@word` names in full ("@me", "@ana", "@ben", a name picked for it), not as the
 * start of a longer name ("@an"): nothing is left to type, so Enter adds the task with them.
 */
export function completeMention(
  word: string,
  members: readonly Member[],
  me: string,
  picked: ReadonlyMap<string, string> = new Map(),
): Member | null {
  const match = matchMention(word, members, me, picked);
  if (match.kind !== 'one') return null;
  const m = match.member;
  const whole =
    picked.get(word) === m.id || (word === 'me' && m.id === me) || keys(m).includes(word);
  return whole ? m : null;
}

/**
 * The members a partly typed `@word` could be, for the suggestion list: whoever it already names
 * in full first (the person the preview shows), then you.
 */
export function suggestMembers(
  word: string,
  members: readonly Member[],
  me: string,
  picked: ReadonlyMap<string, string> = new Map(),
  limit = 6,
): Member[] {
  const fits = members.filter(
    (m) =>
      !word || keys(m).some((k) => k.startsWith(word)) || (m.id === me && 'me'.startsWith(word)),
  );
  const named = word ? completeMention(word, members, me, picked) : null;
  const rank = (m: Member) => (m === named ? 2 : m.id === me ? 1 : 0);
  fits.sort((a, b) => rank(b) - rank(a));
  return fits.slice(0, limit);
}

/** The word a picked member is written as: their first name ("@Ana"), else their email's name. */
export function handleOf(m: Member): string {
  const first = m.name
    .trim()
    .split(/\s+/)[0]
    ?.replace(/[@.,;:!?()]/g, '');
  return first || localPart(m) || 'someone';
}

import { count } from '../ui/count';

/** Each kind of notice as the folded button names it: a/an, one, several. */
const KINDS: Record<string, readonly [article: string, one: string, many: string]> = {
  conflict: ['a', 'conflict', 'conflicts'],
  'project-lost': ['a', 'deleted project', 'deleted projects'],
  'refused-task': ['a', 'refused task', 'refused tasks'],
  rejected: ['a', 'refused change', 'refused changes'],
  'archived-meanwhile': ['an', 'archived project', 'archived projects'],
  'unsaved-text': ['an', 'unsaved text', 'unsaved texts'],
};

/**
 * The most characters "3 more: 2 conflicts, a refused task" may have to stay on one line on a
 * 360 px phone: the button has 336 px; in Chromium with the app's 16 px system-ui, 39 characters
 * took 327 px and 41 wrapped. 36 leaves room for a wider font (about 300 px).
 */
export const FOLDED_LABEL_MAX = 36;

/**
 * What the button over folded notices says, from the kinds folded (each notice's `data-brief`,
 * else its `data-kind`), in page order: "1 more conflict", "2 more refused tasks", "2 more: a
 * conflict, a refused task" — or, when that would not fit on one line or a kind has no name
 * here, the count: "3 more notices".
 */
export function foldedLabel(kinds: readonly string[]): string {
  const n = kinds.length;
  const counted = `${count(n)} more notice${n === 1 ? '' : 's'}`;
  const byKind = new Map<string, number>();
  for (const k of kinds) byKind.set(k, (byKind.get(k) ?? 0) + 1);
  const parts: string[] = [];
  for (const [kind, times] of byKind) {
    const words = KINDS[kind];
    if (!words) return counted;
    const [article, one, many] = words;
    if (byKind.size === 1) return `${count(n)} more ${times === 1 ? one : many}`;
    parts.push(times === 1 ? `${article} ${one}` : `${count(times)} ${many}`);
  }
  const named = `${count(n)} more: ${parts.join(', ')}`;
  return named.length <= FOLDED_LABEL_MAX ? named : counted;
}

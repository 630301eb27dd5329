/** What a row kind is called on screens. */
const NOUN: Readonly<Record<string, string>> = { project: 'project', task: 'task', user: 'member' };

const ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const REFERENCE = new RegExp(`\\b(?:(its|no|a|the) )?(project|task|user) (${ID})\\b`, 'gi');

/** The ids a server reason names ("project 0190…"), to look their names up. */
export function reasonIds(reason: string): string[] {
  return [...reason.matchAll(REFERENCE)].map((m) => m[3]!);
}

/** A member's verb, as the reader's: "the member “Ben” is deleted" → "you are deleted". */
const YOUR_VERB: Readonly<Record<string, string>> = { is: 'are', was: 'were', has: 'have' };
/** Where a reference to the reader was replaced ("\0you"), and the verb that follows it. */
const YOU_VERB = /\0(you(?:, who(?: now)?)?) (is|was|has)\b/g;

/**
 * A server's reason ("validation: projectId: project 0190… is deleted") in a person's words:
 * each referenced row is named as it was (“Doomed”) or by its kind alone when unknown, and a
 * reference field's path ("projectId: ", after a rejection code) goes — the words after it
 * say what it is. The reader (`me`) is "you", as everywhere else in the app.
 */
export function reasonText(
  reason: string,
  name: (id: string) => string | null,
  me?: string | null,
): string {
  return reason
    .replace(/^(?:[a-z_]+: )?[a-z]+Id: /i, '')
    .replace(REFERENCE, (_, det: string | undefined, kind: string, id: string) => {
      const noun = NOUN[kind.toLowerCase()] ?? kind;
      // "no user <id>" says the member does not exist: not a sentence about the reader.
      if (noun === 'member' && id === me && det?.toLowerCase() !== 'no') return '\0you';
      const n = name(id);
      return `${det ?? 'the'} ${noun}${n ? ` “${n}”` : ''}`;
    })
    .replace(YOU_VERB, (_, you: string, verb: string) => `${you} ${YOUR_VERB[verb]}`)
    .replaceAll('\0', '');
}

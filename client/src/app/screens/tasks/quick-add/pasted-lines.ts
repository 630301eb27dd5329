/** At most this many tasks are added from one paste (a longer list is offered as one title). */
export const PASTED_TASKS_MAX = 100;

// A list's marker at the start of a line: "- ", "* ", "• ", "1. ", "2) ", "- [ ] ", "[x] ".
const MARKER = /^(?:[-*•‣◦](?:\s+|$)|\d{1,3}[.)](?:\s+|$))?(?:\[[ xX]?\](?:\s+|$))?/;

/**
 * The tasks a pasted text is a list of, one a line, as Things and Todoist read a pasted list:
 * each line trimmed and without its list marker; blank lines skipped. Null when it is not a list
 * (fewer than two lines with words), or too long a one to add at once.
 */
export function pastedLines(text: string): string[] | null {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim().replace(MARKER, '').trim())
    .filter((line) => line !== '');
  return lines.length >= 2 && lines.length <= PASTED_TASKS_MAX ? lines : null;
}

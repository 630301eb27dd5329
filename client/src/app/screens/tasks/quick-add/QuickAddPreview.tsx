import { dueDay, firstAndMore } from '../../../ui/format';
import type { Member } from './mention';
import type { MentionNote, QuickAdd } from './quick-add';

/** Names for a note: "Ana Lopez and Anabel Ruiz", "Ana, Ben and 2 more". */
function names(members: readonly Member[]): string {
  return firstAndMore(members.map((m) => m.name));
}

export function noteText(note: MentionNote): string {
  const t = `“${note.token.text}”`;
  switch (note.kind) {
    case 'many':
      return `${t} could be ${names(note.members)}: it stays text unless you pick one.`;
    case 'none':
      return `No one here is called ${t}: it stays text.`;
    case 'extra':
      return `${t} stays text: a task has one assignee.`;
    default:
      return note satisfies never;
  }
}

/** What the preview says of the task, in one line for a screen reader. */
export function previewSpeech(q: QuickAdd, today: string, notes = true): string {
  const parts: string[] = [];
  if (q.due) parts.push(`Due ${dueDay(q.due.date, today)}.`);
  if (q.assignee) parts.push(`Assigned to ${q.assignee.member.name}.`);
  if (notes) for (const n of q.notes) parts.push(noteText(n));
  return parts.join(' ');
}

/**
 * Under the quick-add field: the task as Enter will add it — its title, due date and assignee —
 * each recognised part with a × that keeps its words in the title instead.
 */
export function QuickAddPreview({
  parsed,
  today,
  me,
  onKeep,
}: {
  parsed: QuickAdd;
  today: string;
  me: string;
  onKeep(part: { text: string }): void;
}) {
  const { due, assignee, notes, title } = parsed;
  if (!due && !assignee && notes.length === 0) return null;
  const keep = (part: { text: string }, what: string) => (
    <button
      type="button"
      className="keep"
      aria-label={`Keep “${part.text}” as text, not ${what}`}
      title={`Keep “${part.text}” as text (or Backspace right after it)`}
      // The field keeps focus under a click: typing goes on where it was.
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onKeep(part)}
    >
      ×
    </button>
  );
  return (
    <div className="quick-add-preview">
      {(due || assignee) && (
        <p className="quick-add-parts">
          <span className={title ? 'quick-add-title' : 'quick-add-title missing'}>
            {title || 'Type a title too'}
          </span>
          {due && (
            <span className="chip quick-add-part">
              Due {dueDay(due.date, today)}
              {keep(due, 'a due date')}
            </span>
          )}
          {assignee && (
            <span className="chip quick-add-part">
              Assigned to {assignee.member.name}
              {assignee.member.id === me && ' (you)'}
              {keep(assignee.token, 'an assignee')}
            </span>
          )}
        </p>
      )}
      {notes.map((n) => (
        <p key={n.token.start} className="quick-add-note">
          {noteText(n)}
        </p>
      ))}
    </div>
  );
}

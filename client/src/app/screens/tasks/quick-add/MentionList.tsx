import type { Member } from './mention';

export const optionId = (listId: string, index: number) => `${listId}-${index}`;

/**
 * The people an `@word` being typed could be, under the field. The field keeps focus (it owns
 * the keys: arrows move, Tab picks, Enter picks unless the word already names the highlighted
 * person in full, Escape closes); a click picks too.
 */
export function MentionList({
  id,
  members,
  active,
  me,
  onPick,
}: {
  id: string;
  members: readonly Member[];
  active: number;
  me: string;
  onPick(member: Member): void;
}) {
  return (
    <ul id={id} role="listbox" aria-label="Assign to" className="mention-list">
      {members.map((m, i) => (
        <li
          key={m.id}
          id={optionId(id, i)}
          role="option"
          aria-selected={i === active}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(m)}
        >
          <span className="mention-name">
            {m.name}
            {m.id === me && ' (you)'}
          </span>
          <span className="mention-email">{m.email}</span>
        </li>
      ))}
    </ul>
  );
}

import { useLayoutEffect, type RefObject } from 'react';
import type { Member } from './mention';
import type { Placement } from './list-placement';

export const optionId = (listId: string, index: number) => `${listId}-${index}`;

/**
 * The people an `@word` being typed could be, under the quick-add form (or above its field when
 * there is no room under it: see list-placement.ts). The field keeps focus (it owns the keys:
 * arrows move, Tab picks, Enter picks unless the word already names the highlighted person in
 * full, Escape closes); a click picks too.
 */
export function MentionList({
  id,
  listRef,
  placement,
  members,
  active,
  me,
  onPick,
}: {
  id: string;
  listRef: RefObject<HTMLUListElement | null>;
  placement: Placement;
  members: readonly Member[];
  active: number;
  me: string;
  onPick(member: Member): void;
}) {
  // Held to a smaller height, the list scrolls to keep the highlighted person in it (the list's
  // own scroll only: the page stays where it is).
  useLayoutEffect(() => {
    const list = listRef.current;
    const option = list?.children[active];
    if (!list || !(option instanceof HTMLElement)) return;
    if (option.offsetTop < list.scrollTop) list.scrollTop = option.offsetTop;
    else if (option.offsetTop + option.offsetHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = option.offsetTop + option.offsetHeight - list.clientHeight;
  }, [active, placement, listRef]);
  return (
    <ul
      ref={listRef}
      id={id}
      role="listbox"
      aria-label="Assign to"
      className={placement.side === 'above' ? 'mention-list above' : 'mention-list'}
      style={placement.maxHeight === null ? undefined : { maxHeight: placement.maxHeight }}
    >
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

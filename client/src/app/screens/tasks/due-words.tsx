import type { KeyboardEvent } from 'react';
import { dueDay, todayIso } from '../../ui/format';

/**
 * A letter typed on a date field (no Ctrl, ⌘ or Alt): it has no place in a date's day, month or
 * year, so it starts the date in words — the task panel's date and the list bar's alike. Digits
 * still type into the date's parts.
 */
export function startsDateInWords(e: KeyboardEvent): boolean {
  return e.key.length === 1 && /\p{L}/u.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey;
}

/**
 * What a due date being typed in words says under its field: the day Enter sets (`day`, read
 * from `text`), the words it takes, or — `failed`, Enter found no day — that nothing changed.
 */
export function DueWordsHint(props: {
  id: string;
  text: string;
  day: string | null;
  failed: boolean;
}) {
  return props.failed ? (
    <p key="failed" id={props.id} className="hint bad" role="alert">
      No day in “{props.text.trim()}”: nothing changed. Try tomorrow, fri, dec 24 or{' '}
      <span className="nowrap">2026-12-24</span>.
    </p>
  ) : (
    <p key="typing" id={props.id} className="hint">
      {props.day
        ? `Enter sets it to ${dueDay(props.day, todayIso())}.`
        : 'A day in words: today, tomorrow, fri, in 3 days, dec 24.'}
    </p>
  );
}

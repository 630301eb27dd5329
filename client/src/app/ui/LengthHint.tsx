import { count } from './count';

/** Shown from this share of the limit on: a field says how much room is left before it runs out. */
const NEAR = 0.9;

/** True when the text is longer than the field takes (it is kept, but not saved). */
export function isTooLong(text: string, max: number | undefined): boolean {
  return max !== undefined && text.length > max;
}

/** The hint's text, or null while the text is far from the limit. */
export function lengthHintText(length: number, max: number): string | null {
  if (length > max) {
    const over = length - max;
    return `${over} character${over === 1 ? '' : 's'} too many (at most ${count(max)})`;
  }
  if (length < max * NEAR) return null;
  const left = max - length;
  return `${left} character${left === 1 ? '' : 's'} left`;
}

/**
 * A field's length near and past its limit. Fields take text past the limit (a paste is never
 * cut short without a word) and refuse to save it while this says how much is too much.
 * Render it always (empty far from the limit): its live part must exist before it speaks.
 */
export function LengthHint({
  id,
  length,
  max,
  quiet = false,
}: {
  id: string;
  length: number;
  max: number;
  /** Says only what is too long (a saved long name does not count down while not edited). */
  quiet?: boolean;
}) {
  const over = length > max;
  const text = quiet && !over ? null : lengthHintText(length, max);
  return (
    <>
      <span id={id} className={`length-hint${over ? ' bad' : ''}`} hidden={text === null}>
        {text}
      </span>
      {/* Said once on crossing the limit, not on every key typed near it. */}
      <span className="visually-hidden" aria-live="polite">
        {over ? `Too long: at most ${count(max)} characters` : ''}
      </span>
    </>
  );
}

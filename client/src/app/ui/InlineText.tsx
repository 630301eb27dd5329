import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { isTooLong, LengthHint } from './LengthHint';

interface Props {
  value: string;
  label: string;
  onCommit(next: string): void;
  /** Longest text saved; longer text stays in the field, unsaved, with a hint (never cut). */
  maxLength?: number;
  className?: string;
  /** An empty value is refused (reverts) when required. */
  required?: boolean;
  placeholder?: string;
  /**
   * `text`: one line; `wrap`: a textarea that grows with the text but Enter still saves (long
   * titles); `notes`: Enter makes a new line, Ctrl/⌘+Enter or leaving the field saves.
   */
  kind?: 'text' | 'wrap' | 'notes';
  id?: string;
}

/**
 * Edit in place. Enter (or leaving the field) saves when the text changed; Escape puts the
 * saved text back and saves nothing — a second Escape is left to the surrounding view (e.g.
 * to close a panel). Focus stays in the field after either. While the field holds no unsaved
 * text it follows the value — another device's edit arriving by sync, or a concurrent edit
 * that won over the one just saved — focused or not; unsaved text is never overwritten.
 */
export function InlineText({
  value,
  label,
  onCommit,
  maxLength,
  className,
  required = true,
  placeholder,
  kind = 'text',
  id,
}: Props) {
  const [draft, setDraft] = useState(value);
  // The text the draft last agreed with (shown or saved): a draft still equal to it is unsaved
  // work of nobody's, so a new value replaces it.
  const settled = useRef(value);
  // Set by Escape: the blur that may follow must not save the text being abandoned.
  const cancelled = useRef(false);
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const hintId = useId();
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    const before = settled.current;
    settled.current = value;
    setDraft((current) => (current === before ? value : current));
  }, [value]);
  useEffect(() => {
    // A wrapping field is as tall as its text.
    const el = ref.current;
    if (el && kind !== 'text') {
      el.style.height = 'auto';
      el.style.height = `${el.scrollHeight + 2}px`;
    }
  }, [draft, kind]);

  function commit(text: string) {
    const next = kind === 'notes' ? text : text.replace(/\s*\n\s*/g, ' ').trim();
    if (next === value || (required && next === '')) {
      setDraft(value);
      return;
    }
    // Too long: nothing is saved and the text stays, with the hint saying by how much.
    if (isTooLong(next, maxLength)) return;
    settled.current = next;
    setDraft(next);
    onCommit(next);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement | HTMLInputElement>) {
    if (e.key === 'Escape') {
      if (draft !== value) {
        e.stopPropagation();
        e.preventDefault();
        cancelled.current = true;
        setDraft(value);
      }
      return;
    }
    if (e.key === 'Enter' && (kind !== 'notes' || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      commit(draft);
    }
  }

  const common = {
    ref,
    id,
    className,
    'aria-label': label,
    value: draft,
    'aria-invalid': isTooLong(draft, maxLength) || undefined,
    'aria-describedby': maxLength === undefined ? undefined : hintId,
    placeholder,
    onKeyDown,
    onChange: (e: { target: { value: string } }) => {
      cancelled.current = false;
      setDraft(e.target.value);
    },
    onFocus: () => {
      cancelled.current = false;
      setFocused(true);
    },
    onBlur: () => {
      setFocused(false);
      if (cancelled.current) {
        cancelled.current = false;
        setDraft(value);
        return;
      }
      commit(draft);
    },
  };
  const field =
    kind === 'text' ? (
      <input {...common} />
    ) : (
      <textarea {...common} rows={kind === 'notes' ? 4 : 1} />
    );
  if (maxLength === undefined) return field;
  return (
    <>
      {field}
      <LengthHint id={hintId} length={draft.length} max={maxLength} quiet={!focused} />
    </>
  );
}

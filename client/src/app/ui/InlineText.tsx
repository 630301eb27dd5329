import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { changedWhileEditing, type ChangedBy } from './conflict-text';
import { isTooLong, LengthHint } from './LengthHint';

interface Props {
  value: string;
  label: string;
  /**
   * Saves `next`; `from` is the text it was edited from (the value the field last agreed with),
   * kept with an edit saved as the page closes (engine/kept-edits.ts).
   */
  onCommit(next: string, from: string): void;
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
  /**
   * Who wrote the saved value, when it changed while the field held unsaved text: a hook, used
   * only while the field says so (nothing is read for a field not being edited). Without it the
   * line says "Someone". Null: not known yet (the history that tells is still being read or
   * pulled); the line waits for it, up to WRITER_WAIT_MS, and then says "Someone".
   */
  useChangedBy?: (value: string) => ChangedBy | null;
}

const UNKNOWN: ChangedBy = { kind: 'unknown' };
const nobodyKnown = () => UNKNOWN;
/**
 * How long the line waits for its writer to be known before saying "Someone": a live region
 * filled with "Someone" and then the name is read twice.
 */
export const WRITER_WAIT_MS = 1000;
const MAC = /Mac|iPhone|iPad/.test(navigator.platform);
/** The key that saves notes (Enter makes a new line there). */
const NOTES_SAVE_KEY = MAC ? '⌘Enter' : 'Ctrl+Enter';
/** The key that puts back the text Escape dropped. */
const PUT_BACK_KEY = MAC ? '⌘Z' : 'Ctrl+Z';

/**
 * Edit in place, as a note app does: there is no Save step. Enter saves and keeps focus;
 * leaving the field saves. Escape backs out without saving (the house rule): the saved text
 * comes back and focus stays, and with nothing unsaved it goes on to the surrounding view (a
 * second Escape closes a task's detail). The text dropped is not lost unsaid: a line under the
 * field says it was not saved and puts it back (its button, or Ctrl/⌘+Z in the field) until
 * something else is typed there or the field goes. Text that cannot be saved (too long, or a required
 * field emptied) is never saved: the hint says why. The field going away (a panel closed,
 * another screen opened) or the page being hidden saves what it holds, as leaving does. While
 * the field holds no unsaved text it follows the value — another device's edit arriving by
 * sync, or a concurrent edit that won over the one just saved — focused or not; unsaved text is
 * never overwritten. When the value changes under unsaved text, a line under the field says who
 * changed it to what, until the text is saved or dropped (Enter keeps it, Escape takes theirs).
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
  useChangedBy = nobodyKnown,
}: Props) {
  const [draft, setDraft] = useState(value);
  // The text the draft last agreed with (shown or saved): a draft still equal to it is unsaved
  // work of nobody's, so a new value replaces it.
  const settled = useRef(value);
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const hintId = useId();
  const [focused, setFocused] = useState(false);
  // The saved value that changed under unsaved text (someone else's edit): the line says so.
  const [underneath, setUnderneath] = useState<string | null>(null);
  // The unsaved text Escape dropped, offered back (a paragraph of notes is not lost to one key).
  const [dropped, setDropped] = useState<string | null>(null);
  const typed = useRef(draft);
  typed.current = draft;
  useEffect(() => {
    const before = settled.current;
    settled.current = value;
    setDraft((current) => (current === before ? value : current));
    setUnderneath(value !== before && typed.current !== before ? value : null);
  }, [value]);
  useEffect(() => {
    // A wrapping field is as tall as its text, at the width it has now (a phone turned).
    const el = ref.current;
    if (!el || kind === 'text') return;
    const fit = () => {
      el.style.height = 'auto';
      el.style.height = `${el.scrollHeight + 2}px`;
    };
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, [draft, kind]);

  const normalise = (text: string) =>
    kind === 'notes' ? text : text.replace(/\s*\n\s*/g, ' ').trim();
  /**
   * What saving this text would write: the text, null when unchanged, false when refused.
   * Unchanged from what was saved last, which `value` shows only once the write is read back: a
   * field left right after Enter must not queue the same edit again.
   */
  const saving = (text: string): string | null | false => {
    const next = normalise(text);
    if (next === settled.current) return null;
    return (required && next === '') || isTooLong(next, maxLength) ? false : next;
  };

  function commit(text: string) {
    const next = saving(text);
    // Too long: nothing is saved and the text stays, with the hint saying by how much.
    if (next === false && isTooLong(normalise(text), maxLength)) return;
    setUnderneath(null);
    if (next === null || next === false) {
      setDraft(settled.current);
      return;
    }
    const from = settled.current;
    settled.current = next;
    setDraft(next);
    onCommit(next, from);
  }

  // Going away (the panel closed, another screen) with unsaved text saves it, as leaving does;
  // so does the page being hidden (the app switched away from, the tab closed), which runs no
  // unmount. The field keeps its text and focus.
  const latest = useRef({ draft, saving, onCommit });
  latest.current = { draft, saving, onCommit };
  useEffect(() => {
    const saveUnsaved = () => {
      const { draft: text, saving: save, onCommit: write } = latest.current;
      const next = save(text);
      if (!next || next === settled.current) return;
      const from = settled.current;
      settled.current = next;
      write(next, from);
    };
    const onHidden = () => document.visibilityState === 'hidden' && saveUnsaved();
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      document.removeEventListener('visibilitychange', onHidden);
      saveUnsaved();
    };
  }, []);

  function putBack() {
    if (dropped === null) return;
    setDraft(dropped);
    setDropped(null);
    ref.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement | HTMLInputElement>) {
    if (e.key === 'Escape') {
      // Back to the text saved last (the value, once a write just made is read back).
      if (draft !== settled.current) {
        e.stopPropagation();
        e.preventDefault();
        // Taking a teammate's text over one's own is a choice made on the line that asked.
        setDropped(underneath === null && draft.trim() !== '' ? draft : null);
        setDraft(settled.current);
        setUnderneath(null);
      }
      return;
    }
    if (
      dropped !== null &&
      e.key.toLowerCase() === 'z' &&
      (e.ctrlKey || e.metaKey) &&
      !e.shiftKey &&
      !e.altKey
    ) {
      // The field's own undo cannot: the revert was not typed.
      e.preventDefault();
      e.stopPropagation();
      putBack();
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
      setDraft(e.target.value);
      setDropped(null);
      // Typed to what they saved: nothing is left to choose between.
      if (normalise(e.target.value) === value) setUnderneath(null);
    },
    onFocus: () => setFocused(true),
    onBlur: () => {
      setFocused(false);
      commit(draft);
    },
  };
  const field =
    kind === 'text' ? (
      <input {...common} />
    ) : (
      <textarea {...common} rows={kind === 'notes' ? 2 : 1} />
    );
  const changed = underneath !== null && normalise(draft) !== value;
  return (
    <>
      {field}
      {maxLength !== undefined && (
        <LengthHint id={hintId} length={draft.length} max={maxLength} quiet={!focused} />
      )}
      {/* Always here (empty while there is nothing to say): a live region must exist before it speaks. */}
      <p role="status" className="changed-under">
        {changed && (
          <ChangedLine
            useChangedBy={useChangedBy}
            field={label.charAt(0).toLowerCase() + label.slice(1)}
            value={value}
            saveKey={kind === 'notes' ? NOTES_SAVE_KEY : 'Enter'}
          />
        )}
        {!changed && dropped !== null && (
          <>
            Your edit was not saved.{' '}
            <button type="button" className="link" onClick={putBack}>
              Put it back
            </button>{' '}
            ({PUT_BACK_KEY})
          </>
        )}
      </p>
    </>
  );
}

/**
 * Who changed the value under the text being typed, to what, and which key keeps which. It is
 * said once: nothing shows while the writer is still being found (as its history is read), and
 * once the wait has run out "Someone" stays, a name found later not replacing it.
 */
function ChangedLine({
  useChangedBy,
  field,
  value,
  saveKey,
}: {
  useChangedBy: (value: string) => ChangedBy | null;
  field: string;
  value: string;
  saveKey: string;
}) {
  const by = useChangedBy(value);
  // The value whose writer was not found in time.
  const [late, setLate] = useState<string | null>(null);
  const waiting = by === null && late !== value;
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setLate(value), WRITER_WAIT_MS);
    return () => clearTimeout(timer);
  }, [waiting, value]);
  if (waiting) return null;
  return changedWhileEditing(late === value ? UNKNOWN : (by ?? UNKNOWN), field, value, saveKey);
}

import { useEffect, useRef, useState } from 'react';

interface Props {
  value: string;
  label: string;
  onCommit(next: string): void;
  maxLength?: number;
  className?: string;
  /** An empty value is refused (reverts) when required. */
  required?: boolean;
  placeholder?: string;
  /** A textarea: Enter makes a new line; leaving the field commits. */
  multiline?: boolean;
}

/**
 * Edit in place: commits on Enter or blur when the text changed, Escape reverts. While the
 * field is not being edited it follows the value (another device's edit arriving by sync).
 */
export function InlineText({
  value,
  label,
  onCommit,
  maxLength,
  className,
  required = true,
  placeholder,
  multiline = false,
}: Props) {
  const [draft, setDraft] = useState(value);
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setDraft(value);
  }, [value]);

  function commit() {
    editing.current = false;
    const next = multiline ? draft : draft.trim();
    if (next === value || (required && next === '')) {
      setDraft(value);
      return;
    }
    onCommit(next);
  }

  const common = {
    className,
    'aria-label': label,
    value: draft,
    maxLength,
    placeholder,
    onFocus: () => {
      editing.current = true;
    },
    onBlur: commit,
  };
  if (multiline) {
    return (
      <textarea
        {...common}
        rows={3}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            editing.current = false;
            setDraft(value);
            e.currentTarget.blur();
          }
        }}
      />
    );
  }
  return (
    <input
      {...common}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') {
          editing.current = false;
          setDraft(value);
          e.currentTarget.blur();
        }
      }}
    />
  );
}

/** The most lines the box shows before it scrolls (long notes). */
const MAX_ROWS = 6;

/**
 * Text the app could not keep (typed and refused, or deleted under it), shown under its name in a
 * read-only box sized to its text, to select and copy: one line for a title, up to six for notes
 * (the stylesheet sizes it to the text as wrapped, `field-sizing: content`; `rows` counts its
 * lines where that is not supported).
 */
export function TextToCopy({ label, text }: { label: string; text: string }) {
  return (
    <label className="unsaved-text">
      {label}
      <textarea readOnly value={text} rows={Math.min(MAX_ROWS, text.split('\n').length)} />
    </label>
  );
}

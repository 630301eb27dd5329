/**
 * Text the app could not keep (typed and refused, or deleted under it), shown under its name in a
 * read-only box sized to its lines, to select and copy.
 */
export function TextToCopy({ label, text }: { label: string; text: string }) {
  return (
    <label className="unsaved-text">
      {label}
      <textarea readOnly value={text} rows={Math.min(6, text.split('\n').length + 1)} />
    </label>
  );
}

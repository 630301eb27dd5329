import { useEffect, useRef } from 'react';
import { bytesLabel, count, dayLabel, timeLabel } from '../../app/ui/format';
import { useInertBehind } from '../../app/ui/sheet-inert';
import { useMedia } from '../../app/ui/use-media';
import type { SharedResource } from './api';

/** Below this width the detail covers the list (shared-resources.css); wider, it sits beside it. */
export const DETAIL_COVERS_LIST = '(max-width: 759px)';

/**
 * The detail's way out: "Back to list" where it covers the list (a phone), "Close" where the
 * list stays visible beside it.
 */
export function useCloseLabel(): string {
  return useMedia(DETAIL_COVERS_LIST) ? 'Back to list' : 'Close';
}

interface Props {
  resource: SharedResource;
  onClose: () => void;
}

/** The resource's fields. Values come from an external source: rendered as text, links only when http(s). */
export function ResourceDetail({ resource, onClose }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  // On a phone the detail covers the screen (shared-resources.css): Tab and a screen reader stay
  // in it, not in the list and header hidden under it.
  const sheet = useRef<HTMLElement>(null);
  useInertBehind(sheet, DETAIL_COVERS_LIST);
  const closeLabel = useCloseLabel();
  // Move focus to the detail so keyboard and screen-reader users land on what they opened.
  useEffect(() => heading.current?.focus(), [resource.id]);
  const entries = Object.entries(resource.data);
  return (
    <section ref={sheet} className="sr-detail" aria-labelledby="sr-detail-title">
      <div className="sr-detail-head">
        <h3 id="sr-detail-title" ref={heading} tabIndex={-1}>
          {resource.name}
        </h3>
        <button type="button" onClick={onClose}>
          {closeLabel}
        </button>
      </div>
      <dl className="sr-fields">
        <dt>Id</dt>
        <dd className="mono">{resource.id}</dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={resource.createdAt}>{when(new Date(resource.createdAt))}</time>
        </dd>
        {entries.map(([key, value]) => (
          <Field key={key} name={key} value={value} />
        ))}
      </dl>
    </section>
  );
}

function Field({ name, value }: { name: string; value: unknown }) {
  return (
    <>
      <dt>{label(name)}</dt>
      <dd>{render(value, name)}</dd>
    </>
  );
}

function label(key: string): string {
  // "sizeBytes" → "Size": its value says the unit ("43 MB").
  const words = key
    .replace(/(?<=.)_?bytes$/i, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ');
  return (words.charAt(0).toUpperCase() + words.slice(1)).replace(/\burl\b/gi, 'URL');
}

/** "Dec 3, 2026, 9:05 PM": the day and time as the rest of the app writes them. */
function when(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'unknown';
  return `${dayLabel(date, { weekday: false, year: true })}, ${timeLabel(date)}`;
}

function render(value: unknown, key: string): React.ReactNode {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') {
    // A size in bytes reads as one ("43 MB"); whole numbers are grouped; a fraction keeps
    // every digit (toLocaleString kept three: a latitude lost its precision).
    if (/bytes$/i.test(key) && Number.isSafeInteger(value) && value >= 0)
      return <span title={`${count(value)} bytes`}>{bytesLabel(value)}</span>;
    return Number.isSafeInteger(value) ? count(value) : String(value);
  }
  if (typeof value === 'string') {
    const href = safeHref(value);
    return href ? (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {value}
      </a>
    ) : (
      value
    );
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
    return value.join(', ');
  return <code>{JSON.stringify(value)}</code>;
}

function safeHref(s: string): string | null {
  if (!/^https?:\/\//i.test(s)) return null;
  try {
    return new URL(s).href;
  } catch {
    return null;
  }
}

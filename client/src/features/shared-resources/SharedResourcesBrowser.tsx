import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { RESOURCE_SEARCH_MAX, SAMPLE_RESOURCE_KINDS } from '@outpost/shared';
import { isTooLong, LengthHint } from '../../app/ui/LengthHint';
import { count } from '../../app/ui/format';
import { useShortcuts } from '../../app/ui/shortcuts';
import { ResourceDetail, useCloseLabel } from './ResourceDetail';
import { ResourceList } from './ResourceList';
import { statusOf, type FetchJson, type SharedResource } from './api';
import { freshnessOf } from './freshness';
import { useDebouncedValue, useOnline, useSharedResource, useSharedResources } from './hooks';
import { useCachedMatches, type CachedMatches } from './offline-search';
import './shared-resources.css';

/** Kinds in the sample dataset; pass `kinds` when the source has others. */
export const DEFAULT_KINDS = SAMPLE_RESOURCE_KINDS;
const SEARCH_DEBOUNCE_MS = 250;

export interface SharedResourcesBrowserProps {
  /** Authenticated GET returning parsed JSON; rejects on non-2xx with an error carrying `status`. */
  fetchJson: FetchJson;
  /** Controlled selection (e.g. from the router); uncontrolled when omitted. */
  selectedId?: string | null;
  onSelectedIdChange?: (id: string | null) => void;
  kinds?: readonly string[];
  /** Render the "Shared resources" h2; pass false when the host screen has its own heading. */
  heading?: boolean;
}

/**
 * The read-only library of shared resources: search, kind filter, an infinite virtualized
 * list and a detail view. Pages already seen stay readable offline (query cache + service
 * worker copy), and a label says so whenever what is shown is not a live answer.
 */
export function SharedResourcesBrowser({
  fetchJson,
  selectedId: controlledId,
  onSelectedIdChange,
  kinds = DEFAULT_KINDS,
  heading = true,
}: SharedResourcesBrowserProps) {
  const ids = useId();
  const [text, setText] = useState('');
  // The search text as last run: text past the limit is kept in the field and not searched
  // (the library would refuse it) until it fits again.
  const [fitting, setFitting] = useState('');
  const [kind, setKind] = useState('');
  const q = useDebouncedValue(fitting, SEARCH_DEBOUNCE_MS);
  const search = useMemo(() => ({ q, kind }), [q, kind]);

  const [ownId, setOwnId] = useState<string | null>(null);
  const selectedId = controlledId === undefined ? ownId : controlledId;
  const select = useCallback(
    (id: string | null) => {
      if (controlledId === undefined) setOwnId(id);
      onSelectedIdChange?.(id);
    },
    [controlledId, onSelectedIdChange],
  );

  const closeLabel = useCloseLabel();
  // Closing the detail (Back to list or Close, or Escape) puts focus back on the row it was opened from,
  // as a task's detail does: focus fell to the page, and the next Tab started from the top.
  const body = useRef<HTMLDivElement>(null);
  const close = () => {
    const id = selectedId;
    select(null);
    if (!id) return;
    requestAnimationFrame(() => {
      const row = body.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"] button`);
      (row ?? document.getElementById(`${ids}-q`))?.focus();
    });
  };

  // Escape backs out of the open resource from anywhere on the page, as a task's detail does:
  // its detail, the list beside it, the status bar above the sheet on a phone (it did nothing
  // there). Not from a typing field, an open dialog or a menu (they take Escape themselves).
  useShortcuts({ Escape: () => close() }, selectedId !== null);

  const online = useOnline();
  const list = useSharedResources(fetchJson, search);
  const pages = list.data?.pages ?? [];
  const rows = useMemo(() => pages.flatMap((p) => p.data), [pages]);
  const total = pages[0]?.total;
  const staleAges = pages.filter((p) => p.stale).map((p) => p.staleAgeMs ?? 0);

  // A search this device never ran, and the library cannot be asked (offline, or the request
  // failed on the network or the server): answer from what is held instead of waiting.
  const failure = list.failureReason;
  const unanswered =
    rows.length === 0 &&
    !list.isSuccess &&
    (!online ||
      list.fetchStatus === 'paused' ||
      (failure !== null && (statusOf(failure) ?? 500) >= 500));
  const cached = useCachedMatches(search, unanswered);
  const shownRows = cached ? cached.matches : rows;

  const known = selectedId ? shownRows.find((r) => r.id === selectedId) : undefined;
  const detail = useSharedResource(fetchJson, selectedId, known);
  const selected: SharedResource | undefined = detail.data?.data ?? known;

  const freshness = freshnessOf({
    staleAgeMs:
      staleAges.length > 0
        ? Math.max(...staleAges)
        : detail.data?.stale
          ? (detail.data.staleAgeMs ?? 0)
          : null,
    online: online && !pages.some((p) => p.offlineCopy) && detail.data?.offlineCopy !== true,
    refreshFailed: list.isRefetchError || list.isFetchNextPageError,
    hasData: rows.length > 0,
  });

  return (
    <section
      className="sr"
      {...(heading
        ? { 'aria-labelledby': `${ids}-title` }
        : { 'aria-label': 'Shared resources browser' })}
    >
      {heading && <h2 id={`${ids}-title`}>Shared resources</h2>}
      <form className="sr-controls" role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${ids}-q`} className="sr-search">
          Search
          <input
            id={`${ids}-q`}
            type="search"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (!isTooLong(e.target.value, RESOURCE_SEARCH_MAX))
                setFitting(e.target.value.trim());
            }}
            placeholder="Name contains…"
            aria-label="Search shared resources by name"
            autoComplete="off"
            aria-invalid={isTooLong(text, RESOURCE_SEARCH_MAX) || undefined}
            aria-describedby={`${ids}-q-hint`}
          />
          <LengthHint id={`${ids}-q-hint`} length={text.length} max={RESOURCE_SEARCH_MAX} />
        </label>
        <label htmlFor={`${ids}-kind`}>
          Kind
          <select id={`${ids}-kind`} value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">All kinds</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k.charAt(0).toUpperCase() + k.slice(1)}
              </option>
            ))}
          </select>
        </label>
      </form>

      {cached ? (
        <p className="sr-badge sr-badge-offline" role="note">
          {cachedNote(cached, online)}
          {online && (
            <>
              {' '}
              <button type="button" className="link" onClick={() => void list.refetch()}>
                Retry
              </button>
            </>
          )}
        </p>
      ) : (
        freshness.kind !== 'live' && (
          <p className={`sr-badge sr-badge-${freshness.kind}`} role="note">
            {freshness.text}
          </p>
        )
      )}

      <p className="sr-status muted" role="status" aria-live="polite">
        {cached
          ? cachedStatus(cached, q, kind)
          : statusText({
              loading: list.isPending,
              rows: rows.length,
              total,
              q,
              kind,
              error: list.isError && rows.length === 0,
            })}
      </p>

      {list.isError && rows.length === 0 && !cached ? (
        <ErrorPanel error={list.error} online={online} onRetry={() => void list.refetch()} />
      ) : (
        <div ref={body} className={selected ? 'sr-body sr-has-detail' : 'sr-body'}>
          {/* Nothing matched (or nothing is here yet): the status line says so, no empty box. */}
          {shownRows.length > 0 && (
            <ResourceList
              rows={shownRows}
              total={cached ? cached.matches.length : total}
              hasNextPage={!cached && list.hasNextPage}
              isFetchingNextPage={list.isFetchingNextPage}
              fetchNextPage={() => void list.fetchNextPage()}
              selectedId={selectedId}
              onSelect={(r) => select(r.id)}
            />
          )}
          {selected && <ResourceDetail resource={selected} onClose={close} />}
          {selectedId && !selected && detail.isError && (
            <div className="sr-detail" role="alert">
              <p>
                Could not open this resource
                {statusOf(detail.error) === 404 ? ': it no longer exists.' : '.'}
              </p>
              <button type="button" onClick={close}>
                {closeLabel}
              </button>
            </div>
          )}
        </div>
      )}
      {list.isFetchingNextPage && (
        <p className="muted sr-more" aria-hidden="true">
          Loading more…
        </p>
      )}
    </section>
  );
}

function cachedNote(c: CachedMatches, online: boolean): string {
  const why = online
    ? 'The shared-resources library can\u2019t be reached, and this search needs it.'
    : 'Offline — this search needs a connection.';
  const held = `${count(c.held)} ${c.held === 1 ? 'resource' : 'resources'}`;
  return c.held === 0
    ? `${why} Nothing from the library is stored on this device yet.`
    : `${why} Showing matches among the ${held} viewed before on this device.`;
}

function cachedStatus(c: CachedMatches, q: string, kind: string): string {
  // Nothing stored at all: the note above says so; "No stored resources match." only repeated it.
  if (c.held === 0) return '';
  const n = c.matches.length;
  if (n === 0)
    return `No stored resources match${q ? ` “${q}”` : ''}${kind ? ` of kind ${kind}` : ''}.`;
  return `${count(n)} stored ${n === 1 ? 'resource matches' : 'resources match'}`;
}

function statusText(s: {
  loading: boolean;
  rows: number;
  total: number | undefined;
  q: string;
  kind: string;
  error: boolean;
}): string {
  if (s.error) return '';
  if (s.loading) return 'Loading shared resources…';
  const filtered = s.q || s.kind;
  if (s.rows === 0)
    return filtered
      ? `No resources match${s.q ? ` “${s.q}”` : ''}${s.kind ? ` of kind ${s.kind}` : ''}.`
      : 'No shared resources yet.';
  const n = s.total ?? s.rows;
  return `${count(n)} ${n === 1 ? 'resource' : 'resources'}${filtered ? ' match' : ''}${s.total !== undefined && s.rows < s.total ? ` · ${count(s.rows)} loaded` : ''}`;
}

function ErrorPanel({
  error,
  online,
  onRetry,
}: {
  error: Error;
  online: boolean;
  onRetry: () => void;
}) {
  const status = statusOf(error);
  const message = !online
    ? 'You are offline, and this list was not viewed before on this device. It will load when you are back online.'
    : status === 403
      ? 'Your role cannot browse shared resources. Ask an admin or a manager for access.'
      : status === 401
        ? 'Sign in again to browse shared resources.'
        : status === 429
          ? 'Too many requests — wait a moment, then retry.'
          : status === 503
            ? 'The shared-resources library is unavailable right now and nothing is cached yet.'
            : `Could not load shared resources (${error.message}).`;
  return (
    <div className="sr-error" role="alert">
      <p>{message}</p>
      {status !== 403 && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

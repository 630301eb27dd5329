import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { SharedResource } from './api';

export const ROW_HEIGHT = 60;
/** Ask for the next page this many rows before the end, so scrolling rarely waits. */
const PREFETCH_ROWS = 30;

interface Props {
  rows: readonly SharedResource[];
  total: number | undefined;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  selectedId: string | null;
  onSelect: (resource: SharedResource) => void;
}

/**
 * Only the rows in view (plus a few) are in the DOM, so 10,000 rows scroll like 50. Rows have
 * a fixed height: no measuring while scrolling. Position in the whole list is announced with
 * aria-setsize/aria-posinset since most rows are not rendered.
 *
 * The list is one Tab stop (a roving tabindex): Tab lands on the row the keyboard was last on
 * (the open resource's, else the first), and goes on past the list; the arrow keys, j/k,
 * Page Up/Down and Home/End move between rows.
 */
export function ResourceList({
  rows,
  total,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  selectedId,
  onSelect,
}: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  // The row the keyboard is on: the one row Tab stops at. Set as focus comes into a row (a key,
  // a click, Escape back onto it); until then the open resource's row, else the first.
  const [cursorId, setCursorId] = useState<string | null>(null);
  const cursor = Math.max(
    0,
    rows.findIndex((r) => r.id === (cursorId ?? selectedId)),
  );
  // Its row scrolled out of the DOM (the list is virtual): the first row rendered is the stop,
  // so Tab never skips the list.
  const tabStop = items.some((i) => i.index === cursor) ? cursor : (items[0]?.index ?? -1);
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - PREFETCH_ROWS)
      fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // The row a key moved to whose focusing waits for the next frame: a key pressed before then
  // (a second ↓ at once, a held key) goes on from it, not from the row focus is still on — two
  // quick ↓ moved one row.
  const moving = useRef<number | null>(null);
  // Enter or Space pressed in that time opens the row moved to once it has focus (each was the
  // focused button's own click, on the row moved from: ↓ then Enter at once opened the old row).
  const openOnArrival = useRef(false);
  const focusRow = useCallback(
    (index: number) => {
      const i = Math.max(0, Math.min(rows.length - 1, index));
      moving.current = i;
      openOnArrival.current = false;
      virtualizer.scrollToIndex(i, { align: 'auto' });
      // The row may only exist after the virtualizer re-renders.
      requestAnimationFrame(() => {
        scroller.current?.querySelector<HTMLButtonElement>(`[data-index="${i}"] button`)?.focus();
        if (moving.current !== i) return;
        moving.current = null;
        const row = rows[i];
        if (openOnArrival.current && row) onSelect(row);
        openOnArrival.current = false;
      });
    },
    [rows, virtualizer, onSelect],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const opens = e.key === 'Enter' || e.key === ' ';
    if (opens && moving.current !== null && !(e.altKey || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      openOnArrival.current = true;
      return;
    }
    const current =
      moving.current ??
      Number(
        (e.target as HTMLElement).closest<HTMLElement>('[data-index]')?.dataset['index'] ?? -1,
      );
    const page = Math.max(
      1,
      Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1,
    );
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      j: current + 1,
      k: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: rows.length - 1,
    };
    const to = moves[e.key];
    if (to === undefined || current < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    focusRow(to);
  };

  return (
    <div
      className="sr-scroller"
      ref={scroller}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        const id = e.target.closest<HTMLElement>('[data-id]')?.dataset['id'];
        if (id !== undefined) setCursorId(id);
      }}
    >
      <div
        role="list"
        aria-label="Shared resources"
        className="sr-list"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {items.map((item) => {
          const r = rows[item.index]!;
          const kind = typeof r.data['kind'] === 'string' ? r.data['kind'] : null;
          const owner = typeof r.data['owner'] === 'string' ? r.data['owner'] : null;
          return (
            <div
              key={r.id}
              role="listitem"
              data-index={item.index}
              data-id={r.id}
              aria-setsize={total ?? (hasNextPage ? -1 : rows.length)}
              aria-posinset={item.index + 1}
              className="sr-row"
              style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              <button
                type="button"
                aria-current={r.id === selectedId ? 'true' : undefined}
                tabIndex={item.index === tabStop ? 0 : -1}
                onClick={() => onSelect(r)}
              >
                <span className="sr-name">{r.name}</span>
                <span className="sr-meta">{[kind, owner].filter(Boolean).join(' · ') || r.id}</span>
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}

import { useLayoutEffect, useSyncExternalStore, type RefObject } from 'react';

/**
 * What stays on screen over the scrolled page: the sticky header (brand, search, section tabs)
 * at the window's top, the status bar and the notices floating over it at its bottom. Each
 * measures itself where it renders (`useInset`); what brings a row into view keeps it clear of
 * them — the page's CSS `scroll-padding` (focus, `scrollIntoView`) reads `--inset-top` and
 * `--inset-bottom`, the task list's keyboard scrolling reads `insets()`.
 */
export interface Insets {
  /** Pixels the header covers from the window's top. */
  top: number;
  /** Pixels the status bar and notices cover from the window's bottom. */
  bottom: number;
}

type Side = keyof Insets;

const parts = new Map<Element, Side>();
let current: Insets = { top: 0, bottom: 0 };
const listeners = new Set<() => void>();

/** The insets as last measured (for reads at an event, outside React's render). */
export function insets(): Insets {
  return current;
}

function measure() {
  const next: Insets = { top: 0, bottom: 0 };
  for (const [el, side] of parts) {
    const box = el.getBoundingClientRect();
    // A part not shown (the notices with none to show) covers nothing.
    if (box.height === 0) continue;
    if (side === 'top') next.top = Math.max(next.top, Math.round(box.bottom));
    else next.bottom = Math.max(next.bottom, Math.round(window.innerHeight - box.top));
  }
  if (next.top === current.top && next.bottom === current.bottom) return;
  current = next;
  const root = document.documentElement.style;
  root.setProperty('--inset-top', `${next.top}px`);
  root.setProperty('--inset-bottom', `${next.bottom}px`);
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const top = () => current.top;

/**
 * The top inset, re-rendering when it changes (a phone rotated, the header wrapping). The bottom
 * one changes with every toast and notice: it is read where it is used (`insets()`), so a toast
 * coming or going re-renders nothing.
 */
export function useTopInset(): number {
  return useSyncExternalStore(subscribe, top);
}

/**
 * Counts the element in `ref` as covering the window's `side` while it is mounted. With
 * `heightVar`, also keeps that CSS custom property at the element's own height.
 */
export function useInset(side: Side, ref: RefObject<HTMLElement | null>, heightVar?: string) {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const root = document.documentElement.style;
    let height = 0;
    const update = () => {
      // Written only when it changes: a write on <html> restyles the whole page.
      if (heightVar && el.offsetHeight !== height) {
        height = el.offsetHeight;
        root.setProperty(heightVar, `${height}px`);
      }
      measure();
    };
    parts.set(el, side);
    // The observer reports the element's first size once the page is laid out: measured then,
    // not here, where reading it would force a layout in the middle of the first commit.
    const observer = new ResizeObserver(update);
    observer.observe(el);
    window.addEventListener('resize', update);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', update);
      parts.delete(el);
      if (heightVar) root.removeProperty(heightVar);
      measure();
    };
  }, [side, ref, heightVar]);
}
